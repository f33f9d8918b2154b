"""The intake service class in-process: its event table (the read model), inbox, dead-lettering, retention timer
and HTTP entrypoints (API and pages, through the container's real web server), with nameko's own testing tools on
the real broker."""
import base64
import json
import re
from datetime import date

import pytest
import requests
from nacl.public import PrivateKey
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import select

from libs.contracts.events import internal_event, make_envelope
from services.intake import settings
from libs.contracts import sealing
from support.desk_keys import directory_keys
from services.intake.service import IntakeService, config
from services.intake.tables import case_status, complaints, erased_cases, inbox, messages, outbox
from services.intake.web import observed, receipt_auth
from support.platform import free_port

pytestmark = [pytest.mark.broker]

CASE_HANDLER_KEY = PrivateKey.generate()
MESSAGING_KEY = PrivateKey.generate()
DESCRIPTION = "They closed my account after I told them what I do. CANARY-7c1e"


def b64(key):
    return base64.b64encode(bytes(key)).decode()


@pytest.fixture(autouse=True)
def intake_settings(monkeypatch):
    monkeypatch.setenv("RECEIPT_KEY", "7e" * 32)
    monkeypatch.setenv("COMPLAINANT_MESSAGING_PUBLIC_KEY", b64(MESSAGING_KEY.public_key))
    monkeypatch.setenv("INTAKE_BURST_PER_CLIENT", "100000")  # every request of these tests comes from 127.0.0.1
    # each test starts with a fresh limiter and receipt guard, as a fresh process would: the guard counts wrong
    # receipts per client (all of these come from 127.0.0.1), and earlier tests' wrong receipts must not throttle
    caches = (settings.load, settings.load_web, observed.limiter, receipt_auth.guard)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


@pytest.fixture()
def intake(start_service, dispatch):
    """(container, session factory, base URL of its public address), after casework's key directory arrived."""
    address = f"127.0.0.1:{free_port()}"
    container, sessions = start_service(IntakeService, config, WEB_SERVER_ADDRESS=address)
    directory = internal_event("staff.key_directory_published", {"version": 1, "keys": directory_keys(CASE_HANDLER_KEY)})
    with entrypoint_waiter(container, "on_staff_key_directory_published", timeout=10):
        dispatch("casework", "staff.key_directory_published", directory)
    return container, sessions, f"http://{address}"


def open_description(sessions, reference):
    """What the desk reads (casework opens the sealed file with a case handler's key)."""
    envelope = next(json.loads(row.body) for row in rows(sessions, outbox) if row.routing_key == "complaint.sealed"
                    and json.loads(row.body)["data"]["case_ref"] == reference)
    data = envelope["data"]
    case_key = sealing.unwrap_case_key(data["wraps"][0]["wrapped"], CASE_HANDLER_KEY)
    return sealing.open_item(case_key, reference, "description", data["items"]["description"])


def complaint_body(**overrides):
    body = {"institution_type": "bank", "issue": "account_refused_or_closed", "municipality": "GM0363",
            "capacity": "private", "description": DESCRIPTION, "language": "nl",
            "contact": {"method": "email", "address": "person@example.test"},
            "consent": {"referral": True, "share_description": False, "contact": True}}
    body.update(overrides)
    return body


def file_complaint(base, **overrides):
    response = requests.post(f"{base}/api/v1/complaints", json=complaint_body(**overrides), timeout=10)
    assert response.status_code == 201, response.text
    created = response.json()
    return created["reference"], created["receipt"]


def receipt_header(receipt):
    return {"Authorization": f"Receipt {receipt}"}


def rows(sessions, table, **where):
    with sessions() as session:
        query = select(table)
        for column, value in where.items():
            query = query.where(table.c[column] == value)
        found = session.execute(query).fetchall()
    if table is inbox:  # the key directory every test's intake received first (the `intake` fixture)
        found = [row for row in found if row.handler != "on_staff_key_directory_published"]
    return found


def outbox_events(sessions):
    return [row.routing_key for row in rows(sessions, outbox)]


def planned(case_ref):
    return internal_event("referral.planned", {
        "case_ref": case_ref, "directory_version": "2026.11", "institution_type": "bank",
        "issue": "account_refused_or_closed", "municipality": "GM0363", "language": "nl", "wants_mediation": False,
        "steps": [{"channel_id": "internal:bank", "kind": "first_line", "status": "now",
                   "answer_due": date(2026, 12, 1), "escalate_by": None, "why_message": None}],
        "partner_referrals": []}, correlation_id=case_ref)


