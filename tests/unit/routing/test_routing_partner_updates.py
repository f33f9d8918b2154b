"""Partners answer back: routing applies a partner's status update once, and refuses (without applying) a forged,
malformed, unknown-case or other-partner one. Use case on an in-memory SQLite database, with a real plan."""
import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import sessionmaker

from libs.contracts.events import read_internal_event
from libs.contracts.partner_updates import UPDATE_TYPE
from services.routing import settings as routing_settings
from services.routing.domain.partner_updates import REFUSAL_REASONS, Refused, read_update
from services.routing.domain.partners import load_partners, partner_subject
from services.routing.tables import metadata, outbox, partner_cases, partner_updates
from services.routing.use_cases import partner_updates as use_case
from services.routing.use_cases.referrals import plan_complaint, withdraw_case

SECRET = b"\x5a" * 32
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
CASE = "VP-PART-0001"


@pytest.fixture(scope="module")
def partners():
    import yaml
    return load_partners(yaml.safe_load(routing_settings.DEFAULT_PARTNERS_FILE.read_text()))


@pytest.fixture()
def settings(partners):
    return routing_settings.Settings(partners=partners, partner_secret=SECRET, declare_partner_queues=False)


@pytest.fixture()
def sessions(partners):
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    received = {"case_ref": CASE, "received_on": date(2026, 11, 2), "institution_type": "bank",
                "issue": "account_refused_or_closed", "municipality": "GM0363", "capacity": "private",
                "incident_date": None, "prior_complaint": None, "language": "nl", "reporter_role": "sex_worker",
                "wants_mediation": False, "has_contact": False,
                "consent": {"referral": True, "share_description": False, "contact": False,
                            "share_with_mediator": False}}
    with factory() as session:
        raw = dict(received, received_on="2026-11-02")
        _plan, sent = plan_complaint(session, received, raw, partners, SECRET, date(2026, 11, 2))
        assert ("kifid", "created") in sent
        session.execute(partner_cases.update().values(created_at=NOW - timedelta(days=10)))
        session.commit()
    return factory


def update_body(subject=None, partner="kifid", status="answered", outcome="upheld", event_id="upd-1",
                time=None, **overrides):
    envelope = {"specversion": "1.0", "id": event_id, "source": f"urn:voorportaal:partner:{partner}",
                "type": UPDATE_TYPE, "time": (time or NOW - timedelta(hours=1)).isoformat(),
                "datacontenttype": "application/json",
                "subject": subject or partner_subject(SECRET, partner, CASE),
                "data": {"status": status, "outcome": outcome}}
    envelope.update(overrides)
    return json.dumps(envelope).encode()


def status_events(session):
    rows = session.execute(select(outbox).where(outbox.c.routing_key == "referral.partner_status_changed")).fetchall()
    return [read_internal_event(json.loads(row.body))[1] for row in rows]


def test_an_update_from_the_partner_is_applied_once_and_announced_with_the_case_only(sessions, settings):
    body = update_body()
    for expected in (use_case.APPLIED, use_case.DUPLICATE):
        with sessions() as session:
            assert use_case.receive_update(session, body, "partner-kifid", settings, NOW) == (expected, "kifid")
            session.commit()
    with sessions() as session:
        (event,) = status_events(session)
        assert event == {"case_ref": CASE, "partner_id": "kifid", "status": "answered", "outcome": "upheld",
                         "changed_at": NOW - timedelta(hours=1), "referred_on": (NOW - timedelta(days=10)).date()}
        assert len(session.execute(select(partner_updates)).fetchall()) == 1


def test_statuses_without_an_outcome_and_a_second_update_are_applied(sessions, settings):
    with sessions() as session:
        for event_id, status in (("a", "received"), ("b", "in_handling"), ("c", "information_needed")):
            result = use_case.receive_update(session, update_body(status=status, outcome=None, event_id=event_id),
                                             "partner-kifid", settings, NOW)
            assert result == (use_case.APPLIED, "kifid")
        assert [e["status"] for e in status_events(session)] == ["received", "in_handling", "information_needed"]


