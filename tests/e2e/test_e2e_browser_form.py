"""The public form in a real browser (headless Debian chromium), with and without JavaScript, against the
running platform: a complaint from the start page to the receipt, then the follow-up page with that receipt.
Also: no request ever leaves the desk's origin, cross-origin form posts are refused, every page carries the
security headers (error pages too).
"""
import re

import pytest
import requests

from support.browser import (  # noqa: F401 - `browser` is a fixture
    BANK_COMPLAINT, BANK_COMPLAINT_WITH_MESSAGES, answer, browser, current_step, fill_complaint, follow_up,
    new_page, press,
)
from support.platform import wait_for
from services.intake.web.catalogues import translations_for
from libs.contracts.explanation_texts import ENGLISH

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

REFERENCE = re.compile(r"^VP-[0-9A-Z]{4}-[0-9A-Z]{4}$")
# What the follow-up page calls the status "received"/"planned" in each language we drive.
STATUS_WORDS = {"nl": ("Ontvangen", "Gepland"), "pl": ("Otrzymana", "Zaplanowana")}


def _no_foreign_requests(log, base_url):
    assert log.urls, "the request log recorded nothing"
    assert log.foreign(base_url) == [], "the page asked another origin"
    assert log.csp_errors == [], "the page broke its own Content-Security-Policy"


@pytest.mark.parametrize("lang", ["nl", "pl"])
def test_a_complaint_without_javascript_gives_a_receipt_that_opens_the_follow_up(platform, browser, lang):
    page, log = new_page(browser, javascript=False)
    try:
        reference, receipt = fill_complaint(page, platform.base_url, lang)
        assert REFERENCE.match(reference)
        assert len(receipt) >= 16                     # ≥ 80 bits, shown once
        assert page.get_attribute("html", "lang") == lang
        assert receipt not in page.url and reference not in page.url
        # without JavaScript the copy and print buttons stay hidden (they would do nothing)
        assert not page.is_visible('button[data-copy="receipt"]')
        assert not page.is_visible("button[data-print]")

        with page.expect_navigation():
            page.click(f'main a.button[href="/{lang}/follow-up"]')
        page.fill("#f-reference", reference.lower())   # people type it however; the server upper-cases
        page.fill("#f-receipt", receipt)
        with page.expect_navigation() as navigation:
            page.click('main form button[type="submit"]')
        assert navigation.value.status == 200
        status = page.inner_text("section.status")
        assert reference in status
        assert any(word in status for word in STATUS_WORDS[lang])
        # the checked receipt rides along only in the action forms' hidden fields: never shown, never in a URL
        assert receipt not in page.inner_text("body") and receipt not in page.url
        # (the forms that write to the desk, report progress and withdraw)
        assert page.eval_on_selector_all('input[name="receipt"][value]', "inputs => inputs.map(i => i.type)") \
            == ["hidden", "hidden", "hidden"]
        _no_foreign_requests(log, platform.base_url)
    finally:
        page.context.close()


def test_a_complaint_with_javascript_copies_the_receipt_and_the_follow_up_shows_the_plan(platform, browser):
    page, log = new_page(browser, javascript=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=platform.base_url)
    try:
        reference, receipt = fill_complaint(page, platform.base_url, "en")
        assert REFERENCE.match(reference)
        # progressive enhancement: copy and print buttons appear, and copying works
        assert page.is_visible('button[data-copy="receipt"]') and page.is_visible("button[data-print]")
        page.click('button[data-copy="receipt"]')
        page.wait_for_selector("[data-copy-status]:has-text('Copied.')")
        assert page.evaluate("navigator.clipboard.readText()") == receipt
        # at 390 px the whole receipt is visible for someone writing it down (WCAG 1.4.10 reflow)
        assert page.eval_on_selector("#receipt", "field => field.scrollWidth <= field.clientWidth")

        # once routing has planned the case (intake's read model, fed by events) the follow-up shows it
        def planned():
            response = requests.get(f"{platform.base_url}/api/v1/complaints/{reference}",
                                    headers={"Authorization": f"Receipt {receipt}"}, timeout=5)
            return response.status_code == 200 and response.json()["plan"]
        plan = wait_for(planned, timeout=30, what="the referral plan")
        assert follow_up(page, platform.base_url, "en", reference, receipt) == 200
        status = page.inner_text("section.status")
        assert reference in status and "Planned" in status
        _no_foreign_requests(log, platform.base_url)
    finally:
        page.context.close()
    assert "Your plan is not ready yet" not in status
    from libs.referral_rules.directory import load_directory
    names = [load_directory().channel(step["channel_id"]).name for step in plan]
    assert names and all(name in status for name in names)