# -- the event table: routing's and notification's events feed the read model --------------------------------
def test_a_plan_from_routing_reaches_the_read_model_and_the_status_view(intake, dispatch):
    container, sessions, base = intake
    reference, receipt = file_complaint(base)
    with entrypoint_waiter(container, "on_referral_planned", timeout=10):
        dispatch("routing", "referral.planned", planned(reference))
    (case,) = rows(sessions, complaints, reference=reference)
    assert case.status == "planned"
    view = requests.get(f"{base}/api/v1/complaints/{reference}", headers=receipt_header(receipt), timeout=10).json()
    assert view["status"] == "planned" and view["plan"][0]["channel_id"] == "internal:bank"
    assert view["plan"][0]["answer_due"] == "2026-12-01" and view["directory_version"] == "2026.11"
    assert [row.handler for row in rows(sessions, inbox)] == ["on_referral_planned"]


def test_mediation_events_from_notification_reach_the_read_model(intake, dispatch):
    container, sessions, base = intake
    reference, _receipt = file_complaint(base)
    with entrypoint_waiter(container, "on_mediation_assigned", timeout=10):
        dispatch("notification", "mediation.assigned", internal_event("mediation.assigned", {
            "case_ref": reference, "mediator_id": "m-1", "assigned_on": date(2026, 11, 20)}))
    with entrypoint_waiter(container, "on_mediation_outcome", timeout=10):
        dispatch("notification", "mediation.outcome_recorded", internal_event("mediation.outcome_recorded", {
            "case_ref": reference, "outcome": "resolved", "satisfaction": 4, "recorded_on": date(2026, 11, 30)}))
    (status,) = rows(sessions, case_status, reference=reference)
    assert status.mediator_assigned_on == date(2026, 11, 20) and status.mediation_outcome == "resolved"
    assert sorted(row.handler for row in rows(sessions, inbox)) == ["on_mediation_assigned", "on_mediation_outcome"]


def test_a_redelivered_event_has_no_second_effect(intake, dispatch):
    container, sessions, base = intake
    reference, _receipt = file_complaint(base)
    event = planned(reference)
    with entrypoint_waiter(container, "on_referral_planned", timeout=10):
        dispatch("routing", "referral.planned", event)
    (first,) = rows(sessions, case_status, reference=reference)
    with entrypoint_waiter(container, "on_referral_planned", timeout=10):
        dispatch("routing", "referral.planned", event)
    (second,) = rows(sessions, case_status, reference=reference)
    assert second.updated_at == first.updated_at  # a second run would have written the row again
    assert len(rows(sessions, inbox)) == 1


def test_an_event_for_an_erased_case_changes_nothing(intake, dispatch):
    container, sessions, base = intake
    reference, receipt = file_complaint(base)
    assert requests.delete(f"{base}/api/v1/complaints/{reference}", headers=receipt_header(receipt),
                           timeout=10).status_code == 200
    with entrypoint_waiter(container, "on_referral_planned", timeout=10):
        dispatch("routing", "referral.planned", planned(reference))
    # erased to a tombstone (issue 19): the row is gone and the plan event does not bring it back
    assert rows(sessions, complaints, reference=reference) == [] and rows(sessions, case_status) == []
    assert [row.status for row in rows(sessions, erased_cases)] == ["withdrawn"]


def test_a_malformed_event_is_retried_then_dead_lettered_and_changes_nothing(dead_letters, monkeypatch, request,
                                                                          dispatch, entrypoint_runs):
    monkeypatch.setenv("EVENT_MAX_ATTEMPTS", "2")
    dead = dead_letters("intake", sources=("routing",))
    container, sessions, base = request.getfixturevalue("intake")  # started after the dead-letter queue exists
    reference, _receipt = file_complaint(base)
    bad = make_envelope("nl.voorportaal.referral.planned.v1", "urn:voorportaal:routing",
                        {"case_ref": reference, "steps": "not-a-list"})
    with entrypoint_runs(container, "on_referral_planned", times=2) as failed:
        dispatch("routing", "referral.planned", bad)
    assert failed == [True, True]
    assert (dead.first() or {}).get("data", {}).get("case_ref") == reference
    assert rows(sessions, inbox) == [] and rows(sessions, case_status) == []
    assert rows(sessions, complaints, reference=reference)[0].status == "received"


