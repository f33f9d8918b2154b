"""The catalogues of the status e-mails to the person: complete in every language, in step with the msgids in the
code, safe to %-format, and what email_text actually sends."""
import re

import pytest
from babel.messages.checkers import python_format

from libs.i18n import LANGUAGES
from services.notification import cli
from services.notification.domain import complainant_texts
from services.notification.domain.complainant_texts import CATALOGUES, KINDS, email_text

PLACEHOLDER = re.compile(r"%\(\w+\)s")
EXTRACTED = {message.id for message in cli.extract_template() if message.id}
REF = "VP-AB12-CD34"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_msgid_translated(lang):
    assert CATALOGUES.po_path(lang).exists()
    assert CATALOGUES.untranslated(lang) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogue_matches_the_msgids_in_the_code(lang):
    """Run `python -m services.notification.cli translations sync` after changing a msgid, then translate."""
    in_catalogue = {message.id for message in CATALOGUES.read(lang) if message.id}
    assert EXTRACTED - in_catalogue == set(), "new msgids not yet in the catalogue"
    assert in_catalogue - EXTRACTED == set(), "the catalogue holds msgids no longer used"


def test_the_extraction_finds_every_text_email_text_uses():
    used = {*complainant_texts.SUBJECTS.values(), *complainant_texts.LEADS.values(), complainant_texts.GREETING,
            complainant_texts.LINK, complainant_texts.FOOTER, complainant_texts.DATE_PATTERN,
            *complainant_texts.QUESTIONS.values()}
    assert EXTRACTED == used


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang):
    catalogue = CATALOGUES.read(lang)
    for message in catalogue:
        if not message.id:
            continue  # the header
        if message.python_format:
            python_format(catalogue, message)  # raises TranslationError on an unknown or mistyped placeholder
            assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(message.id)), message.id
        # a lone % would break the %-formatting in email_text
        assert "%" not in PLACEHOLDER.sub("", message.string), message.id


def test_english_is_the_msgids_themselves():
    for message in CATALOGUES.read("en"):
        assert message.string == message.id or not message.id


def test_every_catalogue_says_its_translations_await_review_by_native_speakers():
    for lang in LANGUAGES:
        header = CATALOGUES.po_path(lang).read_text(encoding="utf-8").split('msgid ""', 1)[0]
        assert "native speakers" in header and "community" in header, lang


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_email_is_worded_from_the_catalogue(lang, kind):
    gettext = CATALOGUES.gettext(lang)
    subject, body = email_text(kind, lang, REF, "https://desk.test/x", "2026-12-30")
    assert subject == gettext(complainant_texts.SUBJECTS[kind]) % {"ref": REF}
    assert gettext(complainant_texts.FOOTER) in body and gettext(complainant_texts.GREETING) in body


@pytest.mark.parametrize(("lang", "shown"), [("en", "2026-12-30"), ("nl", "30-12-2026"), ("es", "30/12/2026"),
                                             ("ro", "30.12.2026"), ("bg", "30.12.2026"), ("pl", "30.12.2026")])
def test_dates_are_written_the_way_each_language_writes_them(lang, shown):
    assert shown in email_text("deadline", lang, REF, "https://desk.test/x", "2026-12-30")[1]
    assert "05" in email_text("deadline", lang, REF, "https://desk.test/x", "2027-01-05")[1]  # zero-padded


def test_an_unknown_language_gets_the_dutch_wording():
    assert email_text("plan", "de", REF, "u") == email_text("plan", "nl", REF, "u")
    assert email_text("plan", None, REF, "u") == email_text("plan", "nl", REF, "u")