def _options_html(base_url, lang, **answers):
    session, token = _form_session(base_url, f"/{lang}/options")
    response = session.post(f"{base_url}/{lang}/options", data={**answers, "csrf_token": token},
                            headers={"Origin": base_url}, timeout=10)
    assert response.status_code == 200
    return response.text.split('<section class="plan-result"', 1)[1].split("</section>", 1)[0]


def test_the_options_page_shows_warnings_as_sentences(platform):
    section = _options_html(platform.base_url, "en", institution_type="bank", issue="account_refused_or_closed")
    assert '<p class="warning">' in section
    assert "{&#39;" not in section and "&#39;code&#39;" not in section


def test_the_options_page_names_the_organisations_that_can_support(platform):
    section = _options_html(platform.base_url, "en", institution_type="bank", issue="account_refused_or_closed")
    support = section.split('<ul class="support">', 1)[1].split("</ul>", 1)[0]
    assert "<strong></strong>" not in support and "Juridisch Loket" in support


def test_going_back_keeps_every_answer_and_errors_are_summarised(platform, browser):
    page, _log = new_page(browser, javascript=False)
    try:
        page.goto(f"{platform.base_url}/en/form")
        # nothing answered: the same step again, 400, an error summary linked to the fields, "Error:" in the title
        assert press(page) == 400
        assert current_step(page) == "about"
        assert page.title().startswith("Error:")
        links = page.eval_on_selector_all(".error-summary a", "links => links.map(a => a.getAttribute('href'))")
        assert "#f-reporter_role" in links and "#f-institution_type" in links
        assert page.get_attribute("#f-reporter_role", "aria-invalid") == "true"

        answer(page, BANK_COMPLAINT["about"])
        assert press(page) == 200 and current_step(page) == "what"
        answer(page, BANK_COMPLAINT["what"])
        assert press(page, "back") == 200 and current_step(page) == "about"
        assert page.is_checked('input[name="institution_type"][value="bank"]')
        assert page.input_value('select[name="municipality"]') == "GM0363"
        assert press(page) == 200 and current_step(page) == "what"
        assert page.input_value("#f-description") == BANK_COMPLAINT["what"]["text"]["description"]
        assert page.input_value("#f-incident_date") == "15-03-2026"   # as typed: going back never validates
        assert page.is_checked('input[name="capacity"][value="private"]')
    finally:
        page.context.close()


def test_a_post_from_another_origin_is_refused_in_the_browser(platform, browser):
    """A page on another site that posts into the form gets the 403 page, and nothing is filed."""
    page, _log = new_page(browser, javascript=False)
    try:
        page.goto(f"{platform.base_url}/en/form")      # the person has the desk's CSRF cookie
        token = page.get_attribute('input[name="csrf_token"]', "value")
        evil = ("<!doctype html><html lang=en><title>x</title><form method=post "
                f'action="{platform.base_url}/en/follow-up"><input name=csrf_token value="{token}">'
                "<input name=reference value=VP-AAAA-AAAA><input name=receipt value=x>"
                "<button>go</button></form></html>")
        page.context.route("http://evil.test/**", lambda route: route.fulfill(
            status=200, content_type="text/html", body=evil))
        page.goto("http://evil.test/")
        with page.expect_navigation() as navigation:
            page.click("button")
        assert navigation.value.status == 403
        assert "VP-AAAA-AAAA" not in page.content()
    finally:
        page.context.close()


def _form_session(base_url, path="/en/form"):
    session = requests.Session()
    response = session.get(base_url + path, timeout=10)
    assert response.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
    assert session.cookies.get("vp_csrf") == token
    return session, token


