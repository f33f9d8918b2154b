"""The rights guide and the letter builder in a real browser without JavaScript, in Dutch and Bulgarian: from the
guide to a topic, from a plan step on the options page to the letter form with the step's facts, the form's errors,
the letter page and the PDF download; every request stays on the desk's origin, no CSP complaint, and axe-core
finds no WCAG 2.x A/AA violation on any of the new pages."""
import pytest

from support.browser import (  # noqa: F401 - `browser` is a fixture
    answer, ask_options, axe_available, axe_violations, browser, new_page,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

BANK_PLAN = {"radio": {"institution_type": "bank", "issue": "account_refused_or_closed", "capacity": "private",
                       "prior_complaint": "yes"},
             "text": {"prior_filed_on": "01-09-2026"}, "select": {"municipality": "GM0363"}}
SENDER = {"sender_name": "Maria Jansen", "sender_address": "Voorbeeldstraat 12",
          "sender_postcode_city": "1012 AB Amsterdam"}
WORDS = {"nl": {"guide": "Je rechten en plichten", "topic": "Je bankrekening", "letter": "Je klachtbrief"},
         "bg": {"guide": "Вашите права и задължения", "topic": "Вашата банкова сметка",
                "letter": "Вашето писмо с жалба"}}


def navigate(page, selector):
    with page.expect_navigation() as navigation:
        page.click(selector)
    return navigation.value.status


def walk(page, base, lang, audit):
    """The guide, a topic, the options page, the letter form from a plan step, its errors, the letter, the PDF."""
    words = WORDS[lang]
    assert page.goto(f"{base}/{lang}/rights").status == 200
    assert words["guide"] in page.inner_text("h1")
    audit("guide")
    assert navigate(page, f'main a[href="/{lang}/rights/bank-account"]') == 200
    assert page.inner_text("h1") == words["topic"]
    assert page.locator("ul.facts > li").count() == 8 and page.locator("span.url").count() == 8
    audit("topic")

    assert ask_options(page, base, lang, BANK_PLAN) == 200
    assert page.locator(f'a[href="/{lang}/rights/bank-account"]').count() >= 2   # a step and a warning
    assert navigate(page, f'form[action="/{lang}/letter"] button') == 200        # the bank's own procedure
    assert page.input_value("#f-channel_id") == "internal:bank"
    assert page.is_checked('input[name="issue"][value="account_refused_or_closed"]')
    audit("letter form from a plan step")

    assert navigate(page, 'button[name="output"][value="html"]') == 400        # no name, no bank, no story
    assert page.is_visible(".error-summary") and page.get_attribute("#f-sender_name", "aria-invalid") == "true"
    audit("letter form with errors")

    answer(page, {"text": {**SENDER, "institution_name": "Voorbeeldbank",
                           "account": "Op 1 september 2026 zegde de bank mijn rekening op.\nZonder reden."}})
    assert navigate(page, 'button[name="output"][value="html"]') == 200
    assert page.inner_text("h1") == words["letter"]
    letters = page.locator("div.letter")
    assert letters.count() == (1 if lang == "nl" else 2)
    assert "Hierbij dien ik een klacht in via uw interne klachtenprocedure" in letters.nth(0).inner_text()
    audit("letter page")
    with page.expect_download() as download:
        page.click('button[name="output"][value="pdf"]')
    assert download.value.suggested_filename == "klachtbrief.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


@pytest.mark.parametrize("lang", ["nl", "bg"])
def test_the_guide_and_the_letter_builder_work_without_javascript(platform, browser, lang):
    page, log = new_page(browser, javascript=False, locale="nl-NL" if lang == "nl" else "bg-BG")
    try:
        walk(page, platform.base_url, lang, audit=lambda _name: None)
    finally:
        page.context.close()
    assert log.foreign(platform.base_url) == [] and log.csp_errors == []


@pytest.mark.skipif(not axe_available(), reason="node_modules/axe-core is missing: run `npm ci` (CI does)")
@pytest.mark.parametrize("lang", ["nl", "bg"])
def test_every_new_page_and_state_has_no_axe_violations(platform, browser, lang):
    """axe runs in the page, so this pass has JavaScript on; the pages are the same as without it."""
    page, _log = new_page(browser, javascript=True, locale="nl-NL" if lang == "nl" else "bg-BG")
    findings, checked = {}, []

    def audit(name):
        checked.append(name)
        violations = axe_violations(page)
        if violations:
            findings[name] = violations
    try:
        walk(page, platform.base_url, lang, audit)
    finally:
        page.context.close()
    report = "\n".join(f"{name}:\n  " + "\n  ".join(v) for name, v in findings.items())
    assert not findings, f"axe found WCAG 2.x A/AA violations:\n{report}"
    assert len(checked) == 5
