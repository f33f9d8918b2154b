"""The casework service class in-process: its event table (a sealed case arrives, a withdrawal erases it, a
malformed event is dead-lettered), and the workspace over its real HTTP server: sign-in with a second factor, the
queue, a case page that shows the decrypted description, a CSRF-protected note, refused posts."""
import base64
import re
import time
from datetime import date

import pytest
import requests
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import select

from libs.contracts import sealing
from libs.contracts.events import internal_event
from services.casework import service, settings
from services.casework.domain.second_factor import code_at
from services.casework.service import CaseworkService, config
from services.casework.tables import case_items, cases, erased_cases, key_directory
from services.casework.use_cases import accounts
from support.platform import free_port

pytestmark = [pytest.mark.broker]
PASSWORD = "a long desk password"


@pytest.fixture(autouse=True)
def casework_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEWORK_SECRET", "6b" * 32)
    monkeypatch.setenv("CASEWORK_WEB_ADDRESS", f"127.0.0.1:{free_port()}")
    settings.load.cache_clear()
    service.server_keys.cache_clear()
    yield
    settings.load.cache_clear()
    service.server_keys.cache_clear()


def member(sessions, email="anna@desk.test", role="case_handler"):
    current = settings.load()
    with sessions() as session:
        setup = accounts.add(session, email, "Anna", role, "system:test")
        _row, _key, secret = accounts.complete_setup(session, service.server_keys(), email, setup.setup_code,
                                                     PASSWORD)
        accounts.confirm_second_factor(session, service.server_keys(), setup.account_id,
                                       code_at(secret, time.time() - 30), current)
    return secret


def sealed_case(sessions, case_ref):
    with sessions() as session:
        directory = session.execute(select(key_directory).order_by(key_directory.c.version.desc())).first()
    case_key = sealing.new_case_key()
    public = sealing.public_key_bytes(case_key)
    return internal_event("complaint.sealed", {
        "case_ref": case_ref, "received_on": date(2026, 12, 1), "institution_type": "municipality",
        "issue": "permit", "municipality": "GM0363", "capacity": None, "incident_date": None,
        "prior_complaint": None, "language": "bg", "reporter_role": "sex_worker", "wants_mediation": False,
        "has_contact": False, "consent": {"referral": True, "share_description": False, "contact": False},
        "case_public_key": base64.b64encode(public).decode(),
        "items": {"description": sealing.seal_item(public, case_ref, "description", "CANARY-7731 the inspection")},
        "wraps": [{"key_id": k["key_id"], "wrapped": sealing.wrap_case_key(case_key, base64.b64decode(k["public_key"]))}
                  for k in directory.entries]})


class Browser:
    """requests with the workspace's cookie carried by hand: requests keeps `Secure` cookies off plain http, while
    browsers send them to a loopback address."""

    def __init__(self, base):
        self.base, self.cookie, self.http = base, None, requests.Session()

    def _headers(self):
        headers = {"Origin": self.base}
        if self.cookie:
            headers["Cookie"] = self.cookie
        return headers

    def _keep(self, response):
        found = re.search(r"(__Host-vp-workspace=[^;]+)", response.headers.get("Set-Cookie", ""))
        if found:
            self.cookie = found.group(1)
        return response

    def get(self, path):
        return self._keep(self.http.get(self.base + path, headers=self._headers(), allow_redirects=False, timeout=10))

    def post(self, path, data, origin=True):
        headers = self._headers() if origin else {k: v for k, v in self._headers().items() if k != "Origin"}
        return self._keep(self.http.post(self.base + path, data=data, headers=headers, allow_redirects=False,
                                         timeout=10))


def csrf_of(html):
    return re.search(r'name="csrf" value="([0-9a-f]{64})"', html).group(1)


