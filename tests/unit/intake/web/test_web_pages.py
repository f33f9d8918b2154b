"""Every page, in every language: complete, accessible basics, light, and safe under CSP default-src 'self'."""
import re

import pytest

from services.intake.web import pages
from services.intake.web.urls import QUICK_EXIT_URL
from web_html_facts import PageFacts
from web_sample_pages import all_pages

PAGES = [(lang, name, html) for lang in pages.SUPPORTED_LANGUAGES for name, html in all_pages(lang).items()]
IDS = [f"{lang}-{name}" for lang, name, _ in PAGES]


@pytest.mark.parametrize("lang, name, html", PAGES, ids=IDS)
def test_page_declares_its_language(lang, name, html):
    assert html.startswith("<!doctype html>")
    assert PageFacts(html).html_lang == lang


@pytest.mark.parametrize("lang, name, html", PAGES, ids=IDS)
def test_page_weighs_under_30_kb(lang, name, html):
    assert len(html.encode("utf-8")) < 30 * 1024


@pytest.mark.parametrize("lang, name, html", PAGES, ids=IDS)
def test_page_links_nowhere_else_except_the_quick_exit(lang, name, html):
    for tag, attribute, url in PageFacts(html).urls:
        if url == QUICK_EXIT_URL:
            continue
        assert not re.match(r"^(https?:)?//", url), (tag, attribute, url)
        assert url.startswith(("/", "#", "tel:")), (tag, attribute, url)


@pytest.mark.parametrize("lang, name, html", PAGES, ids=IDS)
def test_page_passes_a_strict_content_security_policy(lang, name, html):
    facts = PageFacts(html)
    assert facts.inline_scripts == 0
    assert facts.style_attributes == 0 and facts.style_elements == 0
    assert facts.event_handlers == []
    assert "javascript:" not in html


@pytest.mark.parametrize("lang, name, html", PAGES, ids=IDS)
def test_page_has_quick_exit_skip_link_and_main(lang, name, html):
    facts = PageFacts(html)
    assert ("a", "href", QUICK_EXIT_URL) in facts.urls
    assert ("a", "href", "#main") in facts.urls and "main" in facts.ids
    assert html.count('rel="noreferrer"') >= 1


@pytest.mark.parametrize("lang, name, html", PAGES, ids=IDS)
def test_every_label_hint_and_error_link_points_at_something(lang, name, html):
    facts = PageFacts(html)
    assert len(facts.ids) == len(set(facts.ids)), "duplicate ids"
    assert set(facts.label_targets) <= set(facts.ids)
    assert set(facts.described_by) <= set(facts.ids)
    fragment_links = {url[1:] for _, attribute, url in facts.urls if url.startswith("#")}
    assert fragment_links <= set(facts.ids)
    assert facts.fieldsets_without_legend == 0


@pytest.mark.parametrize("lang, name, html", PAGES, ids=IDS)
def test_forms_post_and_carry_the_csrf_token(lang, name, html):
    forms = re.findall(r"<form[^>]*>", html)
    for form in forms:
        assert 'method="post"' in form
    if forms:
        assert PageFacts(html).hidden_inputs.get("csrf_token") == "csrf-test-token"


def test_translated_pages_differ_from_english():
    """A cheap guard against a language silently falling back to the English msgids."""
    english = pages.render_start("en", "t")
    for lang in pages.SUPPORTED_LANGUAGES:
        if lang != "en":
            assert pages.render_start(lang, "t") != english.replace('lang="en"', f'lang="{lang}"')


def test_unknown_language_falls_back_to_dutch():
    assert PageFacts(pages.render_start("xx", "t")).html_lang == "nl"


def test_error_pages_are_generic_and_never_echo_input():
    for code in (400, 403, 404, 405, 413, 429, 500, 418):
        html = pages.render_error("en", code)
        assert "<h1>" in html and "Traceback" not in html
    assert pages.render_error("en", 418) == pages.render_error("en", 500)


def test_user_text_is_escaped_not_executed():
    values = {"description": '<script>alert(1)</script>"', "institution_name": '"><img src=x onerror=alert(1)>'}
    html = pages.render_form_step("en", "review", values, {}, "t")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_follow_up_error_is_a_known_message_never_the_input():
    html = pages.render_follow_up("en", "t", None, "<b>made-up code</b>")
    assert "made-up code" not in html
    assert "Something went wrong" in html


