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