def test_a_sealed_case_arrives_and_a_withdrawal_erases_it(start_service, dispatch):
    container, sessions = start_service(CaseworkService, config)
    member(sessions)
    with entrypoint_hook(container, "publish_key_directory") as publish:
        publish()
    with entrypoint_waiter(container, "on_complaint_sealed", timeout=10):
        dispatch("intake", "complaint.sealed", sealed_case(sessions, "VP-CWSV-0001"))
    with sessions() as session:
        (row,) = session.execute(select(cases)).fetchall()
        assert row.language == "bg" and row.status == "new"
        sealed = session.execute(select(case_items.c.sealed)).scalar()
        assert "CANARY-7731" not in sealed
    with entrypoint_waiter(container, "on_complaint_withdrawn", timeout=10):
        dispatch("intake", "complaint.withdrawn", internal_event("complaint.withdrawn", {"case_ref": "VP-CWSV-0001"}))
    with sessions() as session:
        assert session.execute(select(cases)).fetchall() == []
        assert session.execute(select(erased_cases.c.case_ref)).scalars().all() == ["VP-CWSV-0001"]


def test_a_case_handler_signs_in_sees_the_queue_reads_the_case_and_adds_a_note(start_service, dispatch):
    container, sessions = start_service(CaseworkService, config)
    secret = member(sessions)
    with entrypoint_hook(container, "publish_key_directory") as publish:
        publish()
    with entrypoint_waiter(container, "on_complaint_sealed", timeout=10):
        dispatch("intake", "complaint.sealed", sealed_case(sessions, "VP-CWSV-0002"))
    browser = Browser(f"http://{container.config['WEB_SERVER_ADDRESS']}")
    page = browser.get("/sign-in")
    assert page.status_code == 200 and "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    wrong = browser.post("/sign-in", {"email": "anna@desk.test", "password": "not the password"})
    assert wrong.status_code == 400 and browser.cookie is None
    step = browser.post("/sign-in", {"email": "anna@desk.test", "password": PASSWORD})
    assert step.status_code == 303 and step.headers["Location"] == "/sign-in/code"
    cookie_header = step.headers["Set-Cookie"]
    assert all(flag in cookie_header for flag in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/"))
    assert browser.get("/queue").status_code == 303  # the second factor is still due
    done = browser.post("/sign-in/code", {"code": code_at(secret, time.time())})
    assert done.status_code == 303 and done.headers["Location"] == "/"
    queue = browser.get("/queue")
    assert queue.status_code == 200 and "VP-CWSV-0002" in queue.text
    case = browser.get("/cases/VP-CWSV-0002")
    assert case.status_code == 200 and "CANARY-7731 the inspection" in case.text
    assert browser.post("/cases/VP-CWSV-0002/notes", {"text": "no token"}).status_code == 403
    assert browser.post("/cases/VP-CWSV-0002/notes", {"text": "x", "csrf": csrf_of(case.text)},
                        origin=False).status_code == 403
    added = browser.post("/cases/VP-CWSV-0002/notes", {"text": "phoned them", "csrf": csrf_of(case.text)})
    assert added.status_code == 303
    assert "phoned them" in browser.get("/cases/VP-CWSV-0002").text
    with sessions() as session:
        assert session.execute(select(cases.c.status)).scalar() == "in_progress"


def test_a_malformed_event_is_dead_lettered_without_effect(start_service, dispatch, monkeypatch):
    monkeypatch.setenv("EVENT_MAX_ATTEMPTS", "1")
    container, sessions = start_service(CaseworkService, config)
    bad = internal_event("complaint.withdrawn", {"case_ref": "VP-CWSV-0003"})
    bad["data"] = {"case_ref": "VP-CWSV-0003", "extra": "not in the schema"}
    failures = []
    with entrypoint_waiter(container, "on_complaint_withdrawn", timeout=10,
                           callback=lambda ctx, result, exc_info: failures.append(exc_info) or True):
        dispatch("intake", "complaint.withdrawn", bad)
    assert failures[0] is not None
    with sessions() as session:
        assert session.execute(select(erased_cases)).fetchall() == []


def test_a_partners_status_update_shows_on_the_case_page(start_service, dispatch):
    from datetime import datetime, timezone

    container, sessions = start_service(CaseworkService, config)
    secret = member(sessions)
    with entrypoint_hook(container, "publish_key_directory") as publish:
        publish()
    with entrypoint_waiter(container, "on_complaint_sealed", timeout=10):
        dispatch("intake", "complaint.sealed", sealed_case(sessions, "VP-CWSV-0005"))
    with entrypoint_waiter(container, "on_referral_partner_status_changed", timeout=10):
        dispatch("routing", "referral.partner_status_changed", internal_event("referral.partner_status_changed", {
            "case_ref": "VP-CWSV-0005", "partner_id": "kifid", "status": "answered", "outcome": "partly_upheld",
            "changed_at": datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc), "referred_on": date(2026, 11, 2)}))
    browser = Browser(f"http://{container.config['WEB_SERVER_ADDRESS']}")
    browser.post("/sign-in", {"email": "anna@desk.test", "password": PASSWORD})
    browser.post("/sign-in/code", {"code": code_at(secret, time.time())})
    case = browser.get("/cases/VP-CWSV-0005")
    assert case.status_code == 200
    section = case.text.split('class="partner-updates"', 1)[1].split("</ul>", 1)[0]
    assert "kifid" in section and "2026-11-20" in section
    assert ("Answered" in section and "Complaint partly upheld" in section) or \
        ("Beantwoord" in section and "Klacht deels gegrond" in section), section


