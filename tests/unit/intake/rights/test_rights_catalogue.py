"""The `rights` catalogue (its own Babel domain): complete in the six languages, in step with the data, the letter's
sentences and the pages, safe to format, and apart from the form's messages.po."""
import re

import pytest
from babel.messages.checkers import python_format

from services.intake.domain.letter_texts import LETTER
from services.intake.web.catalogues import read_catalogue
from services.intake.web.languages import SUPPORTED_LANGUAGES
from services.intake.web.rights_catalogues import LETTER_CONTEXT, RIGHTS, letter_text, text
from services.intake.web.rights_sync import extract_template

PLACEHOLDER = re.compile(r"%\(\w+\)s")
EXTRACTED = {(message.id, message.context) for message in extract_template() if message.id}


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_string_is_translated_and_the_catalogue_matches_the_code(lang):
    catalogue = RIGHTS.read(lang)
    assert RIGHTS.untranslated(lang) == []
    present = {(message.id, message.context) for message in catalogue if message.id}
    assert EXTRACTED - present == set(), "run `voorportaal-case rights sync`, then translate"
    assert present - EXTRACTED == set(), "the catalogue holds strings no longer used"


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_placeholders_survive_translation(lang):
    catalogue = RIGHTS.read(lang)
    for message in catalogue:
        if not message.id:
            continue
        if message.python_format:
            python_format(catalogue, message)
        placeholders = set(PLACEHOLDER.findall(message.id))
        assert set(PLACEHOLDER.findall(message.string)) == placeholders, message.id
        assert "%" not in PLACEHOLDER.sub("", message.string.replace("%%", "")), message.id


def test_the_header_says_the_translations_await_review():
    header = RIGHTS.po_path("bg").read_text(encoding="utf-8").split("\nmsgid \"\"", 1)[0]
    assert "await review by native speakers" in header and "lawyer" in header


def test_the_letter_is_dutch_and_the_guide_speaks_each_language():
    assert letter_text("nl", LETTER["salutation"]) == "Geachte heer, mevrouw,"
    assert letter_text("bg", LETTER["closing"]) == "С уважение,"
    assert text("pl", "Your rights and duties") == "Twoje prawa i obowiązki"
    assert all(message.context in (None, LETTER_CONTEXT) for message in RIGHTS.read("nl"))


def test_no_new_wording_went_into_the_forms_catalogue():
    messages = {message.id for message in read_catalogue("nl") if message.id}
    assert "Your rights and duties" not in messages and LETTER["awb.legal"] not in messages
