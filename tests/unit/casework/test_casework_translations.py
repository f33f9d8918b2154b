"""The workspace speaks Dutch and English: every text of its templates and labels is in both catalogues."""
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from services.casework.web.rendering import CATALOGUES, TEMPLATES_DIR, render
from services.casework.web import labels, rendering


def used_msgids():
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            TEMPLATES_DIR.parent, [("templates/**.html", "jinja2"), ("**.py", "python")],
            keywords={**DEFAULT_KEYWORDS, "N_": None}):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_workspace_text_is_translated(lang):
    """After changing wording: `.venv/bin/python -m services.casework.cli translations sync`, then translate."""
    catalogue = {m.id: m.string for m in CATALOGUES.read(lang) if m.id}
    missing = sorted(used_msgids() - set(catalogue))
    assert missing == [], "not in the catalogue"
    assert CATALOGUES.untranslated(lang) == []


def test_pages_render_in_dutch():
    html = render("nl", "sign_in.html", viewer=None, labels=labels, roles=None, request_path="/sign-in", csrf="")
    assert 'lang="nl"' in html and "Inloggen" in html
    assert rendering.gettext("en")("Sign in") == "Sign in"


@pytest.mark.parametrize("lang", ["nl", "en", "es", "ro", "bg", "pl"])
def test_every_standard_text_is_in_the_persons_six_languages_with_its_placeholders(lang):
    from services.casework.domain import standard_texts
    from services.casework.web.rendering import STANDARD_TEXTS
    catalogue = {m.id: m.string for m in STANDARD_TEXTS.read(lang) if m.id}
    for text in standard_texts.TEXTS:
        translated = catalogue.get(text.english)
        assert translated, (lang, text.code)
        assert set(re.findall(r"%\((\w+)\)s", translated)) == set(re.findall(r"%\((\w+)\)s", text.english)), \
            (lang, text.code)
        assert set(text.placeholders) <= set(re.findall(r"%\((\w+)\)s", text.english))
        filled = standard_texts.fill(text.code, STANDARD_TEXTS.gettext(lang), lang, "VP-AAAA-BBBB",
                                     {"missing": "x", "channel": "y", "date": "2027-01-15"})
        assert "%(" not in filled and ("VP-AAAA-BBBB" in filled or "%(ref)s" not in text.english)