# -- the retention timer -----------------------------------------------------------------------------------------
def test_the_retention_timer_erases_expired_cases_like_a_withdrawal(intake, monkeypatch):
    container, sessions, base = intake
    reference, receipt = file_complaint(base)
    with entrypoint_hook(container, "purge_expired_cases") as purge:
        purge()
    assert rows(sessions, complaints, reference=reference)[0].status == "received"  # 730 days: not yet
    monkeypatch.setenv("INTAKE_RETENTION_DAYS", "0")
    settings.load.cache_clear()
    with entrypoint_hook(container, "purge_expired_cases") as purge:
        purge()
    assert rows(sessions, complaints, reference=reference) == []  # erased to a tombstone (issue 19)
    assert [row.status for row in rows(sessions, erased_cases)] == ["expired"]
    events = outbox_events(sessions)
    assert "complaint.withdrawn" in events and "complaint.messages_requested" not in events
    assert requests.get(f"{base}/api/v1/complaints/{reference}", headers=receipt_header(receipt),
                        timeout=10).status_code == 404


# -- the API through the real web server ---------------------------------------------------------------------
def test_a_filed_complaint_is_stored_sealed_with_its_events_in_the_outbox(intake):
    _container, sessions, base = intake
    response = requests.post(f"{base}/api/v1/complaints", json=complaint_body(), timeout=10)
    assert response.status_code == 201
    created = response.json()
    assert response.headers["Location"] == created["status_url"] == f"/api/v1/complaints/{created['reference']}"
    (case,) = rows(sessions, complaints, reference=created["reference"])
    assert open_description(sessions, created["reference"]) == DESCRIPTION and case.consent["wording_version"]
    assert case.sealed_content is None  # intake keeps no content: the case file went to the desk
    assert sorted(outbox_events(sessions)) == ["complaint.messages_requested", "complaint.received",
                                               "complaint.sealed"]
    assert all("CANARY" not in row.body and "person@example.test" not in row.body for row in rows(sessions, outbox))


def test_a_retry_with_the_same_idempotency_key_returns_the_same_complaint(intake):
    _container, sessions, base = intake
    headers = {"Idempotency-Key": "retry-key-0001"}
    first = requests.post(f"{base}/api/v1/complaints", json=complaint_body(), headers=headers, timeout=10).json()
    second = requests.post(f"{base}/api/v1/complaints", json=complaint_body(), headers=headers, timeout=10)
    assert second.status_code == 201 and second.json()["reference"] == first["reference"]
    assert "receipt" not in second.json() and first["receipt"] not in second.text  # shown once (issue 19, 8)
    other = requests.post(f"{base}/api/v1/complaints", json=complaint_body(issue="other"), headers=headers,
                          timeout=10)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert len(rows(sessions, complaints)) == 1


def test_invalid_bodies_are_refused_without_echoing_them(intake):
    _container, sessions, base = intake
    response = requests.post(f"{base}/api/v1/complaints", json=complaint_body(issue="CANARY-issue"), timeout=10)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_complaint"
    assert "issue" in response.json()["error"]["fields"] and "CANARY" not in response.text
    assert requests.post(f"{base}/api/v1/complaints", data="x", timeout=10).status_code == 415
    assert rows(sessions, complaints) == []


def test_following_up_with_the_receipt(intake):
    _container, sessions, base = intake
    reference, receipt = file_complaint(base)
    url = f"{base}/api/v1/complaints/{reference}"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers=receipt_header("0000-0000-0000-0000-0000"), timeout=10).status_code == 404
    assert requests.get(url, headers=receipt_header(receipt), timeout=10).json()["status"] == "received"
    progress = requests.post(f"{url}/updates", json={"kind": "filed_with_institution", "on": "2026-11-01"},
                             headers=receipt_header(receipt), timeout=10)
    assert progress.status_code == 202
    stopped = requests.delete(f"{url}/contact", headers=receipt_header(receipt), timeout=10)
    assert stopped.status_code == 200 and stopped.json() == {"reference": reference, "contact_consent": False}
    events = outbox_events(sessions)
    assert "complaint.progress_reported" in events and "complaint.messages_stopped" in events
    assert "complaint.messages_requested" not in events  # the unpublished request with the address is dropped
    withdrawn = requests.delete(url, headers=receipt_header(receipt), timeout=10)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert requests.get(url, headers=receipt_header(receipt), timeout=10).status_code == 404


