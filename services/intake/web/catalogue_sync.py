"""Keep the .po catalogues (services/intake/translations) in step with the wording in templates and labels.

    voorportaal-case translations sync          (or .venv/bin/python -m services.intake.cli translations sync)

extracts every translatable string, adds new ones (empty, for a translator) and drops ones no longer used.
tests/unit/intake/web/test_web_translations.py fails while any string is missing or untranslated.
"""
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from libs.referral_rules.directory import load_directory
from libs.contracts.explanation_texts import ENGLISH

from .catalogues import CATALOGUES
from .languages import SUPPORTED_LANGUAGES

PACKAGE_DIR = Path(__file__).parent
METHOD_MAP = [("templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
HEADER_COMMENT = (
    "# Voorportaal intake form: messages for the public pages.\n"
    "# Source strings (msgids) are English, written in plain language (B1). Every string must be translated;\n"
    "# the tests fail otherwise. Keep the tone respectful and non-judgemental. The first translations were\n"
    "# written by the engineering team; have a native speaker, ideally from the community, review them.")


def extract_template():
    """A Catalog of every msgid used in this package, with where it is used, plus the routing engine's plan
    explanations and channel names, which the pages translate (plan_texts.py)."""
    template = Catalog(project="voorportaal-intake-web", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE_DIR, METHOD_MAP, keywords=KEYWORDS, strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for code, english in ENGLISH.items():
        template.add(english, None, [("routing:explanation_texts.py", 0)], auto_comments=[f"plan: {code}"])
    for channel_id, channel in sorted(load_directory().channels.items()):
        template.add(channel.name, None, [("routing:channels.yaml", 0)],
                     auto_comments=[f"channel name: {channel_id} (keep the proper name; translate the rest)"])
    return template


def sync():
    """Returns how many messages the catalogues now hold."""
    return CATALOGUES.sync(extract_template(), "Voorportaal intake form", HEADER_COMMENT, SUPPORTED_LANGUAGES)
