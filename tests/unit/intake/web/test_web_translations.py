"""The catalogues: complete in every language, in step with the templates, and safe to format."""
import re

import pytest
from babel.messages.checkers import python_format

from libs.contracts.events import CAPACITIES, INSTITUTION_TYPES, ISSUES, REPORTER_ROLES
from services.intake.web import labels
from services.intake.web.catalogue_sync import extract_template
from services.intake.web.catalogues import read_catalogue, translations_for
from services.intake.web.form_fields import ALL_FIELDS, MAX_LENGTH
from services.intake.web.languages import SUPPORTED_LANGUAGES

PLACEHOLDER = re.compile(r"%\(\w+\)s")
EXTRACTED = {message.id for message in extract_template() if message.id}


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_msgid_has_a_translation(lang):
    catalogue = read_catalogue(lang)
    untranslated = [message.id for message in catalogue if message.id and not message.string]
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_catalogue_matches_the_wording_in_the_code(lang):
    """Run `voorportaal-case translations sync` after changing wording, then translate."""
    in_catalogue = {message.id for message in read_catalogue(lang) if message.id}
    assert EXTRACTED - in_catalogue == set(), "new strings not yet in the catalogue"
    assert in_catalogue - EXTRACTED == set(), "catalogue holds strings no longer used"


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_placeholders_survive_translation(lang):
    catalogue = read_catalogue(lang)
    for message in catalogue:
        if not message.id:
            continue                              # the header
        if message.python_format:
            python_format(catalogue, message)     # raises TranslationError on a mismatch
        # Every string is %-formatted (Jinja's newstyle gettext, plan_texts.py), so a lone % would break it.
        placeholders = set(PLACEHOLDER.findall(message.id))
        rest = PLACEHOLDER.sub(lambda found: "" if found.group(0) in placeholders else found.group(0),
                               message.string.replace("%%", ""))
        assert "%" not in rest, message.id


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_catalogue_compiles_and_translates(lang):
    translations = translations_for(lang)
    assert translations.gettext("Yes") == read_catalogue(lang)["Yes"].string


def test_every_code_has_wording():
    assert set(labels.INSTITUTION_LABELS) == set(INSTITUTION_TYPES)
    assert set(labels.ISSUE_LABELS) == set(ISSUES)
    assert set(labels.ROLE_LABELS) == set(REPORTER_ROLES)
    assert set(labels.CAPACITY_LABELS) == set(CAPACITIES)
    assert set(labels.FIELD_LABELS) == set(ALL_FIELDS)
    assert set(MAX_LENGTH) <= set(ALL_FIELDS)