@pytest.mark.parametrize("path,fields", [
    ("/en/form", {"step": "about", "action": "next"}),
    ("/en/follow-up", {"reference": "VP-AAAA-AAAA", "receipt": "nope"}),
    ("/en/options", {"institution_type": "bank", "issue": "privacy"}),
])
def test_cross_origin_and_tokenless_form_posts_are_refused(platform, path, fields):
    base = platform.base_url
    session, token = _form_session(base, path)
    same = {"Origin": base}
    # control: the same post from the desk's own page goes through (200, or 400/404/429 for the answers)
    assert session.post(base + path, data={**fields, "csrf_token": token}, headers=same,
                        timeout=10).status_code in (200, 400, 404, 429)
    refused = [
        session.post(base + path, data={**fields, "csrf_token": token}, headers={"Origin": "http://evil.test"},
                     timeout=10),
        session.post(base + path, data={**fields, "csrf_token": token},
                     headers={"Origin": "null", "Referer": "http://evil.test/page"}, timeout=10),
        session.post(base + path, data={**fields, "csrf_token": "x" * 43}, headers=same, timeout=10),
        session.post(base + path, data=fields, headers=same, timeout=10),
        requests.post(base + path, data={**fields, "csrf_token": token}, headers=same, timeout=10),  # no cookie
    ]
    for response in refused:
        assert response.status_code == 403, response.request.headers
        assert response.headers["Content-Type"].startswith("text/html")
        assert "VP-AAAA-AAAA" not in response.text and "nope" not in response.text


EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _check_csp(csp):
    directives = {part.strip().split(" ", 1)[0]: part.strip() for part in csp.split(";") if part.strip()}
    assert directives["default-src"] == "default-src 'self'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["form-action"] == "form-action 'self'"
    assert directives["base-uri"] == "base-uri 'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp


@pytest.mark.parametrize("method,path,status,data", [
    ("GET", "/", 200, None), ("GET", "/nl/", 200, None), ("GET", "/en/form", 200, None),
    ("GET", "/ro/options", 200, None), ("GET", "/bg/follow-up", 200, None), ("GET", "/es/", 200, None),
    ("GET", "/xx/", 404, None), ("GET", "/xx/form", 404, None), ("GET", "/static/nope.js", 404, None),
    ("GET", "/no/such/page", 404, None), ("PUT", "/en/form", 404, None),
    ("POST", "/en/form", 403, {"step": "about"}), ("POST", "/en/follow-up", 415, None),
    ("POST", "/en/options", 413, {"issue": "x" * (1024 * 1024 + 1)}),
    ("GET", "/api/v1/channels", 200, None), ("GET", "/openapi.json", 200, None),
    ("OPTIONS", "/api/v1/complaints/VP-0000-0000", 405, None),
])
def test_every_page_and_error_page_carries_the_security_headers(platform, method, path, status, data):
    response = requests.request(method, platform.base_url + path, data=data, timeout=10, allow_redirects=False)
    assert response.status_code == status
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name
    _check_csp(response.headers["Content-Security-Policy"])
    assert response.headers.get("Cache-Control") == "no-store"
    assert "Server-Timing" not in response.headers
    if response.headers["Content-Type"].startswith("text/html"):
        assert "<script>" not in response.text and " style=" not in response.text
        assert not re.search(r"\son[a-z]+=", response.text)
    cookies = response.headers.get("Set-Cookie", "")
    if cookies:
        assert cookies.startswith("vp_csrf=")
        assert "HttpOnly" in cookies and "SameSite=Strict" in cookies and "Path=/" in cookies


