"""The analytics service class in-process: its event table into the fact store, inbox, dead-lettering, the
business metrics' timer and the /reports HTTP entrypoint, through nameko's own testing tools on the real broker."""
import base64
import hashlib
import re
from datetime import date, datetime, timezone

import pytest
import requests
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from prometheus_client import REGISTRY
from sqlalchemy import select

from libs.contracts.events import CATALOGUE, handler_name, internal_event, make_envelope
from services.analytics import metrics, settings
from services.analytics import service as service_module
from services.analytics.domain.pseudonyms import pseudonym
from services.analytics.service import AnalyticsService, config
from services.analytics.tables import (case_facts_table, erased_cases_table, inbox, partner_answers_table,
                                       plan_steps_table, release_log_table)
from support.platform import free_port

pytestmark = [pytest.mark.broker]

KEY_HEX = "3c" * 32
TOKEN = "ab" * 16
REF = "VP-ANLT-0001"


@pytest.fixture(autouse=True)
def analytics_settings(monkeypatch):
    monkeypatch.setenv("ANALYTICS_PSEUDONYM_KEY", KEY_HEX)
    monkeypatch.setenv("ANALYTICS_REPORT_TOKEN", TOKEN)
    settings.load.cache_clear()
    yield
    settings.load.cache_clear()


def received(case_ref=REF, received_on=date(2026, 3, 4), institution_type="bank"):
    return {"case_ref": case_ref, "received_on": received_on, "institution_type": institution_type,
            "issue": "privacy", "municipality": "GM0363", "capacity": "private", "incident_date": None,
            "prior_complaint": None, "language": "nl", "reporter_role": "sex_worker", "wants_mediation": True,
            "has_contact": False, "consent": {"referral": True, "share_description": False, "contact": False}}


def planned(case_ref=REF, institution_type="bank"):
    return {"case_ref": case_ref, "directory_version": "1", "institution_type": institution_type,
            "issue": "privacy", "municipality": "GM0363", "language": "nl", "wants_mediation": True,
            "partner_referrals": [],
            "steps": [{"channel_id": "internal:bank", "kind": "first_line", "status": "open",
                       "answer_due": date(2026, 4, 16), "escalate_by": None},
                      {"channel_id": "kifid", "kind": "second_line", "status": "planned", "answer_due": None,
                       "escalate_by": date(2026, 8, 1)}]}


def deliver(container, dispatch, event_type, data=None, envelope=None):
    """Publish one event as its producer would and wait until analytics' entrypoint for it has run."""
    envelope = envelope or internal_event(event_type, data, correlation_id=data["case_ref"])
    with entrypoint_waiter(container, handler_name(event_type), timeout=10):
        dispatch(CATALOGUE[event_type][0], event_type, envelope)
    return envelope


def fact(sessions, case_ref=REF):
    with sessions() as session:
        return session.execute(select(case_facts_table).where(
            case_facts_table.c.pseudonym == pseudonym(case_ref, bytes.fromhex(KEY_HEX)))).mappings().first()


def rows(sessions, table):
    with sessions() as session:
        return session.execute(select(table)).fetchall()


# the life of one case: each consumed event and the change it must make to the case's fact row
LIFE = [
    ("complaint.received", received(),
     lambda f: f["received"] and (f["month"], f["province"], f["institution_type"]) == ("2026-03", "Noord-Holland",
                                                                                      "bank")),
    ("referral.planned", planned(), lambda f: f["plan_count"] == 1 and f["stage"] == "not_filed"),
    ("complaint.progress_reported", {"case_ref": REF, "kind": "filed_with_institution", "on": date(2026, 3, 9)},
     lambda f: f["stage"] == "filed_waiting"),
    ("referral.deadline_due", {"case_ref": REF, "channel_id": "internal:bank", "due_on": date(2026, 4, 16)},
     lambda f: f["deadline_due_count"] == 1),
    ("referral.escalation_available", {"case_ref": REF, "channel_id": "internal:bank", "due_on": date(2026, 4, 30)},
     lambda f: f["stage"] == "escalation_available"),
    ("mediation.assigned", {"case_ref": REF, "mediator_id": "m-07", "assigned_on": date(2026, 3, 12)},
     lambda f: f["mediation"] == "assigned" and f["days_to_mediator"] == 8),
    ("mediation.unmatched", {"case_ref": REF, "reason": "no_mediator_available"},
     lambda f: f["mediation_unmatched"] is True),
    ("mediation.outcome_recorded", {"case_ref": REF, "outcome": "resolved", "satisfaction": 4,
                                    "recorded_on": date(2026, 4, 1)},
     lambda f: (f["mediation"], f["mediation_outcome"], f["satisfaction"]) == ("closed", "resolved", 4)),
    ("case.status_changed", {"case_ref": REF, "status": "closed", "previous_status": "new",
                             "closure_reason": "resolved", "changed_on": date(2026, 3, 6)},
     lambda f: (f["days_to_first_response"], f["days_to_closure"]) == (2, 2)),
    ("complaint.feedback_given", {"case_ref": REF, "about": "closure", "trigger": "closed_by_desk", "solved": "no",
                                  "institution_treatment": 1, "desk_treatment": 5, "reopen": True,
                                  "with_comment": False, "given_on": date(2026, 3, 10)},
     lambda f: (f["solved"], f["institution_respect"], f["desk_respect"], f["reopen_requested"]) == (
         "no", False, True, True)),
]


