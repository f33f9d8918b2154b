"""Security headers on every response, errors included (OWASP ASVS 3.4): intake's pages, API and
static files, notification's mediator link pages, analytics' report and every ops port.

Required everywhere: CSP with default-src 'self' (or stricter 'none'), object-src 'none', base-uri and
frame-ancestors 'none'; nosniff; Referrer-Policy no-referrer; Cache-Control no-store; HSTS of at least a year;
no CORS grant; no version numbers in Server.
"""
import pytest
import requests
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from support.security_testlib import form_session, mediator_link, same_origin_headers, security_header_problems
from support.platform import complaint

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]


def crawl(requests_to_make):
    """[(label, response)] for [(label, method, url, kwargs)]; every answer must be a real one (no 5xx)."""
    answers = []
    for label, method, url, kwargs in requests_to_make:
        response = requests.request(method, url, timeout=30, allow_redirects=False, **kwargs)
        assert response.status_code < 500, (label, response.status_code, response.text[:200])
        answers.append((label, response))
    return answers


def assert_all_secure(answers, expected_statuses, **options):
    problems = {f"{label} ({response.status_code})": found for label, response in answers
                if (found := security_header_problems(response, **options))}
    assert not problems, problems
    assert {response.status_code for _label, response in answers} >= expected_statuses


