"""Routing's clock timer against real PostgreSQL: each clock fires once, as an event in the outbox."""
import json
from datetime import date

import pytest
from sqlalchemy import delete, select

from libs.kit.db import make_engine, make_session_factory
from services.routing.domain.partners import load_partners
from services.routing.tables import metadata, outbox, partner_cases, plans
from services.routing.use_cases.clocks import fire_due_clocks
from services.routing.use_cases.referrals import plan_complaint

pytestmark = pytest.mark.postgres


def received(case_ref):
    raw = {"case_ref": case_ref, "received_on": "2026-09-01", "institution_type": "municipality",
           "issue": "rude_treatment", "municipality": "GM0363", "capacity": None, "incident_date": "2026-08-20",
           "prior_complaint": {"filed_on": "2026-09-01", "final_answer_on": None}, "language": "nl",
           "reporter_role": "sex_worker", "wants_mediation": False, "has_contact": False,
           "consent": {"referral": False, "share_description": False, "contact": False}}
    from libs.contracts.events import ComplaintReceivedData
    return ComplaintReceivedData().load(raw), raw


def clock_events(session, case_ref):
    bodies = [json.loads(b) for b in session.execute(select(outbox.c.body)).scalars()]
    clock_types = ("nl.voorportaal.referral.deadline_due.v1", "nl.voorportaal.referral.escalation_available.v1")
    return [b for b in bodies if b["data"].get("case_ref") == case_ref and b["type"] in clock_types]


def test_clocks_fire_once_when_due(pg_url):
    engine = make_engine(pg_url)
    metadata.create_all(engine)
    case_ref = "VP-CLCK-0001"
    data, raw = received(case_ref)
    with make_session_factory(engine)() as session:
        plan_complaint(session, data, raw, load_partners({"partners": []}), b"s" * 32, date(2026, 9, 2))
        session.commit()
        fired, _ = fire_due_clocks(session, date(2026, 9, 30))  # 6 weeks from 1 Sept: not yet due
        assert clock_events(session, case_ref) == []
        fired, overdue = fire_due_clocks(session, date(2026, 10, 20))
        assert fired.get("deadline_due") >= 1 and overdue >= 1
        first = clock_events(session, case_ref)
        assert first and first[0]["data"]["channel_id"] == "internal:municipality"
        fire_due_clocks(session, date(2026, 10, 21))
        assert len(clock_events(session, case_ref)) == len(first)  # a clock fires once
        session.execute(delete(plans).where(plans.c.case_ref == case_ref))
        session.execute(delete(partner_cases).where(partner_cases.c.case_ref == case_ref))
        session.execute(delete(outbox).where(outbox.c.body.contains(case_ref)))
        session.commit()
    engine.dispose()


def test_the_timer_reads_only_plans_whose_next_clock_has_come(pg_url):
    """A plan carries the day its next clock comes due (issue 21: reading every open plan each minute stalled
    routing with a million stored). The timer trusts that day, fills it in for a plan made before the column
    existed (NULL), and the overdue gauge sums what the plans say."""
    from sqlalchemy import update

    from libs.referral_rules.clocks import NO_CLOCK_LEFT
    engine = make_engine(pg_url)
    metadata.create_all(engine)
    refs = ["VP-CLCK-0011", "VP-CLCK-0012", "VP-CLCK-0013"]
    sessions = make_session_factory(engine)
    try:
        with sessions() as session:
            for case_ref in refs:
                data, raw = received(case_ref)
                plan_complaint(session, data, raw, load_partners({"partners": []}), b"s" * 32, date(2026, 9, 2))
            session.commit()
            first_due = session.execute(select(plans.c.next_clock_on).where(plans.c.case_ref == refs[0])).scalar()
            assert date(2026, 9, 30) < first_due <= date(2026, 10, 20)  # the institution's six weeks
            # refs[1]: a schedule that says "later" is trusted (the plan is not read); refs[2]: made before the column
            session.execute(update(plans).where(plans.c.case_ref == refs[1]).values(next_clock_on=date(2027, 1, 1)))
            session.execute(update(plans).where(plans.c.case_ref == refs[2]).values(next_clock_on=None))
            session.commit()
            fired, overdue = fire_due_clocks(session, date(2026, 10, 20))
            assert clock_events(session, refs[0]) and clock_events(session, refs[2])
            assert clock_events(session, refs[1]) == []
            schedules = dict(session.execute(select(plans.c.case_ref, plans.c.next_clock_on)
                                             .where(plans.c.case_ref.in_(refs))).all())
            assert schedules[refs[2]] is not None and schedules[refs[2]] > date(2026, 10, 20)
            counted = session.execute(select(plans.c.overdue_deadlines).where(plans.c.case_ref.in_(refs))).scalars()
            assert overdue >= sum(counted) >= 2  # other tests' plans may add theirs
            # the deadline and the ombudsman's window fired together: no clock left, never read again
            assert schedules[refs[0]] == NO_CLOCK_LEFT
            assert clock_events(session, refs[1]) == []
    finally:
        with sessions() as session:
            session.execute(delete(plans).where(plans.c.case_ref.in_(refs)))
            session.execute(delete(partner_cases).where(partner_cases.c.case_ref.in_(refs)))
            for case_ref in refs:
                session.execute(delete(outbox).where(outbox.c.body.contains(case_ref)))
            session.commit()
        engine.dispose()