def signed_in(container, sessions, email, role):
    secret = member(sessions, email, role)
    browser = Browser(f"http://{container.config['WEB_SERVER_ADDRESS']}")
    browser.post("/sign-in", {"email": email, "password": PASSWORD})
    browser.post("/sign-in/code", {"code": code_at(secret, time.time())})
    return browser


def test_the_coordinator_writes_an_observation_for_the_signal_report_and_it_goes_to_analytics(start_service,
                                                                                               monkeypatch):
    import json

    from services.casework.tables import audit_log, outbox, signal_observations
    monkeypatch.setenv("CASEWORK_TODAY", "2026-07-15")
    container, sessions = start_service(CaseworkService, config)
    handler = signed_in(container, sessions, "hans@desk.test", "case_handler")
    assert handler.get("/signals").status_code == 403                # a case handler does not write them
    browser = signed_in(container, sessions, "cora@desk.test", "coordinator")
    page = browser.get("/signals?sector=banks&quarter=2026-Q2")
    assert page.status_code == 200 and "2026-Q2" in page.text and 'href="/signals"' in page.text
    csrf = csrf_of(page.text)
    for text in ("Call me on 06 12345678", "mail x@example.org", "see VP-ABCD-1234"):
        refused = browser.post("/signals", {"csrf": csrf, "sector": "banks", "quarter": "2026-Q2", "observation": text})
        assert refused.status_code == 400 and "gepubliceerd" in refused.text  # Dutch by default
    assert browser.post("/signals", {"csrf": csrf, "sector": "banks", "quarter": "2019-Q1",
                                     "observation": "old"}).status_code == 400
    assert browser.post("/signals", {"sector": "banks", "quarter": "2026-Q2",
                                     "observation": "no token"}).status_code == 403
    text = "CANARY-OBS-5521 Banks close accounts after a routine check, often without saying why."
    saved = browser.post("/signals", {"csrf": csrf, "sector": "banks", "quarter": "2026-Q2", "observation": text})
    assert saved.status_code == 200 and "CANARY-OBS-5521" in saved.text
    with sessions() as session:
        assert session.execute(select(signal_observations.c.observation)).scalars().all() == [text]
        events = [json.loads(row.body) for row in session.execute(select(outbox)).fetchall()
                  if row.routing_key == "signal.observation_written"]
        actions = session.execute(select(audit_log.c.action, audit_log.c.detail)).fetchall()
    assert len(events) == 1 and events[0]["data"]["observation"] == text
    assert events[0]["data"]["sector"] == "banks" and events[0]["data"]["quarter"] == "2026-Q2"
    assert [detail for action, detail in actions if action == "signal_observation.written"] == [
        {"sector": "banks", "quarter": "2026-Q2", "length": len(text)}]  # the audit log keeps no text