def test_every_intake_route_and_error_carries_the_headers(platform):
    base = platform.base_url
    json_api = {"headers": {"Content-Type": "application/json"}}
    reference = "VP-AAAA-AAAA"
    answers = crawl([
        ("home", "GET", f"{base}/", {}),
        ("start", "GET", f"{base}/en/", {}),
        ("form", "GET", f"{base}/nl/form", {}),
        ("follow-up", "GET", f"{base}/pl/follow-up", {}),
        ("options", "GET", f"{base}/ro/options", {}),
        ("openapi", "GET", f"{base}/openapi.json", {}),
        ("channels", "GET", f"{base}/api/v1/channels", {}),
        ("route", "POST", f"{base}/api/v1/route", {"json": {"institution_type": "bank", "issue": "privacy"}}),
        ("file", "POST", f"{base}/api/v1/complaints", {"json": complaint()}),
        ("status without receipt", "GET", f"{base}/api/v1/complaints/{reference}", {}),
        ("status with a wrong receipt", "GET", f"{base}/api/v1/complaints/{reference}",
         {"headers": {"Authorization": "Receipt AAAA-AAAA-AAAA-AAAA-AAAA"}}),
        ("unknown path", "GET", f"{base}/wp-admin/", {}),
        ("unknown language", "GET", f"{base}/xx/", {}),
        ("unknown static file", "GET", f"{base}/static/nope.css", {}),
        ("HEAD unknown", "HEAD", f"{base}/nope", {}),
        ("wrong method", "PUT", f"{base}/api/v1/complaints", {}),
        ("wrong method on route", "GET", f"{base}/api/v1/route", {}),
        ("preflight", "OPTIONS", f"{base}/api/v1/complaints",
         {"headers": {"Origin": "https://evil.test", "Access-Control-Request-Method": "POST"}}),
        ("JSON too large", "POST", f"{base}/api/v1/complaints", {"data": b"x" * (1024 * 1024 + 1), **json_api}),
        ("form too large", "POST", f"{base}/nl/form",
         {"data": b"x" * (1024 * 1024 + 1), "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        ("wrong media type", "POST", f"{base}/api/v1/route", {"data": b"{}", "headers": {"Content-Type": "text/plain"}}),
        ("form as JSON", "POST", f"{base}/nl/form", {"data": b"{}", **json_api}),
        ("form without CSRF token", "POST", f"{base}/nl/form", {"data": {"step": "about"}}),
        ("invalid JSON", "POST", f"{base}/api/v1/route", {"data": b"{", **json_api}),
        ("idempotency conflict", "POST", f"{base}/api/v1/complaints",
         {"json": complaint(issue="other"), "headers": {"Idempotency-Key": "security-headers-1"}}),
    ])
    # the same Idempotency-Key with another body is a 422
    answers += crawl([("idempotency conflict", "POST", f"{base}/api/v1/complaints",
                       {"json": complaint(issue="privacy"), "headers": {"Idempotency-Key": "security-headers-1"}})])
    assert_all_secure(answers, {200, 201, 400, 401, 403, 404, 405, 413, 415, 422})


def test_the_receipt_lockout_429_and_the_form_pages_carry_the_headers(platform):
    base = platform.base_url
    filed = requests.post(f"{base}/api/v1/complaints", json=complaint(), timeout=10).json()
    url = f"{base}/api/v1/complaints/{filed['reference']}"
    wrong = {"Authorization": "Receipt AAAA-AAAA-AAAA-AAAA-AAAA"}
    answers = crawl([("wrong receipt", "GET", url, {"headers": wrong})] * 6)
    assert answers[-1][1].status_code == 429
    # the follow-up form: a wrong receipt (404 page) until the lock (429 page), then the page with the right one
    session, token = form_session(base, page="follow-up")
    posted = []
    for receipt in ["AAAA-AAAA-AAAA-AAAA-AAAB"] * 6:
        posted.append(("follow-up POST", session.post(f"{base}/nl/follow-up", timeout=10, headers=same_origin_headers(base),
                                                      data={"csrf_token": token, "reference": "VP-ZZZZ-ZZZZ",
                                                            "receipt": receipt})))
    assert [r.status_code for _l, r in posted] == [404] * 5 + [429]
    step = session.post(f"{base}/nl/form", data={"csrf_token": token, "step": "about", "action": "next"},
                        headers=same_origin_headers(base), timeout=10)
    assert step.status_code == 400  # the first step with nothing filled in
    assert_all_secure(answers + posted + [("form step with errors", step)], {400, 404, 429})


def test_static_files_are_not_cached_either(platform):
    answers = crawl([(name, "GET", f"{platform.base_url}/static/{name}", {})
                     for name in ("voorportaal.css", "voorportaal.js")])
    assert_all_secure(answers, {200})


def test_an_unexpected_error_and_the_rate_limit_answer_carry_the_headers(monkeypatch):
    """The 500 path and the limiter's 429 cannot be forced on the running platform: the `observed` wrapper
    every intake route goes through is exercised in-process instead."""
    from services.intake.web import observed

    class Service:
        @observed.observed("/test")
        def broken(self, request):
            raise RuntimeError("SECRET-DETAIL")

    request = Request(EnvironBuilder(path="/test").get_environ())
    failed = Service().broken(request)
    assert failed.status_code == 500 and b"SECRET-DETAIL" not in failed.get_data()
    monkeypatch.setattr(observed.limiter(), "retry_after", lambda _address: 7)
    limited = Service().broken(request)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "7"
    for response in (failed, limited):
        assert not security_header_problems(requests_like(response)), response.status_code


def requests_like(werkzeug_response):
    """security_header_problems reads .headers; werkzeug's Headers behaves the same."""
    class Wrapped:
        headers = werkzeug_response.headers
    return Wrapped()


def test_the_mediator_link_pages_carry_the_headers(platform, smtp, security_mediator):
    _controller, mailbox = smtp
    _filed, _mail, links = mediator_link(platform, mailbox, language="es", municipality="GM0599")
    link = links[0]
    notification = platform.env["NOTIFICATION_BASE_URL"]
    answers = crawl([
        ("link confirmation", "GET", link, {}),
        ("tampered link", "GET", link[:-3] + "AAA", {}),
        ("tampered link POST", "POST", link[:-3] + "AAA", {"data": {"x": "1"}}),
        ("form too large", "POST", link, {"data": {"outcome": "x" * 8000}}),
        ("unknown path", "GET", f"{notification}/admin", {}),
        ("wrong method", "PUT", link, {}),
        ("root", "GET", f"{notification}/", {}),
    ])
    assert_all_secure(answers, {200, 404, 405, 413})


def test_the_report_endpoint_carries_the_headers(platform):
    url = f"http://{platform.env['ANALYTICS_WEB_ADDRESS']}/reports"
    auth = {"Authorization": f"Bearer {platform.env['ANALYTICS_REPORT_TOKEN']}"}
    quarter = {"from": "2026-10", "to": "2026-12"}
    answers = crawl([
        ("no token", "GET", url, {"params": quarter}),
        ("bad format", "GET", url, {"params": {**quarter, "format": "pdf"}, "headers": auth}),
        ("html report", "GET", url, {"params": {**quarter, "format": "html"}, "headers": auth}),
        ("json report", "GET", url, {"params": {**quarter, "format": "json"}, "headers": auth}),
        ("wrong method", "POST", url, {"headers": auth}),
        ("unknown path", "GET", url.replace("/reports", "/admin"), {}),
    ])
    assert_all_secure(answers, {200, 400, 401, 404, 405})
    html = dict(answers)["html report"]
    assert "<style>" in html.text  # allowed by its hash in the CSP, nothing else inline
    assert "style-src 'sha256-" in html.headers["Content-Security-Policy"]


def test_the_ops_ports_carry_the_headers(platform):
    answers = []
    for name in list(platform.processes):
        if name == "smtp-catcher":
            continue
        ops = f"http://127.0.0.1:{platform.ops_port(name)}"
        answers += crawl([(f"{name} {path}", "GET", ops + path, {})
                          for path in ("/metrics", "/health/live", "/health/ready", "/nope")])
    assert_all_secure(answers, {200, 404})
