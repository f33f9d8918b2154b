"""Every plan sentence (explanation code) and channel name has a translation in each of intake's six catalogues:
in the person's language (not the English copied), with the same placeholders. Intake's own translation tests check
that the catalogues match the code; this checks what the rules add, code by code."""
import re

import pytest

from libs.contracts.explanation_texts import ENGLISH
from libs.referral_rules.directory import load_directory
from services.intake.web.catalogues import CATALOGUES

LANGUAGES = ("nl", "en", "es", "ro", "bg", "pl")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
CATALOGUE = {lang: {message.id: message for message in CATALOGUES.read(lang) if message.id} for lang in LANGUAGES}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", sorted(ENGLISH))
def test_every_explanation_code_is_translated(lang, code):
    english = ENGLISH[code]
    message = CATALOGUE[lang].get(english)
    assert message is not None and message.string and not message.fuzzy, f"{lang}: {code} missing"
    assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(english)), code
    if lang != "en":
        assert message.string != english, f"{lang}: {code} is the English text"
    assert "plan: " + code in message.auto_comments


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_channel_name_is_in_every_catalogue(lang):
    for channel_id, channel in load_directory().channels.items():
        message = CATALOGUE[lang].get(channel.name)
        assert message is not None and message.string, f"{lang}: {channel_id}"
