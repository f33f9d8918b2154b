"""Keep the `rights` catalogues (services/intake/translations/<lang>/LC_MESSAGES/rights.po) in step with the rights
guide's data, the letter's sentences and the `r_`/`R_` strings of the pages:

    voorportaal-case rights sync          (or .venv/bin/python -m services.intake.cli rights sync)

adds new strings (empty, for a translator) and drops unused ones. tests/unit/intake/test_rights_catalogue.py fails
while any string is missing or untranslated. The form's own catalogue (messages.po) is not touched.
"""
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from services.intake.domain.letter_texts import LETTER, NOTES
from services.intake.domain.letters import REASONS
from services.intake.use_cases.rights_guide import load_guide

from .languages import SUPPORTED_LANGUAGES
from .rights_catalogues import LETTER_CONTEXT, RIGHTS

PACKAGE_DIR = Path(__file__).parent
METHOD_MAP = [("templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"r_": None, "R_": None}
HEADER_COMMENT = (
    "# Voorportaal: the rights-and-duties guide and the complaint-letter builder (their own domain, `rights`).\n"
    "# msgids are English at B1. Guide texts come from services/intake/data/rights.yaml (research task 16; the\n"
    "# Dutch from that research). Entries with msgctxt \"letter\" are the complaint letter's sentences: their Dutch\n"
    "# translation IS the letter that is sent (formal Dutch, checked by golden tests); the other languages only\n"
    "# help the person understand what they sign. The es, ro, bg and pl translations were written by the\n"
    "# engineering team and await review by native speakers, ideally from the community; the Dutch legal wording\n"
    "# awaits review by a lawyer. Keep the tone respectful and free of judgement.")


def extract_template():
    template = Catalog(project="voorportaal-intake-rights", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE_DIR, METHOD_MAP, keywords=KEYWORDS, strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for english, where in load_guide().texts():
        template.add(english, None, [("data/rights.yaml", 0)], auto_comments=[f"guide: {where}"])
    for key, english in NOTES.items():
        template.add(english, None, [("domain/letter_texts.py", 0)], auto_comments=[f"letter note: {key}"])
    for key, english in REASONS.items():
        template.add(english, None, [("domain/letters.py", 0)], auto_comments=[f"why a field is needed: {key}"])
    for key, english in LETTER.items():
        template.add(english, None, [("domain/letter_texts.py", 0)], auto_comments=[f"letter: {key}"],
                     context=LETTER_CONTEXT)
    return template


def sync():
    """Returns how many messages the catalogues now hold."""
    return RIGHTS.sync(extract_template(), "Voorportaal rights guide and letters", HEADER_COMMENT,
                       SUPPORTED_LANGUAGES)
