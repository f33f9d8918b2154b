"""Regression (found by `make chaos`, scenario 3): two events of one case folded at the same time lost one.

analytics consumes complaint.received, referral.planned and mediation.* on separate queues with several workers;
each event reads the case's state, folds and writes it back. Two concurrent folds both read the old state and the
later write wiped the earlier (16 of 1,000 cases kept plan_count 0 or received False). apply_event now holds a
per-case advisory lock for the transaction, so the second fold reads what the first committed.
"""
import threading
import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from support.analytics_testlib import KEY
from services.analytics.domain.pseudonyms import pseudonym
from services.analytics.tables import case_facts_table
from services.analytics.use_cases.record import apply_event
from services.analytics.use_cases.synthetic import synthetic_stream

pytestmark = pytest.mark.postgres


def events_of_a_case(*types):
    by_case = {}
    for event_type, data, occurred_at in synthetic_stream(200, seed=8):
        by_case.setdefault(data["case_ref"], {}).setdefault(event_type, (event_type, data, occurred_at))
    for events in by_case.values():
        if all(t in events for t in types):
            return [events[t] for t in types]
    raise AssertionError(f"no synthetic case with {types}")


def test_two_events_of_one_case_folded_at_once_both_count(pg_engine):
    received, planned, unmatched = events_of_a_case("complaint.received", "referral.planned",
                                                    "mediation.unmatched")
    with Session(pg_engine) as session:
        apply_event(session, *received, KEY)
        session.commit()
    first = Session(pg_engine)
    apply_event(first, *planned, KEY)  # worker 1 folded the plan, not yet committed
    second_done = threading.Event()

    def second_worker():
        with Session(pg_engine) as session:
            apply_event(session, *unmatched, KEY)
            session.commit()
        second_done.set()
    thread = threading.Thread(target=second_worker)
    thread.start()
    time.sleep(0.5)
    assert not second_done.is_set()  # worker 2 waits for the case instead of folding into a stale state
    first.commit()
    first.close()
    thread.join(timeout=10)
    with pg_engine.connect() as conn:
        row = conn.execute(select(case_facts_table).where(
            case_facts_table.c.pseudonym == pseudonym(received[1]["case_ref"], KEY))).mappings().one()
    assert row["received"] and row["plan_count"] == 1 and row["mediation_unmatched"]
