"""The Jinja2 environment: one per language, so concurrent requests never share an installed translation."""
import functools
from pathlib import Path

import babel.dates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import labels
from .catalogues import translations_for
from .form_fields import FINANCIAL_INSTITUTIONS, MAX_LENGTH, parse_date
from .languages import LANGUAGE_NAMES
from .municipalities import MUNICIPALITIES, MUNICIPALITY_NAMES
from .rights_globals import rights_globals
from .urls import QUICK_EXIT_URL, url_for

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _readable_date(value, lang):
    """'2026-03-31' -> '31 maart 2026' in the page's language; anything unparseable is shown as given."""
    parsed = parse_date(str(value or ""))
    return babel.dates.format_date(parsed, format="long", locale=lang) if parsed else (value or "")


@functools.lru_cache(maxsize=None)
def environment(lang):
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations_for(lang), newstyle=True)
    env.filters["readable_date"] = lambda value: _readable_date(value, lang)
    env.globals.update(
        lang=lang,
        url=lambda name: url_for(name, lang),
        quick_exit_url=QUICK_EXIT_URL,
        language_names=LANGUAGE_NAMES,
        municipalities=MUNICIPALITIES,
        municipality_names=MUNICIPALITY_NAMES,
        financial_institutions=FINANCIAL_INSTITUTIONS,
        max_length=MAX_LENGTH,
        labels=labels,
    )
    env.globals.update(rights_globals(lang))  # the rights guide and letter builder (their own catalogue)
    return env


def render(lang, template_name, **context):
    return environment(lang).get_template(template_name).render(**context)