@pytest.mark.parametrize("case, reason", [
    ("another partner's user naming this partner", "other_partner"),
    ("no user_id", "forged"),
    ("a service user", "forged"),
    ("the other partner's subject under its own name", "unknown_subject"),
    ("a made-up subject", "unknown_subject"),
    ("an unregistered partner", "unknown_partner"),
    ("not JSON", "malformed"),
    ("free text in data", "malformed"),
    ("an unknown status", "malformed"),
    ("an outcome with received", "malformed"),
    ("closed without an outcome", "malformed"),
    ("an outcome not in the list", "malformed"),
    ("a referral's type", "malformed"),
    ("no time zone", "malformed"),
    ("an extra attribute", "malformed"),
    ("too large", "malformed"),
    ("in the future", "future_time"),
    ("before the referral", "before_referral"),
])
def test_refused_updates_change_nothing(sessions, settings, case, reason):
    user, body = "partner-kifid", update_body()
    ombudsman_subject = partner_subject(SECRET, "nationale-ombudsman", CASE)
    if case == "another partner's user naming this partner":
        user = "partner-nationale-ombudsman"
    elif case == "no user_id":
        user = None
    elif case == "a service user":
        user = "svc-intake"
    elif case == "the other partner's subject under its own name":
        body = update_body(subject=ombudsman_subject)
    elif case == "a made-up subject":
        body = update_body(subject="0" * 32)
    elif case == "an unregistered partner":
        body, user = update_body(partner="acme-ombudsman"), "partner-acme-ombudsman"
    elif case == "not JSON":
        body = b"CANARY-not-json"
    elif case == "free text in data":
        body = update_body(data={"status": "answered", "outcome": None, "note": "CANARY Jansen lives at ..."})
    elif case == "an unknown status":
        body = update_body(status="rejected", outcome=None)
    elif case == "an outcome with received":
        body = update_body(status="received", outcome="upheld")
    elif case == "closed without an outcome":
        body = update_body(status="closed", outcome=None)
    elif case == "an outcome not in the list":
        body = update_body(outcome="The person was rude")
    elif case == "a referral's type":
        body = update_body(type="nl.voorportaal.referral.created.v1")
    elif case == "no time zone":
        body = update_body(time=datetime(2026, 11, 20, 11, 0))
    elif case == "an extra attribute":
        body = update_body(name="CANARY")
    elif case == "too large":
        body = update_body(event_id="x" * 5000)
    elif case == "in the future":
        body = update_body(time=NOW + timedelta(hours=1))
    elif case == "before the referral":
        body = update_body(time=NOW - timedelta(days=20))
    with sessions() as session:
        result, _partner = use_case.receive_update(session, body, user, settings, NOW)
        assert result == reason
        session.commit()
        assert status_events(session) == [] and session.execute(select(partner_updates)).fetchall() == []


def test_every_refusal_reason_is_a_known_label():
    with pytest.raises(AssertionError):
        Refused("something the partner wrote")
    assert set(REFUSAL_REASONS) >= {"malformed", "forged", "other_partner", "unknown_subject"}


def test_the_local_user_speaks_for_every_partner_only_when_configured(settings):
    body = update_body()
    with pytest.raises(Refused):
        read_update(body, "guest", {"kifid"}, NOW)
    assert read_update(body, "guest", {"kifid"}, NOW, local_user="guest").partner_id == "kifid"


def test_local_user_setting_still_checks_the_subject(sessions, settings):
    local = replace(settings, partner_updates_local_user="guest")
    with sessions() as session:
        ombudsman_subject = partner_subject(SECRET, "nationale-ombudsman", CASE)
        assert use_case.receive_update(session, update_body(subject=ombudsman_subject), "guest", local, NOW)[0] == \
            "unknown_subject"


def test_after_a_withdrawal_the_partner_can_no_longer_update_the_case(sessions, settings):
    with sessions() as session:
        assert use_case.receive_update(session, update_body(), "partner-kifid", settings, NOW)[0] == use_case.APPLIED
        withdraw_case(session, CASE)
        session.commit()
        assert session.execute(select(partner_updates)).fetchall() == []
        later = update_body(event_id="upd-2", status="closed", outcome="withdrawn_by_person")
        assert use_case.receive_update(session, later, "partner-kifid", settings, NOW)[0] == "unknown_subject"


def test_settle_update_commits_and_counts_a_repeat_as_duplicate(sessions, settings):
    assert use_case.settle_update(sessions, update_body(), "partner-kifid", settings) == (use_case.APPLIED, "kifid")
    assert use_case.settle_update(sessions, update_body(), "partner-kifid", settings) == (use_case.DUPLICATE, "kifid")
    assert use_case.settle_update(sessions, b"{}", "partner-kifid", settings) == ("malformed", None)
