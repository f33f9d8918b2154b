"""Bad input gets a clear error, stores nothing and emits nothing."""
import pytest
import requests
from sqlalchemy import create_engine, text

from support.platform import complaint
from support.security_testlib import client_session

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]


@pytest.fixture()
def counts(platform):
    engine = create_engine(platform.pg_url)

    def snapshot():
        with engine.connect() as conn:
            # complaints, and the events that carry a complaint onward (received for everyone, sealed for the desk);
            # the read model's own events about earlier complaints are not counted
            return (conn.execute(text("SELECT count(*) FROM intake_complaints")).scalar(),
                    conn.execute(text("SELECT count(*) FROM intake_outbox WHERE routing_key IN "
                                      "('complaint.received', 'complaint.sealed')")).scalar())
    yield snapshot
    engine.dispose()


def post(platform, data, content_type="application/json"):
    return requests.post(f"{platform.base_url}/api/v1/complaints", data=data,
                         headers={"Content-Type": content_type}, timeout=10)


@pytest.mark.parametrize("data, content_type, status, code", [
    (b'{"institution_type": "bank",', "application/json", 400, "invalid_json"),
    (b'[1, 2]', "application/json", 400, "invalid_json"),
    (b'{"a": 1}', "text/plain", 415, "unsupported_media_type"),
    (b'x' * (1024 * 1024 + 10), "application/json", 413, "payload_too_large"),
])
def test_malformed_requests(platform, counts, data, content_type, status, code):
    before = counts()
    response = post(platform, data, content_type)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert counts() == before


def test_field_errors_are_listed_without_echoing_the_input(platform, counts):
    import json
    before = counts()
    body = complaint(surprise="SECRET-ECHO-CANARY", municipality="GM9999", institution_type="SECRET-ECHO-CANARY2")
    del body["description"]
    response = post(platform, json.dumps(body).encode())
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"surprise", "municipality", "institution_type", "description"}
    assert "SECRET-ECHO-CANARY" not in response.text
    assert counts() == before


def test_too_long_description_is_refused(platform, counts):
    import json
    before = counts()
    response = post(platform, json.dumps(complaint(description="x" * 10_001)).encode())
    assert response.status_code == 400 and "description" in response.json()["error"]["fields"]
    assert counts() == before


def test_idempotency_key_returns_the_same_complaint(platform, counts):
    key = "retry-key-0123456789"
    before = counts()
    first = requests.post(f"{platform.base_url}/api/v1/complaints", json=complaint(),
                          headers={"Idempotency-Key": key}, timeout=10)
    second = requests.post(f"{platform.base_url}/api/v1/complaints", json=complaint(),
                           headers={"Idempotency-Key": key}, timeout=10)
    assert first.status_code == second.status_code == 201
    # the receipt is shown once: a repeated request gets the reference, never the receipt again (issue 19, 8)
    assert second.json()["reference"] == first.json()["reference"] and "receipt" in first.json()
    assert "receipt" not in second.json() and first.json()["receipt"] not in second.text
    assert second.json()["receipt_shown_before"] is True and first.json()["receipt_shown_before"] is False
    assert second.headers["Location"] == first.headers["Location"]
    assert counts() == (before[0] + 1, before[1] + 2)   # one complaint, its two events, nothing twice
    other = requests.post(f"{platform.base_url}/api/v1/complaints", json=complaint(issue="other"),
                          headers={"Idempotency-Key": key}, timeout=10)
    assert other.status_code == 422


def test_receipt_is_required_and_wrong_receipts_are_throttled_per_client(platform):
    filed = requests.post(f"{platform.base_url}/api/v1/complaints", json=complaint(), timeout=10).json()
    url = f"{platform.base_url}/api/v1/complaints/{filed['reference']}"
    assert requests.get(url, timeout=5).status_code == 401
    with client_session("127.0.0.8", pool=1) as guesser:
        statuses = [guesser.get(url, headers={"Authorization": "Receipt AAAA-AAAA-AAAA-AAAA-AAAA"},
                                timeout=5).status_code for _ in range(6)]
        # the guessing client waits, its right receipt too (the throttle is checked before the receipt) ...
        throttled = guesser.get(url, headers={"Authorization": f"Receipt {filed['receipt']}"}, timeout=5)
    assert statuses[:5] == [404] * 5 and statuses[5] == 429
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    # ... but nobody else: the owner is never locked out by someone who knows the reference (issue 19, finding 2)
    owner = requests.get(url, headers={"Authorization": f"Receipt {filed['receipt']}"}, timeout=5)
    assert owner.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/complaints", "/api/v1/route", "/api/v1/letters"])
@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_deeply_nested_json_is_refused_with_400_not_500(platform, counts, path, opening):
    """Issue 19, finding 10: a body nested far enough makes the parser recurse too deep (RecursionError); it is bad
    input like any other, answered with the API's usual error shape."""
    before = counts()
    response = requests.post(f"{platform.base_url}{path}", data=(opening * 100_000).encode(),
                             headers={"Content-Type": "application/json", "Accept": "text/plain"}, timeout=10)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_json"
    assert counts() == before


@pytest.mark.parametrize("authorization", ["Bearer ĳsland-é", "Bearer \u00ff\u00fe", "Bearer " + "é" * 32])
def test_a_non_ascii_report_token_is_refused_with_401_not_500(platform, authorization):
    """Issue 19, finding 10: the report's bearer token compared as text raised TypeError on non-ASCII input."""
    url = f"http://{platform.env['ANALYTICS_WEB_ADDRESS']}/reports"
    response = requests.get(url, params={"from": "2026-10", "to": "2026-12"},
                            headers={"Authorization": authorization.encode("utf-8")}, timeout=30)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_required"


@pytest.mark.parametrize("address", ["victim@example.org,boss@example.com", "victim@example.org;boss@example.com",
                                     "victim@example.org\r\nBcc: boss@example.com"])
def test_a_contact_address_is_exactly_one_mailbox(platform, counts, address):
    """Issue 19, finding 4: the desk mails the contact address; a list in it would mail people who never asked."""
    import json
    before = counts()
    body = complaint(consent={"referral": True, "share_description": False, "contact": True},
                     contact={"method": "email", "address": address})
    response = post(platform, json.dumps(body).encode())
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_complaint"
    assert "contact" in response.json()["error"]["fields"] and "boss@" not in response.text
    assert counts() == before
