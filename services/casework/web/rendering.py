"""The workspace's Jinja2 environments, one per staff language (nl, en), with casework's Babel catalogues."""
import functools
from pathlib import Path

import babel.dates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from libs.i18n import Catalogues

TEMPLATES_DIR = Path(__file__).parent / "templates"
CATALOGUES = Catalogues(Path(__file__).parent.parent / "translations")
# the standard texts the desk sends to the person, in the six languages (domain/standard_texts.py)
STANDARD_TEXTS = Catalogues(Path(__file__).parent.parent / "translations", domain="standard_texts")


def _date(value, lang):
    if not value:
        return ""
    if isinstance(value, str):
        from datetime import date
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return babel.dates.format_date(value, format="medium", locale=lang)


def _datetime(value, lang):
    return babel.dates.format_datetime(value, format="short", locale=lang, tzinfo="Europe/Amsterdam") if value else ""


@functools.lru_cache(maxsize=None)
def environment(lang):
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(default=True),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(CATALOGUES.translations(lang), newstyle=True)
    env.filters["date"] = lambda value: _date(value, lang)
    env.filters["datetime"] = lambda value: _datetime(value, lang)
    env.globals["lang"] = lang
    return env


def render(lang, template_name, **context):
    return environment(lang).get_template(template_name).render(**context)


def gettext(lang):
    return CATALOGUES.gettext(lang)
