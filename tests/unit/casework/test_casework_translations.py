"""The workspace speaks Dutch and English: every text of its templates and labels is in both catalogues."""
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
