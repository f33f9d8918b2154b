"""The SLA timer's work and the mediator's link actions on real databases, driven by a test clock.

PostgreSQL (production) and SQLite (`make run`), each a database of its own: the e2e platform shares the session
database and runs its own SLA timer and sender.
"""
import json
import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from marshmallow import ValidationError
from sqlalchemy import delete, select, text

from libs.kit.db import make_engine, make_session_factory
from services.notification import settings
from services.notification.domain.escalation import SlaPolicy
from services.notification.domain.mediators import Mediator
from services.notification.tables import assignments, deliveries, mediators, metadata, outbox
from services.notification.use_cases import assignment, reactions, registry, sender, sla
from support.resources import create_database, drop_database

pytestmark = pytest.mark.postgres

AMS = ZoneInfo("Europe/Amsterdam")
POLICY = SlaPolicy()  # 16 business hours, reminder after 8, two reassignments, no holidays
TEAM = [Mediator(f"m-{n}", f"M{n}", f"m{n}@x.test", ("nl",), capacity=5) for n in range(1, 5)]


def ams(*args):
    return datetime(*args, tzinfo=AMS)


def plan(case_ref, language="nl"):
    return {"case_ref": case_ref, "directory_version": "test", "institution_type": "bank",
            "issue": "account_refused_or_closed", "municipality": "GM0363", "language": language,
            "wants_mediation": True, "partner_referrals": [],
            "steps": [{"channel_id": "internal:bank", "kind": "internal", "status": "open",
                       "answer_due": date(2026, 12, 28), "escalate_by": None}]}


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def sessions(request, tmp_path_factory):
    """PostgreSQL as in production; SQLite as in `make run` (it hands timestamps back without a zone)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sla') / 'notification.db'}")
        metadata.create_all(engine)
        yield make_session_factory(engine)
        engine.dispose()
        return
    name = f"vp_test_sla_{secrets.token_hex(4)}"
    create_database(name)
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()
    drop_database(name)


@pytest.fixture()
def team(sessions):
    with sessions() as session:
        for table in (deliveries, assignments, outbox, mediators):
            session.execute(delete(table))
        for mediator in TEAM:
            registry.upsert(session, mediator)
        session.commit()
    return sessions


def assign(sessions, case_ref, now, language="nl"):
    with sessions() as session:
        match = assignment.assign_mediator(session, plan(case_ref, language), registry.all_mediators(session),
                                               now=now, policy=POLICY)
        session.commit()
    return match


def row(sessions, case_ref):
    with sessions() as session:
        return session.execute(select(assignments).where(assignments.c.case_ref == case_ref)).first()


def check(sessions, now):
    with sessions() as session:
        return dict(sla.check_open_assignments(session, POLICY, now))


def queued(sessions, case_ref):
    with sessions() as session:
        return {r.idempotency_key: r for r in session.execute(
            select(deliveries).where(deliveries.c.case_ref == case_ref))}


def events(sessions, event_type):
    with sessions() as session:
        return [json.loads(r.body)["data"] for r in session.execute(
            select(outbox).where(outbox.c.routing_key == event_type).order_by(outbox.c.id))]


def test_no_reaction_reminds_then_reassigns_twice_then_reaches_the_coordinator(team):
    first = assign(team, "VP-SLA1-0001", ams(2026, 11, 30, 9)).mediator  # Monday 09:00
    request = queued(team, "VP-SLA1-0001")[f"mediation-request:VP-SLA1-0001:{first.id}"]
    assert json.loads(request.context)["respond_by"].startswith("2026-12-01T17:00")  # two working days

    assert check(team, ams(2026, 11, 30, 16, 59)) == {}
    assert check(team, ams(2026, 11, 30, 17)) == {"remind": 1}  # after 8 business hours
    assert check(team, ams(2026, 12, 1, 10)) == {}  # one reminder only
    assert f"mediation-reminder:VP-SLA1-0001:{first.id}" in queued(team, "VP-SLA1-0001")
    assert row(team, "VP-SLA1-0001").reminders_sent == 1

    assert check(team, ams(2026, 12, 1, 17)) == {"reassign": 1}  # the deadline: Tuesday 17:00
    second = row(team, "VP-SLA1-0001")
    assert second.mediator_id != first.id and second.previous_mediators == [first.id]
    assert (second.status, second.reassignments, second.reminders_sent) == ("requested", 1, 0)
    assert f"mediation-request:VP-SLA1-0001:{second.mediator_id}" in queued(team, "VP-SLA1-0001")

    # the late reminder is skipped once the deadline has passed: straight to the next mediator
    assert check(team, ams(2026, 12, 3, 17)) == {"reassign": 1}
    third = row(team, "VP-SLA1-0001")
    assert third.previous_mediators == [first.id, second.mediator_id] and third.reassignments == 2
    assert third.mediator_id not in third.previous_mediators
    assert [e["mediator_id"] for e in events(team, "mediation.assigned")] == [
        first.id, second.mediator_id, third.mediator_id]

    assert check(team, ams(2026, 12, 7, 17)) == {"to_coordinator": 1}  # max 2 reassignments: the desk takes it
    assert row(team, "VP-SLA1-0001").status == sla.COORDINATOR_STATUS
    handover = queued(team, "VP-SLA1-0001")["coordinator-handover:VP-SLA1-0001"]
    assert handover.recipient_id == "coordinator" and handover.channel == "email"
    assert [e["case_ref"] for e in events(team, "mediation.unmatched")] == ["VP-SLA1-0001"]
    assert check(team, ams(2027, 1, 4, 17)) == {}  # nothing left to do for this case


def test_accept_is_idempotent_and_stops_the_clock(team):
    mediator = assign(team, "VP-SLA2-0001", ams(2026, 11, 30, 9)).mediator
    other = next(m for m in TEAM if m.id != mediator.id)
    now = ams(2026, 11, 30, 10)
    with team() as session:
        assert reactions.state_for(session, "VP-SLA2-0001", mediator.id, "accept") == reactions.DONE
        assert reactions.accept(session, "VP-SLA2-0001", other.id, now) == reactions.STALE
        assert reactions.accept(session, "VP-SLA2-0001", mediator.id, now) == reactions.DONE
        session.commit()
        assert reactions.accept(session, "VP-SLA2-0001", mediator.id, now) == reactions.ALREADY_DONE
        assert reactions.decline(session, "VP-SLA2-0001", mediator.id, now, POLICY) == (reactions.STALE, None)
    assert row(team, "VP-SLA2-0001").status == "accepted"
    assert f"mediation-accepted:VP-SLA2-0001:{mediator.id}" in queued(team, "VP-SLA2-0001")
    assert check(team, ams(2026, 12, 31, 17)) == {}  # an accepted case is never escalated


def test_outcome_closes_the_assignment_and_emits_the_event(team):
    mediator = assign(team, "VP-SLA3-0001", ams(2026, 11, 30, 9)).mediator
    now = ams(2026, 12, 2, 11)
    with team() as session:
        assert reactions.record_outcome(session, "VP-SLA3-0001", mediator.id, {"outcome": "resolved"}, now) \
            == reactions.NOT_ACCEPTED
        reactions.accept(session, "VP-SLA3-0001", mediator.id, now)
        session.commit()
        with pytest.raises(ValidationError):
            reactions.record_outcome(session, "VP-SLA3-0001", mediator.id,
                                     {"outcome": "resolved", "notes": "free text"}, now)
        session.rollback()
        assert reactions.record_outcome(session, "VP-SLA3-0001", mediator.id,
                                        {"outcome": "no_contact", "satisfaction": ""}, now) == reactions.DONE
        session.commit()
        assert reactions.record_outcome(session, "VP-SLA3-0001", mediator.id, {"outcome": "resolved"}, now) \
            == reactions.ALREADY_DONE
    assert row(team, "VP-SLA3-0001").status == "closed"
    assert events(team, "mediation.outcome_recorded") == [
        {"case_ref": "VP-SLA3-0001", "outcome": "no_contact", "satisfaction": None, "recorded_on": "2026-12-02"}]
    with team() as session:  # a closed case no longer counts as open load
        load, _recency = assignment.load_and_recency(session)
    assert mediator.id not in load


def test_a_decline_hands_over_at_once_and_nobody_gets_the_case_twice(team):
    with team() as session:
        for mediator in TEAM[2:]:
            registry.set_active(session, mediator.id, False)
    first = assign(team, "VP-SLA4-0001", ams(2026, 11, 30, 9)).mediator
    now = ams(2026, 11, 30, 9, 30)
    with team() as session:
        assert reactions.decline(session, "VP-SLA4-0001", first.id, now, POLICY) == (reactions.DONE, "reassign")
        session.commit()
    second = row(team, "VP-SLA4-0001").mediator_id
    assert second != first.id
    with team() as session:
        assert reactions.state_for(session, "VP-SLA4-0001", first.id, "decline") == reactions.ALREADY_DONE
        assert reactions.decline(session, "VP-SLA4-0001", second, now, POLICY) == (reactions.DONE, "to_coordinator")
        session.commit()
    assert row(team, "VP-SLA4-0001").status == sla.COORDINATOR_STATUS


def test_clock_messages_go_to_the_current_mediator_once(team):
    mediator = assign(team, "VP-SLA5-0001", ams(2026, 11, 30, 9)).mediator
    data = {"case_ref": "VP-SLA5-0001", "channel_id": "internal:bank", "due_on": date(2026, 12, 28)}
    by_id = {m.id: m for m in TEAM}
    with team() as session:
        for _ in range(2):
            assert assignment.tell_mediator_of_clock(session, "referral.deadline_due", data, by_id) == mediator.id
        assert assignment.tell_mediator_of_clock(session, "referral.deadline_due", {**data, "case_ref": "VP-NONE-0000"},
                                            by_id) is None
        session.commit()
    due = [r for r in queued(team, "VP-SLA5-0001").values() if r.template == "deadline_due"]
    assert len(due) == 1 and json.loads(due[0].context)["due_on"] == "2026-12-28"


def test_the_clock_and_the_policy_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("NOTIFICATION_NOW", "2026-12-01T10:00:00+01:00")
    assert settings.now() == ams(2026, 12, 1, 10)
    monkeypatch.setenv("NOTIFICATION_SLA_HOURS", "24")
    monkeypatch.setenv("NOTIFICATION_SLA_MAX_REASSIGNMENTS", "1")
    policy = settings.policy_from_env(ams(2026, 12, 1))
    assert (policy.reaction_hours, policy.remind_after_hours, policy.max_reassignments) == (24, 12, 1)
    assert date(2026, 12, 25) in policy.holidays and date(2027, 1, 1) in policy.holidays
    monkeypatch.setenv("NOTIFICATION_SLA_REMIND_HOURS", "30")
    from libs.kit.config import ConfigError
    with pytest.raises(ConfigError):
        settings.policy_from_env()


def test_withdrawal_erases_the_assignment_and_its_messages(team):
    mediator = assign(team, "VP-SLA6-0001", ams(2026, 11, 30, 9)).mediator
    with team() as session:
        assert assignment.erase_case(session, "VP-SLA6-0001") == 2  # the request and the assignment
        session.commit()
        assert reactions.state_for(session, "VP-SLA6-0001", mediator.id, "accept") == reactions.STALE
    assert row(team, "VP-SLA6-0001") is None and queued(team, "VP-SLA6-0001") == {}


def test_no_lock_is_held_while_a_message_is_sent_so_an_erasure_never_waits(team, monkeypatch):
    """psycopg's wait does not yield to eventlet: a lock held across the SMTP send would stall the process."""
    assign(team, "VP-SLA7-0001", ams(2026, 11, 30, 9))
    erased = []

    def deliver_while_the_case_is_withdrawn(row, *_args):
        with team() as other:
            if other.bind.dialect.name == "postgresql":
                other.execute(text("SET LOCAL lock_timeout = '2s'"))  # a wait would fail the test, not hang it
            erased.append(assignment.erase_case(other, row.case_ref))
            other.commit()
    monkeypatch.setattr(sender, "deliver", deliver_while_the_case_is_withdrawn)
    with team() as session:
        assert sender.send_due(session, {}, None, lambda *args: None, now=ams(2026, 11, 30, 10)) == 1
    assert erased == [2] and queued(team, "VP-SLA7-0001") == {}  # marking it sent did not bring it back