def test_the_route_explorer_channels_and_openapi_answer(intake):
    _container, sessions, base = intake
    plan = requests.post(f"{base}/api/v1/route", json={"institution_type": "bank",
                                                        "issue": "account_refused_or_closed"}, timeout=10)
    assert plan.status_code == 200 and plan.json()["steps"][0]["channel_id"] == "internal:bank"
    assert requests.post(f"{base}/api/v1/route", json={"issue": "x"}, timeout=10).status_code == 400
    assert requests.get(f"{base}/api/v1/channels", timeout=10).json()["channels"]
    assert "/api/v1/complaints" in requests.get(f"{base}/openapi.json", timeout=10).json()["paths"]
    assert rows(sessions, complaints) == [] and rows(sessions, outbox) == []  # nothing stored, nothing emitted


@pytest.mark.parametrize("method, path, status, allow", [
    ("OPTIONS", "/api/v1/complaints/VP-0000-0000", 405, "GET, DELETE"),
    ("GET", "/api/v1/complaints", 405, "POST"),
    ("PUT", "/openapi.json", 405, "GET"),
    ("GET", "/api/v1/nothing", 404, None),
    ("PUT", "/en/form", 404, None),
    ("GET", "/no/such/page", 404, None),
])
def test_a_wrong_method_on_an_api_address_is_405_anything_else_404(intake, method, path, status, allow):
    _container, _sessions, base = intake
    response = requests.request(method, base + path, timeout=10)
    assert response.status_code == status and response.headers.get("Allow") == allow
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


# -- the pages through the real web server -------------------------------------------------------------------
def test_the_pages_answer_in_their_language(intake):
    _container, _sessions, base = intake
    start = requests.get(f"{base}/", headers={"Accept-Language": "es"}, timeout=10)
    assert start.status_code == 200 and start.headers["Content-Language"] == "es"
    assert start.cookies.get("vp_csrf")
    assert requests.get(f"{base}/xx/", timeout=10).status_code == 404
    assert requests.get(f"{base}/static/voorportaal.css", timeout=10).status_code == 200
    assert requests.get(f"{base}/static/nope.js", timeout=10).status_code == 404


def form_session(base, lang):
    """A browser-like session: the CSRF cookie from a GET, and Origin set as a browser sets it for its own form."""
    session = requests.Session()
    session.headers["Origin"] = base
    token = session.get(f"{base}/{lang}/form", timeout=10).cookies["vp_csrf"]
    return session, token


def test_the_form_files_a_complaint_and_the_follow_up_page_shows_it(intake):
    _container, sessions, base = intake
    browser, token = form_session(base, "en")
    answers = {"reporter_role": "sex_worker", "institution_type": "bank", "institution_name": "",
               "municipality": "GM0363", "issue": "account_refused_or_closed", "incident_date": "31-03-2026",
               "capacity": "private", "prior_complaint": "no", "description": DESCRIPTION,
               "wants_mediation": "no", "contact_method": "none", "consent_referral": "yes",
               "consent_share_description": "no", "consent_contact": "no"}
    assert browser.post(f"{base}/en/form", data={**answers, "step": "review"}, timeout=10).status_code == 403
    filed = browser.post(f"{base}/en/form", data={**answers, "step": "review", "csrf_token": token}, timeout=10)
    assert filed.status_code == 201
    reference = re.search(r"VP-[0-9A-Z]{4}-[0-9A-Z]{4}", filed.text).group(0)
    receipt = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", filed.text).group(0)
    assert open_description(sessions, reference) == DESCRIPTION
    assert outbox_events(sessions) == ["complaint.received", "complaint.sealed"]  # no contact consent: no messages
    lookup = {"reference": reference, "receipt": receipt, "action": "show", "csrf_token": token}
    shown = browser.post(f"{base}/en/follow-up", data=lookup, timeout=10)
    assert shown.status_code == 200 and reference in shown.text
    wrong = browser.post(f"{base}/en/follow-up", data={**lookup, "receipt": "0000-0000-0000-0000-0000"}, timeout=10)
    assert wrong.status_code == 404
    withdrawn = browser.post(f"{base}/en/follow-up", data={**lookup, "action": "withdraw_confirmed"}, timeout=10)
    assert withdrawn.status_code == 200 and rows(sessions, complaints) == []
    assert [row.status for row in rows(sessions, erased_cases)] == ["withdrawn"]