# a partner's answer about its referral: not a fact-row change, a row of its own (days to the answer)
PARTNER_ANSWER = {"case_ref": REF, "partner_id": "kifid", "status": "answered", "outcome": "upheld",
                  "changed_at": datetime(2026, 4, 20, 10, 0, tzinfo=timezone.utc), "referred_on": date(2026, 3, 4)}


def test_the_table_consumes_exactly_the_events_this_file_drives():
    assert set(AnalyticsService.consumed_events) == {event_type for event_type, _d, _e in LIFE} | {
        "complaint.withdrawn", "referral.partner_status_changed", "case.status_changed", "complaint.feedback_given",
        "signal.observation_written"}  # the observation: its own test below


def test_every_consumed_event_reaches_the_fact_store_and_a_withdrawal_erases_the_case(start_service, dispatch):
    container, sessions = start_service(AnalyticsService, config)
    for event_type, data, effect in LIFE:
        before = fact(sessions)
        deliver(container, dispatch, event_type, data)
        after = fact(sessions)
        assert after is not None and after != before and effect(after), event_type
    assert len(rows(sessions, plan_steps_table)) == 2
    deliver(container, dispatch, "referral.partner_status_changed", PARTNER_ANSWER)
    assert [(row.partner, row.days_to_answer) for row in rows(sessions, partner_answers_table)] == [("kifid", 47)]
    deliver(container, dispatch, "complaint.withdrawn", {"case_ref": REF})
    assert fact(sessions) is None and rows(sessions, plan_steps_table) == []
    assert rows(sessions, partner_answers_table) == []
    assert [row.pseudonym for row in rows(sessions, erased_cases_table)] == [
        pseudonym(REF, bytes.fromhex(KEY_HEX))]
    assert sorted(row.handler for row in rows(sessions, inbox)) == sorted(
        handler_name(event_type) for event_type in AnalyticsService.consumed_events
        if event_type != "signal.observation_written")
    # a late event of the withdrawn case does not bring it back
    deliver(container, dispatch, "mediation.assigned", {"case_ref": REF, "mediator_id": "m-08",
                                                         "assigned_on": date(2026, 4, 20)})
    assert fact(sessions) is None


def test_a_redelivered_event_has_no_second_effect(start_service, dispatch):
    container, sessions = start_service(AnalyticsService, config)
    deliver(container, dispatch, "complaint.received", received())
    envelope = deliver(container, dispatch, "referral.planned", planned())
    deliver(container, dispatch, "referral.planned", envelope=envelope)  # same event id: the broker redelivered
    assert fact(sessions)["plan_count"] == 1
    assert [row.handler for row in rows(sessions, inbox)].count("on_referral_planned") == 1


def test_a_malformed_event_is_retried_then_dead_lettered_and_changes_nothing(start_service, dispatch, dead_letters,
                                                                          entrypoint_runs, monkeypatch):
    monkeypatch.setenv("EVENT_MAX_ATTEMPTS", "2")
    dead_letter_queue = dead_letters("analytics", sources=("intake",))
    container, sessions = start_service(AnalyticsService, config)
    bad = make_envelope("nl.voorportaal.complaint.received.v1", "urn:voorportaal:intake",
                        {"case_ref": "VP-ANLT-0003", "institution_type": "not-a-type"})
    with entrypoint_runs(container, "on_complaint_received", times=2) as failed:
        dispatch("intake", "complaint.received", bad)
    assert failed == [True, True]
    dead = dead_letter_queue.first()
    assert dead is not None and dead["data"]["case_ref"] == "VP-ANLT-0003"
    assert rows(sessions, case_facts_table) == [] and rows(sessions, inbox) == []


def gauge(name, **labels):
    return REGISTRY.get_sample_value(name, {"service": "analytics", **labels})


def test_the_timer_sets_this_months_coarse_totals_and_no_count_per_institution_type(start_service, dispatch):
    """Issue 19, finding 13: the live metrics show this month's totals over all types, 0 or a multiple of 10, so
    one filing does not move them; there is no series per institution type. Refreshed hourly."""
    container, _sessions = start_service(AnalyticsService, config)
    assert service_module.BUSINESS_METRICS_INTERVAL_SECONDS >= 3600
    today = datetime.now(timezone.utc).date()
    deliver(container, dispatch, "complaint.received", received("VP-ANLT-0004", today, "kvk"))
    deliver(container, dispatch, "referral.planned", planned("VP-ANLT-0004", "kvk"))  # planned now: this month
    deliver(container, dispatch, "complaint.received", received("VP-ANLT-0005", date(2026, 1, 5), "svb"))
    metrics.COMPLAINTS.set(-1)
    metrics.REFERRALS.set(-1)
    with entrypoint_hook(container, "refresh_business_metrics") as refresh:
        refresh()
    assert gauge("voorportaal_evaluation_complaints") == 0  # one complaint this month: below the threshold
    assert gauge("voorportaal_evaluation_referrals") == 0
    for number in range(6, 17):
        deliver(container, dispatch, "complaint.received", received(f"VP-ANLT-{number:04d}", today, "bank"))
    with entrypoint_hook(container, "refresh_business_metrics") as refresh:
        refresh()
    assert gauge("voorportaal_evaluation_complaints") == 10  # 12 this month, shown as 10
    for institution_type in ("kvk", "svb", "bank"):
        assert gauge("voorportaal_evaluation_complaints", institution_type=institution_type) is None
        assert gauge("voorportaal_evaluation_referrals", institution_type=institution_type) is None


