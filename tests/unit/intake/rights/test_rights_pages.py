"""The guide's pages and the letter pages in the six languages: under the page-weight budget (30 KB), no script or
style of their own, no link to another origin, and the facts shown with their source and check date."""
import re
import sys
from pathlib import Path

import pytest

from services.intake.use_cases import letters
from services.intake.use_cases.rights_guide import load_guide
from services.intake.web import rights_pages
from services.intake.web.languages import SUPPORTED_LANGUAGES
from services.intake.web.letter_form import parse_letter_form

sys.path.insert(0, str(Path(__file__).parent.parent / "letters"))
from letter_cases import CASES, TODAY  # noqa: E402

BUDGET = 30 * 1024
CSRF = "c" * 43
QUICK_EXIT = "https://www.google.com/"


def pages_in(lang):
    guide = load_guide()
    yield "guide", rights_pages.render_guide(lang)
    for topic in guide.topics:
        yield f"topic {topic.id}", rights_pages.render_topic(lang, topic)
    yield "letter form", rights_pages.render_letter_form(lang, CSRF, {}, {})
    everything_missing = parse_letter_form({"channel_id": "kifid"}, lang)[2]
    yield "letter form with errors", rights_pages.render_letter_form(lang, CSRF, {"channel_id": "kifid"},
                                                                     everything_missing)
    for case, request in CASES.items():
        yield f"letter {case}", rights_pages.render_letter_page(lang, CSRF, letters.build(request, TODAY), {})


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_page_is_under_the_budget_and_keeps_the_csp(lang):
    for name, html in pages_in(lang):
        size = len(html.encode("utf-8"))
        assert size < BUDGET, f"{lang} {name}: {size} bytes"
        assert f'<html lang="{lang}">' in html
        assert not re.search(r"<script(?![^>]*src=\"/static/)", html), name      # only the site's own script
        assert "<style" not in html and " style=" not in html and not re.search(r"\son[a-z]+=", html), name
        links = set(re.findall(r'href="(https?://[^"]*)"', html))
        assert links <= {QUICK_EXIT}, f"{name} links to {links}"                  # sources are shown as text


def test_a_topic_shows_each_fact_with_its_source_and_check_date_in_the_page_language():
    topic = load_guide().topic("housing")
    html = rights_pages.render_topic("nl", topic)
    assert "Sinds 1 januari 2024 heeft elke gemeente een meldpunt" in html
    assert html.count("Gecontroleerd op 3 december 2026.") == len(topic.facts)
    assert '<span class="url">https://www.volkshuisvestingnederland.nl/' in html or "Bron:" in html
    medium = [fact for fact in topic.facts if fact.confidence != "high"]
    assert html.count("Minder zeker") == len(medium)


def test_the_letter_form_names_every_missing_field_with_the_reason():
    values = {"channel_id": "nationale-ombudsman", "institution_type": "tax_authority", "issue": "rude_treatment",
              "account": "They were rude."}
    request, shown, errors = parse_letter_form(values, "en")
    assert request is None
    assert set(errors) == {"sender_name", "sender_address", "sender_postcode_city", "grounds", "prior_filed_on"}
    html = rights_pages.render_letter_form("en", CSRF, shown, errors)
    assert html.count("(Awb 9:28)") >= 5 and '<a href="#f-sender_name">' in html
    assert 'aria-invalid="true"' in html and "They were rude." in html


def test_the_letter_page_shows_the_dutch_letter_and_the_translation_and_carries_the_answers_for_the_downloads():
    values = {"channel_id": "internal:care_provider", "sender_name": "Maria Jansen"}
    html = rights_pages.render_letter_page("es", CSRF, letters.build(CASES["care"], TODAY), values)
    assert "Hierbij dien ik een klacht in op grond van de Wet kwaliteit" in html
    assert "Por la presente presento una queja según la Ley de calidad" in html
    assert '<input type="hidden" name="sender_name" value="Maria Jansen">' in html
    assert 'name="output" value="pdf"' in html and 'name="output" value="text"' in html
    assert '<div class="letter" lang="nl">' in html and '<div class="letter" lang="es">' in html