def test_follow_up_form_never_puts_secrets_in_the_url():
    html = pages.render_follow_up("en", "t", None, None)
    form = re.search(r"<form[^>]*>", html).group(0)
    assert 'method="post"' in form and "?" not in form


def test_confirmation_shows_receipt_selectable_without_javascript():
    html = pages.render_confirmation("en", "VP-1", "secret-receipt-value", "/en/follow-up")
    assert re.search(r'<input[^>]*id="receipt"[^>]*value="secret-receipt-value"[^>]*readonly', html)
    assert re.search(r"<button[^>]*data-copy=\"receipt\"[^>]*hidden", html)   # shown only by the script


def test_route_explorer_shows_danger_contacts_only_on_a_signal():
    plan = {"steps": [], "support": [], "warnings": [], "signal": False}
    assert "0800-7000" not in pages.render_route_explorer("en", "t", {}, plan, {})
    html = pages.render_route_explorer("en", "t", {}, dict(plan, signal=True), {})
    for number in ("112", "0900-8844", "0800-7000", "033 448 11 86"):
        assert number in html
    assert "without your permission" in html


def test_review_page_shows_danger_contacts_for_violence_and_exploitation():
    for issue, shown in (("violence", True), ("exploitation", True), ("privacy", False)):
        html = pages.render_form_step("en", "review", {"issue": issue}, {}, "t")
        assert ("0800-7000" in html) is shown


def test_consent_questions_are_three_separate_unticked_yes_no_questions():
    html = pages.render_form_step("en", "consent", {}, {}, "t")
    for name in ("consent_referral", "consent_share_description", "consent_contact"):
        assert len(re.findall(rf'<input type="radio"[^>]*name="{name}"', html)) == 2
    assert "checked" not in html


def test_capacity_is_asked_only_for_banks_and_insurers():
    assert 'name="capacity"' in pages.render_form_step("en", "what", {"institution_type": "bank"}, {}, "t")
    assert 'name="capacity"' not in pages.render_form_step("en", "what", {"institution_type": "police"}, {}, "t")


def test_contact_step_starts_anonymous():
    html = pages.render_form_step("en", "contact", {}, {}, "t")
    assert re.search(r'name="contact_method" value="none" checked', html)


def test_answers_from_other_steps_travel_in_hidden_fields():
    values = {"reporter_role": "operator", "description": "text", "consent_referral": "yes"}
    facts = PageFacts(pages.render_form_step("en", "contact", values, {}, "t"))
    assert facts.hidden_inputs["reporter_role"] == "operator"
    assert facts.hidden_inputs["description"] == "text"
    assert facts.hidden_inputs["step"] == "contact"


def test_municipality_select_lists_all_342():
    html = pages.render_form_step("en", "about", {"municipality": "GM0363"}, {}, "t")
    assert len(re.findall(r"<option value=GM\d{4}", html)) == 342
    assert "<option value=GM0363 selected>Amsterdam" in html


@pytest.mark.parametrize("header, expected", [
    (None, "nl"), ("", "nl"), ("en-GB,en;q=0.9", "en"), ("de-DE,de;q=0.9", "nl"),
    ("de;q=1,pl;q=0.5,en;q=0.4", "pl"), ("bg;q=0.2,ro;q=0.8", "ro"), ("es;q=0", "nl"), ("ES-mx", "es"),
    ("en;q=abc,nl;q=0.1", "nl"),
])
def test_negotiate_language(header, expected):
    assert pages.negotiate_language(header) == expected


def test_static_files_are_served_by_name_only():
    content_type, body = pages.static_file("voorportaal.css")
    assert content_type.startswith("text/css") and b"@media print" in body
    assert pages.static_file("voorportaal.js")[0].startswith("text/javascript")
    for name in ("../pages.py", "/etc/passwd", "templates/base.html", ""):
        assert pages.static_file(name) is None


def test_stylesheet_loads_nothing_from_elsewhere():
    css = pages.static_file("voorportaal.css")[1].decode()
    assert "url(" not in css and "@import" not in css


def test_a_step_opened_from_the_review_carries_the_way_back():
    facts = PageFacts(pages.render_form_step("en", "about", {"return_to": "review"}, {}, "t"))
    assert facts.hidden_inputs["return_to"] == "review"