# -- GET /reports through the container's real web server ----------------------------------------------------------
@pytest.fixture()
def web(start_service):
    address = f"127.0.0.1:{free_port()}"
    container, sessions = start_service(AnalyticsService, config, WEB_SERVER_ADDRESS=address)
    return f"http://{address}/reports", container, sessions


AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUARTER = {"from": "2026-01", "to": "2026-03"}


def test_the_report_needs_the_token(web):
    url, _container, sessions = web
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": TOKEN}):
        response = requests.get(url, params=QUARTER, headers=headers, timeout=10)
        assert response.status_code == 401 and response.json()["error"]["code"] == "token_required"
        assert response.headers["Cache-Control"] == "no-store"
    assert rows(sessions, release_log_table) == []


@pytest.mark.parametrize("params, code", [
    ({"from": "2026-02", "to": "2026-03"}, "invalid_period"),  # not whole quarters
    ({"from": "2026-01", "to": "2026-3"}, "invalid_period"),
    ({**QUARTER, "format": "pdf"}, "invalid_format"),
])
def test_a_bad_request_is_refused_with_400(web, params, code):
    url, _container, sessions = web
    response = requests.get(url, params=params, headers=AUTH, timeout=10)
    assert response.status_code == 400 and response.json()["error"]["code"] == code
    assert rows(sessions, release_log_table) == []


def test_a_report_is_published_with_its_headers_and_logged(web, dispatch):
    url, container, sessions = web
    deliver(container, dispatch, "complaint.received", received())
    response = requests.get(url, params=QUARTER, headers=AUTH, timeout=30)  # format defaults to json
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    document = response.json()
    assert document["period"]["quarters"] == ["2026-Q1"] and REF not in response.text
    volume = next(table for table in document["tables"] if table["id"] == "volume_by_institution_type")
    assert volume["rows"][0]["values"]["bank"] is None  # one complaint: below the threshold, suppressed
    page = requests.get(url, params={**QUARTER, "format": "html"}, headers=AUTH, timeout=60)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    # the page's one inline style is exactly what its Content-Security-Policy allows, and nothing else loads
    style = re.search(r"<style>(.*?)</style>", page.text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = page.headers["Content-Security-Policy"]
    assert f"style-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff" and page.headers["Cache-Control"] == "no-store"
    logged = rows(sessions, release_log_table)
    assert [(row.format, row.period_from, row.period_to) for row in logged] == [
        ("json", "2026-01", "2026-03"), ("html", "2026-01", "2026-03")]
    assert logged[0].sha256 == hashlib.sha256(response.content).hexdigest()


def test_a_release_the_disclosure_audit_refuses_is_not_published(web, monkeypatch):
    url, _container, sessions = web
    from services.analytics.use_cases import reports
    monkeypatch.setattr(reports, "check_release", lambda *_args, **_kwargs: ["2026-Q1: a made-up problem"])
    response = requests.get(url, params=QUARTER, headers=AUTH, timeout=30)
    assert response.status_code == 409 and response.json()["error"]["code"] == "disclosure_check_failed"
    assert "made-up" not in response.text  # the problems stay on the server
    assert rows(sessions, release_log_table) == []


def test_a_coordinators_observation_arrives_and_the_one_written_last_wins(start_service, dispatch):
    from services.analytics.tables import signal_observations_table
    container, sessions = start_service(AnalyticsService, config)

    def observation(text, written_at):
        return internal_event("signal.observation_written", {
            "sector": "banks", "quarter": "2026-Q1", "observation": text, "written_at": written_at})
    later = datetime(2026, 4, 2, 10, 0, tzinfo=timezone.utc)
    for text, at in (("Accounts closed after a check.", later),
                     ("An older draft.", datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc))):
        envelope = observation(text, at)
        with entrypoint_waiter(container, handler_name("signal.observation_written"), timeout=10):
            dispatch("casework", "signal.observation_written", envelope)
    with sessions() as session:
        rows = session.execute(select(signal_observations_table.c.sector, signal_observations_table.c.quarter,
                                      signal_observations_table.c.observation)).fetchall()
    assert rows == [("banks", "2026-Q1", "Accounts closed after a check.")]  # the late older draft did not win