def test_static_files_are_cacheable_but_still_locked_down(platform):
    for name, kind in (("voorportaal.css", "text/css"), ("voorportaal.js", "javascript")):
        response = requests.get(f"{platform.base_url}/static/{name}", timeout=10)
        assert response.status_code == 200 and kind in response.headers["Content-Type"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        _check_csp(response.headers["Content-Security-Policy"])
        assert "Set-Cookie" not in response.headers
        assert "http://" not in response.text and "https://" not in response.text   # nothing from elsewhere


# What the follow-up page says after each action, per language we drive.
ACTION_WORDS = {
    "nl": {"saved": "We hebben dit genoteerd", "reported": "Ik heb mijn klacht bij de instantie ingediend",
           "confirm": "Je klacht intrekken en wissen?", "withdrawn": "Je klacht is ingetrokken"},
    "es": {"saved": "Lo hemos anotado", "reported": "Presenté mi queja ante la institución",
           "confirm": "¿Retirar tu queja y borrarla?", "withdrawn": "Tu queja se ha retirado"},
}


def _click_action(page, action):
    with page.expect_navigation() as navigation:
        page.click(f'button[name="action"][value="{action}"]')
    return navigation.value.status


@pytest.mark.parametrize("lang", ["nl", "es"])
def test_on_the_follow_up_page_a_person_reports_progress_and_then_withdraws_without_javascript(
        platform, browser, lang):
    words = ACTION_WORDS[lang]
    page, log = new_page(browser, javascript=False)
    try:
        reference, receipt = fill_complaint(page, platform.base_url, lang)
        assert follow_up(page, platform.base_url, lang, reference, receipt) == 200

        # a date is needed for "I filed": without one, the same page with an error summary linked to the field
        page.check('input[name="progress_kind"][value="filed_with_institution"]')
        assert _click_action(page, "progress") == 400
        assert page.title().startswith(translations_for(lang).gettext("Error:"))
        assert page.is_visible(".error-summary a[href='#f-progress_on']")
        page.fill("#f-progress_on", "02-11-2026")
        assert _click_action(page, "progress") == 200
        assert words["saved"] in page.inner_text(".notice")
        assert words["reported"] in page.inner_text("section.status")
        response = requests.get(f"{platform.base_url}/api/v1/complaints/{reference}",
                                headers={"Authorization": f"Receipt {receipt}"}, timeout=5)
        assert response.json()["progress"][-1]["kind"] == "filed_with_institution"
        assert response.json()["progress"][-1]["on"] == "2026-11-02"

        # withdrawing asks first; "no" goes back to the status, "yes" erases
        assert _click_action(page, "withdraw") == 200
        assert words["confirm"] in page.inner_text("main")
        assert _click_action(page, "show") == 200 and page.is_visible("section.status")
        assert _click_action(page, "withdraw") == 200
        assert _click_action(page, "withdraw_confirmed") == 200
        assert words["withdrawn"] in page.inner_text(".notice")
        assert receipt not in page.content() and receipt not in page.url
        _no_foreign_requests(log, platform.base_url)
    finally:
        page.context.close()
    # the receipt no longer opens anything: the same answer as for a wrong receipt
    response = requests.get(f"{platform.base_url}/api/v1/complaints/{reference}",
                            headers={"Authorization": f"Receipt {receipt}"}, timeout=5)
    assert response.status_code == 404


def test_a_person_stops_the_messages_without_javascript_and_the_complaint_stays_open(platform, browser):
    page, log = new_page(browser, javascript=False)
    try:
        reference, receipt = fill_complaint(page, platform.base_url, "pl", answers=BANK_COMPLAINT_WITH_MESSAGES)
        assert follow_up(page, platform.base_url, "pl", reference, receipt) == 200
        assert page.is_visible("section.stop-messages")
        assert _click_action(page, "stop_messages") == 200
        assert "Nie będziemy już wysyłać Ci wiadomości" in page.inner_text(".notice")
        assert not page.is_visible("section.stop-messages")     # nothing left to stop
        assert page.is_visible("section.status")                 # the complaint is still there, still followed
        assert receipt not in page.url
        _no_foreign_requests(log, platform.base_url)
    finally:
        page.context.close()
    view = requests.get(f"{platform.base_url}/api/v1/complaints/{reference}",
                        headers={"Authorization": f"Receipt {receipt}"}, timeout=5)
    assert view.status_code == 200 and view.json()["contact_consent"] is False


def test_a_follow_up_action_with_a_wrong_receipt_does_nothing(platform):
    session, token = _form_session(platform.base_url, "/en/follow-up")
    response = session.post(f"{platform.base_url}/en/follow-up", timeout=10, headers={"Origin": platform.base_url},
                            data={"csrf_token": token, "reference": "VP-AAAA-AAAB", "receipt": "wrong-receipt",
                                  "action": "withdraw_confirmed"})
    assert response.status_code in (404, 429) and "wrong-receipt" not in response.text


@pytest.mark.parametrize("lang", ["pl", "bg"])
def test_a_plan_on_a_non_english_page_shows_no_english_plan_text(platform, lang):
    section = _options_html(platform.base_url, lang, institution_type="municipality", issue="discrimination",
                            municipality="GM0202", prior_complaint="no")
    english = [text.split("%(")[0][:40] for text in ENGLISH.values()]
    assert [start for start in english if len(start) > 12 and start in section.replace("&#39;", "'")] == []
    for status in ("available_now", "after_previous_step", "You can do this now", "After the previous step",
                   "The municipality's own complaint procedure"):
        assert status not in section.replace("&#39;", "'")
    assert {"pl": "Możesz to zrobić teraz", "bg": "Можете да го направите сега"}[lang] in section