def test_before_the_desks_key_directory_arrives_a_complaint_is_refused_and_nothing_is_stored(start_service):
    address = f"127.0.0.1:{free_port()}"
    _container, sessions = start_service(IntakeService, config, WEB_SERVER_ADDRESS=address)
    response = requests.post(f"http://{address}/api/v1/complaints", json=complaint_body(), timeout=10)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert DESCRIPTION not in response.text
    assert rows(sessions, complaints) == [] and rows(sessions, outbox) == []


# -- the conversation over the API ------------------------------------------------------------------------------
def test_the_person_writes_and_reads_the_conversation_over_the_api(intake):
    _container, sessions, base = intake
    reference, receipt = file_complaint(base)
    url = f"{base}/api/v1/complaints/{reference}/messages"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers=receipt_header("0000-0000-0000-0000-0000"), timeout=10).status_code == 404
    written = requests.post(url, json={"text": "Hello desk CANARY-MSG"}, headers=receipt_header(receipt), timeout=10)
    assert written.status_code == 201 and "CANARY" not in written.text
    pdf = ("letter.pdf", b"%PDF-1.4 the bank's letter", "application/pdf")
    with_file = requests.post(url, data={"text": "the letter"}, files={"attachment": pdf},
                              headers=receipt_header(receipt), timeout=10)
    assert with_file.status_code == 201
    shown = requests.get(url, headers=receipt_header(receipt), timeout=10).json()["messages"]
    assert [m["text"] for m in shown] == ["Hello desk CANARY-MSG", "the letter"]
    (file_meta,) = shown[1]["attachments"]
    download = requests.get(f"{url}/{shown[1]['id']}/attachments/{file_meta['attachment_id']}",
                            headers=receipt_header(receipt), timeout=10)
    assert download.content == b"%PDF-1.4 the bank's letter" and "attachment" in download.headers[
        "Content-Disposition"]
    assert all("CANARY" not in row.sealed for row in rows(sessions, messages))
    assert "conversation.person_wrote" in outbox_events(sessions)


@pytest.mark.parametrize("send, status, code", [
    ({"json": {"text": "x" * 10_001}}, 413, "message_too_long"),
    ({"json": {"text": "  "}}, 400, "empty_message"),
    ({"json": {"text": "ok", "extra": 1}}, 400, "invalid_message"),
    ({"data": {"text": "a"}, "files": {"attachment": ("a.pdf", b"MZ not a pdf", "application/pdf")}}, 415,
     "file_content_mismatch"),
    ({"data": {"text": "a"}, "files": {"attachment": ("a.gif", b"GIF89a", "image/gif")}}, 415,
     "unsupported_file_type"),
    ({"data": {"text": "a"}, "files": {"attachment": ("a.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024),
                                                      "application/pdf")}}, 413, "file_too_large"),
    ({"data": "x", "headers": {"Content-Type": "text/plain"}}, 415, "unsupported_media_type"),
])
def test_bad_messages_get_a_clear_error_and_store_nothing(intake, send, status, code):
    _container, sessions, base = intake
    reference, receipt = file_complaint(base)
    headers = {**receipt_header(receipt), **send.pop("headers", {})}
    response = requests.post(f"{base}/api/v1/complaints/{reference}/messages", headers=headers, timeout=30, **send)
    assert response.status_code == status and response.json()["error"]["code"] == code
    assert rows(sessions, messages) == []


def test_a_flood_of_messages_gets_429_and_a_withdrawn_case_takes_none(intake):
    _container, sessions, base = intake
    reference, receipt = file_complaint(base)
    url = f"{base}/api/v1/complaints/{reference}/messages"
    for _ in range(20):
        assert requests.post(url, json={"text": "again"}, headers=receipt_header(receipt), timeout=10).status_code \
            == 201
    flooded = requests.post(url, json={"text": "more"}, headers=receipt_header(receipt), timeout=10)
    assert flooded.status_code == 429 and flooded.headers["Retry-After"]
    assert requests.delete(f"{base}/api/v1/complaints/{reference}", headers=receipt_header(receipt),
                           timeout=10).status_code == 200
    assert requests.post(url, json={"text": "after"}, headers=receipt_header(receipt), timeout=10).status_code == 404
    assert rows(sessions, messages) == []
