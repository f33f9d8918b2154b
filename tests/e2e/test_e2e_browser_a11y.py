"""WCAG 2.2 AA (as far as a machine can tell): axe-core on every page and state of the public form.

axe-core comes from npm (`npm ci` at the repository root, pinned in package-lock.json). It runs against the
pages as served, with their real Content-Security-Policy. What axe cannot judge (wording, focus order in use,
zoom to 400 %, screen reader behaviour) is listed in docs/accessibility.md for a manual check.
"""
import secrets

import pytest

from support.browser import (  # noqa: F401 - `browser` is a fixture
    BANK_COMPLAINT, BANK_COMPLAINT_WITH_MESSAGES, answer, ask_options, axe_available, axe_violations, browser,
    fill_complaint, follow_up, new_page, press,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

if not axe_available():
    pytest.skip("node_modules/axe-core is missing: run `npm ci` at the repository root for the accessibility "
                "checks (CI does)", allow_module_level=True)

VIOLENCE = {"radio": {"institution_type": "police", "issue": "violence"}}
BANK_PLAN = {"radio": {"institution_type": "bank", "issue": "account_refused_or_closed", "capacity": "private",
                       "prior_complaint": "yes"},
             "text": {"prior_filed_on": "01-09-2026"}, "select": {"municipality": "GM0363"}}


class Audit:
    """Collects axe's findings per page state, so one run reports every page that fails, not just the first."""

    def __init__(self, page):
        self.page = page
        self.findings = {}
        self.checked = []

    def __call__(self, name):
        self.checked.append(name)
        violations = axe_violations(self.page)
        if violations:
            self.findings[name] = violations

    def assert_clean(self):
        report = "\n".join(f"{name}:\n  " + "\n  ".join(v) for name, v in self.findings.items())
        assert not self.findings, f"axe found WCAG 2.x A/AA violations:\n{report}"


def test_the_whole_form_its_errors_the_confirmation_and_the_follow_up_have_no_axe_violations(platform, browser):
    page, _log = new_page(browser, javascript=True)
    audit = Audit(page)
    try:
        page.goto(f"{platform.base_url}/en/")
        audit("start")

        def each_step(page, step):
            audit(f"step {step}")
            if step == "review":
                return
            # the same step again with what is missing or wrong: error summary, inline errors, aria-invalid
            if step == "contact":
                page.check('input[name="contact_method"][value="email"]')   # address required, missing
            if step == "what":
                page.fill("#f-incident_date", "31-02-2026")                  # not a real date
            assert press(page) == 400
            audit(f"step {step} with errors")
        reference, receipt = fill_complaint(page, platform.base_url, "en", on_step=each_step)
        audit("confirmation")
        assert follow_up(page, platform.base_url, "en", reference, receipt) == 200
        assert page.is_visible("section.status")
        audit("follow-up with status")
    finally:
        page.context.close()
    audit.assert_clean()
    assert len(audit.checked) == 12


def test_the_dutch_form_with_the_danger_box_has_no_axe_violations(platform, browser):
    """Violence by the police, a phone number without consent to contact: the review shows the danger box
    (112, 0900-8844, Meld Misdaad Anoniem, CoMensha) and says the number will not be kept."""
    page, _log = new_page(browser, javascript=True, locale="nl-NL")
    audit = Audit(page)
    answers = {**BANK_COMPLAINT,
               "about": {"radio": {"reporter_role": "sex_worker", "institution_type": "police"}},
               "what": {"radio": {"issue": "violence", "prior_complaint": "no"},
                        "text": {"description": "Een agent heeft me bedreigd."}},
               "contact": {"radio": {"wants_mediation": "no", "contact_method": "phone"},
                           "text": {"contact_address": "+31 6 12345678"}},
               # no mediation wanted: the question whether a mediator may read the case is not asked
               "consent": {"radio": {"consent_referral": "yes", "consent_share_description": "no",
                                     "consent_contact": "no"}}}

    def on_review(page, step):
        if step == "review":
            assert page.is_visible("section.signal") and page.is_visible("p.note")
            audit("review with the danger box and the no-contact note")
    try:
        page.goto(f"{platform.base_url}/nl/")
        audit("start")
        fill_complaint(page, platform.base_url, "nl", answers=answers, on_step=on_review)
        audit("confirmation")
    finally:
        page.context.close()
    audit.assert_clean()
    assert len(audit.checked) == 3


def test_options_follow_up_and_error_pages_have_no_axe_violations(platform, browser):
    page, _log = new_page(browser, javascript=True)
    audit = Audit(page)
    base = platform.base_url
    try:
        page.goto(f"{base}/en/options")
        audit("options, empty")
        assert ask_options(page, base, "en", {"text": {"incident_date": "next week"}}) == 400
        audit("options with errors")
        assert ask_options(page, base, "en", BANK_PLAN) == 200
        assert page.is_visible("section.plan-result") and not page.is_visible("section.signal")
        audit("options with a plan")
        assert ask_options(page, base, "en", VIOLENCE) == 200
        assert page.is_visible("section.signal")
        audit("options with a plan with signal")

        page.goto(f"{base}/en/follow-up")
        audit("follow-up, empty")
        # a fresh unknown reference: a shared one may have been locked by other tests' guesses (then 429)
        unknown = "VP-" + "-".join(secrets.token_hex(2).upper() for _ in range(2))
        assert follow_up(page, base, "en", unknown, "not-a-receipt") == 404
        assert page.is_visible(".error-summary")
        audit("follow-up with error")

        for path in ("/xx/", "/static/nothing.css"):
            page.goto(base + path)
            audit(f"error page {path}")
        page.goto(f"{base}/en/form")
        page.context.clear_cookies()                 # the form has expired: 403 page
        with page.expect_navigation() as navigation:
            page.click('button[name="action"][value="next"]')
        assert navigation.value.status == 403
        audit("error page 403")
    finally:
        page.context.close()
    audit.assert_clean()


def test_the_first_step_with_errors_in_the_other_languages_has_no_axe_violations(platform, browser):
    page, _log = new_page(browser, javascript=True)
    audit = Audit(page)
    try:
        for lang in ("es", "ro", "bg", "pl"):
            page.goto(f"{platform.base_url}/{lang}/form")
            assert page.get_attribute("html", "lang") == lang
            assert press(page) == 400
            audit(f"{lang} step about with errors")
    finally:
        page.context.close()
    audit.assert_clean()


def test_the_follow_up_actions_in_dutch_have_no_axe_violations(platform, browser):
    """Reporting progress (with an error, then saved), the withdrawal question and the withdrawn notice."""
    page, _log = new_page(browser, javascript=True, locale="nl-NL")
    audit = Audit(page)

    def click(action):
        with page.expect_navigation() as navigation:
            page.click(f'button[name="action"][value="{action}"]')
        return navigation.value.status
    try:
        reference, receipt = fill_complaint(page, platform.base_url, "nl")
        assert follow_up(page, platform.base_url, "nl", reference, receipt) == 200
        audit("follow-up with the action forms")
        assert click("progress") == 400
        audit("progress report with errors")
        page.check('input[name="progress_kind"][value="no_answer_yet"]')
        assert click("progress") == 200
        audit("progress report saved")
        assert click("withdraw") == 200
        audit("withdrawal question")
        assert click("withdraw_confirmed") == 200
        audit("withdrawn")
    finally:
        page.context.close()
    audit.assert_clean()


def test_the_stop_messages_form_and_its_notice_have_no_axe_violations(platform, browser):
    page, _log = new_page(browser, javascript=True, locale="ro-RO")
    audit = Audit(page)
    try:
        reference, receipt = fill_complaint(page, platform.base_url, "ro", answers=BANK_COMPLAINT_WITH_MESSAGES)
        assert follow_up(page, platform.base_url, "ro", reference, receipt) == 200
        assert page.is_visible("section.stop-messages")
        audit("follow-up with the stop-messages form")
        with page.expect_navigation() as navigation:
            page.click('button[name="action"][value="stop_messages"]')
        assert navigation.value.status == 200 and page.is_visible(".notice")
        audit("messages stopped")
    finally:
        page.context.close()
    audit.assert_clean()
