"""Helpers for the browser tests: one headless Debian chromium per test run, driven by Playwright.

The browser is the system's (`/usr/bin/chromium`, or `$CHROMIUM`); `playwright install` is never needed. The form
is filled by field names and values, not by the wording, so one helper serves all six languages.
"""
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
PHONE = {"width": 390, "height": 844}

# The answers of one complete complaint, by step. Radio values and select values are the form's own codes.
BANK_COMPLAINT = {
    "about": {"radio": {"reporter_role": "sex_worker", "institution_type": "bank"},
              "text": {"institution_name": "Voorbeeldbank"}, "select": {"municipality": "GM0363"}},
    "what": {"radio": {"issue": "account_refused_or_closed", "capacity": "private", "prior_complaint": "no"},
             "text": {"incident_date": "15-03-2026",
                      "description": "My bank closed my account after I told them what work I do."}},
    "contact": {"radio": {"wants_mediation": "yes", "contact_method": "none"}},
    # asked only because this person wants mediation: may the mediator read the case?
    "consent": {"radio": {"consent_referral": "yes", "consent_share_description": "no", "consent_contact": "no",
                          "consent_share_with_mediator": "no"}},
}
# the same complaint with an e-mail address and consent to be contacted: the person gets status messages
BANK_COMPLAINT_WITH_MESSAGES = {
    **BANK_COMPLAINT,
    "contact": {"radio": {"wants_mediation": "no", "contact_method": "email"},
                "text": {"contact_address": "person.browser@example.test"}},
    "consent": {"radio": {"consent_referral": "yes", "consent_share_description": "no", "consent_contact": "yes"}},
}


def chromium_path():
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return found if os.path.exists(found) else None


_SHARED = {}


def shared_browser():
    """One browser for every test module (a fixture imported into several modules would launch one each)."""
    if "browser" not in _SHARED:
        executable = chromium_path()
        if executable is None:
            pytest.fail("chromium is not installed (apt-get install -y chromium); the browser tests need it")
        from playwright.sync_api import sync_playwright
        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        _SHARED["browser"] = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                                        timeout=60_000)
    return _SHARED["browser"]


def close_shared_browser():
    browser, playwright = _SHARED.pop("browser", None), _SHARED.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@pytest.fixture(scope="session")
def browser():
    yield shared_browser()
    close_shared_browser()


class RequestLog:
    """Every request a page makes (documents, styles, scripts, favicon, ...) and every CSP complaint."""

    def __init__(self, page):
        self.urls = []
        self.csp_errors = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def foreign(self, base_url):
        own = urlsplit(base_url).netloc
        return [url for url in self.urls if urlsplit(url).netloc != own]


def new_page(browser, javascript=True, viewport=None, locale="en-GB"):
    context = browser.new_context(java_script_enabled=javascript, viewport=viewport or PHONE, locale=locale,
                                  service_workers="block")
    context.set_default_timeout(15_000)
    page = context.new_page()
    return page, RequestLog(page)


def answer(page, answers):
    for name, value in answers.get("radio", {}).items():
        page.check(f'input[type=radio][name="{name}"][value="{value}"]')
    for name, value in answers.get("text", {}).items():
        page.fill(f'[name="{name}"]:not([type=hidden])', value)
    for name, value in answers.get("select", {}).items():
        page.select_option(f'select[name="{name}"]', value)


def press(page, action="next"):
    """Click a form button (`action=next|back`) and wait for the server's answer; returns its status."""
    with page.expect_navigation() as navigation:
        page.click(f'button[name="action"][value="{action}"]')
    return navigation.value.status


def current_step(page):
    return page.get_attribute('input[type=hidden][name="step"]', "value")


def fill_complaint(page, base_url, lang, answers=BANK_COMPLAINT, on_step=None):
    """From the start page to the confirmation page; `on_step(page, step)` is called on each step as shown.

    Returns (reference, receipt) as read from the confirmation page.
    """
    response = page.goto(f"{base_url}/{lang}/")
    assert response.status == 200
    with page.expect_navigation():
        page.click(f'a.button[href="/{lang}/form"]')
    for step in ("about", "what", "contact", "consent"):
        assert current_step(page) == step, page.url
        if on_step:
            on_step(page, step)
        answer(page, answers[step])
        assert press(page) == 200, f"step {step} was refused: {page.inner_text('main')[:500]}"
    assert current_step(page) == "review"
    if on_step:
        on_step(page, "review")
    assert press(page) == 201
    return page.input_value("#reference"), page.input_value("#receipt")


def follow_up(page, base_url, lang, reference, receipt):
    """POST reference and receipt through the follow-up form (never in a URL); returns the response status."""
    page.goto(f"{base_url}/{lang}/follow-up")
    page.fill("#f-reference", reference)
    page.fill("#f-receipt", receipt)
    with page.expect_navigation() as navigation:
        page.click('main form button[type="submit"]')
    return navigation.value.status


def ask_options(page, base_url, lang, answers):
    page.goto(f"{base_url}/{lang}/options")
    answer(page, answers)
    with page.expect_navigation() as navigation:
        page.click('main form button[type="submit"]')
    return navigation.value.status


def axe_available():
    return AXE_PATH.exists()


def axe_violations(page):
    """axe-core's WCAG 2.x A/AA violations on the page as it is now, as short readable strings.

    axe is evaluated through the DevTools protocol rather than an inline <script>, which the pages' CSP
    (`default-src 'self'`) rightly refuses, so the check runs against the real, unrelaxed policy.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_PATH.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
              .then(r => r.violations.map(v => `${v.id} (${v.impact}): ${v.help} @ ` +
                                                v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(' | ')))""",
        WCAG_TAGS)
    return result
