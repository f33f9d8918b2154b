"""No cross-site request can create or change anything (OWASP ASVS 3.5).

Every POST form route of intake (/{lang}/form files a complaint, /{lang}/follow-up checks a receipt and counts
failures, /{lang}/options) refuses: a foreign Origin, Sec-Fetch-Site cross-site or same-site, a foreign Referer
without Origin, a missing, empty or wrong CSRF token, a token without its cookie, and non-form content types.
The JSON API refuses the CORS-safelisted content types (415) and grants no cross-origin access.
The mediator's link pages (notification) need no CSRF token: the signed token in the URL is the capability.
"""
import pytest
import requests
from sqlalchemy import create_engine, text

from support.security_testlib import VALID_FORM, form_session, same_origin_headers
from support.platform import complaint

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]

ROUTES = {
    "form": {"step": "review", **VALID_FORM},                      # would file a complaint
    "follow-up": {"reference": "VP-CSRF-TEST", "receipt": "AAAA-AAAA-AAAA-AAAA-AAAA"},
    "options": {"institution_type": "bank", "issue": "privacy"},
}
EVIL = "https://evil.example"


def attacks(base_url, token):
    """(description, extra headers, form fields, send the cookie?) — each must be refused with 403."""
    same = same_origin_headers(base_url)
    return [
        ("foreign Origin", {"Origin": EVIL}, {"csrf_token": token}, True),
        ("foreign Origin, same-origin fetch claim", {"Origin": EVIL, "Sec-Fetch-Site": "same-origin"},
         {"csrf_token": token}, True),
        ("Sec-Fetch-Site cross-site", {**same, "Sec-Fetch-Site": "cross-site"}, {"csrf_token": token}, True),
        ("Sec-Fetch-Site same-site (a sibling subdomain)", {**same, "Sec-Fetch-Site": "same-site"},
         {"csrf_token": token}, True),
        ("Sec-Fetch-Site none (typed or bookmarked POST)", {"Sec-Fetch-Site": "none"}, {"csrf_token": token}, True),
        ("foreign Referer, no Origin", {"Referer": f"{EVIL}/page"}, {"csrf_token": token}, True),
        ("Origin null from a sandboxed frame", {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
         {"csrf_token": token}, True),
        ("host name as a prefix of the attacker's", {"Origin": base_url + ".evil.example"},
         {"csrf_token": token}, True),
        ("no token", same, {}, True),
        ("empty token", same, {"csrf_token": ""}, True),
        ("wrong token", same, {"csrf_token": token[:-2] + ("AA" if not token.endswith("AA") else "BB")}, True),
        ("token without its cookie", same, {"csrf_token": token}, False),
    ]


@pytest.fixture()
def complaint_count(platform):
    engine = create_engine(platform.pg_url)

    def count():
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM intake_complaints")).scalar()
    yield count
    engine.dispose()


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_cross_site_and_tokenless_posts_are_refused(platform, complaint_count, route):
    base = platform.base_url
    session, token = form_session(base, page=route)
    before = complaint_count()
    url = f"{base}/nl/{route}"
    for description, headers, token_fields, with_cookie in attacks(base, token):
        sender = session if with_cookie else requests
        response = sender.post(url, data={**ROUTES[route], **token_fields}, headers=headers, timeout=10,
                               allow_redirects=False)
        assert response.status_code == 403, (route, description, response.status_code)
        assert "text/html" in response.headers["Content-Type"]
    for content_type in ("text/plain", "application/json"):
        response = session.post(url, data="csrf_token=" + token, timeout=10,
                                headers={**same_origin_headers(base), "Content-Type": content_type})
        assert response.status_code == 415, (route, content_type)
    assert complaint_count() == before  # nothing filed

    # control: the same post from the page itself goes through
    accepted = session.post(url, data={**ROUTES[route], "csrf_token": token}, headers=same_origin_headers(base),
                            timeout=10)
    assert accepted.status_code == {"form": 201, "follow-up": 404, "options": 200}[route], accepted.status_code
    assert complaint_count() == before + (1 if route == "form" else 0)


def test_browsers_own_form_posts_are_accepted(platform):
    """What real browsers send for our own forms: Origin null (no-referrer) with same-origin, or nothing."""
    base = platform.base_url
    session, token = form_session(base, page="options")
    for headers in ({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, {"Origin": base},
                    {"Referer": f"{base}/nl/options"}, {}):
        response = session.post(f"{base}/nl/options", data={**ROUTES["options"], "csrf_token": token},
                                headers=headers, timeout=10)
        assert response.status_code == 200, headers


@pytest.mark.parametrize("path", ["/api/v1/complaints", "/api/v1/route", "/api/v1/complaints/VP-AAAA-AAAA/updates"])
def test_the_json_api_refuses_what_a_cross_site_form_can_send(platform, path):
    """A cross-site page can POST only form-encoded, multipart or text/plain without a CORS preflight."""
    url = platform.base_url + path
    body = complaint()
    for content_type, data in (("application/x-www-form-urlencoded", "description=x"),
                               ("multipart/form-data; boundary=b", "--b\r\n\r\nx\r\n--b--\r\n"),
                               ("text/plain", '{"institution_type": "bank"}')):
        response = requests.post(url, data=data, timeout=10,
                                 headers={"Content-Type": content_type, "Origin": EVIL,
                                          "Sec-Fetch-Site": "cross-site",
                                          "Authorization": "Receipt AAAA-AAAA-AAAA-AAAA-AAAA"})
        # updates check the receipt first (404 for an unknown case); both refuse before anything changes
        assert response.status_code in (415, 404), (content_type, response.status_code)
        assert "Access-Control-Allow-Origin" not in response.headers
    preflight = requests.options(url, timeout=10, headers={
        "Origin": EVIL, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Methods" not in preflight.headers
    assert body  # the valid body is not needed: nothing got far enough to read it


def test_state_never_changes_on_get(platform, complaint_count):
    """GET on the form routes with every field of a finished form in the query string files nothing."""
    before = complaint_count()
    for route in ROUTES:
        response = requests.get(f"{platform.base_url}/nl/{route}", params={"step": "review", **VALID_FORM},
                                timeout=10)
        assert response.status_code == 200
    assert complaint_count() == before
