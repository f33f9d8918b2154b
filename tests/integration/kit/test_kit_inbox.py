"""The inbox makes a redelivered event a no-op and rolls back everything when the handler fails."""
from datetime import date
from threading import Barrier, Thread

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select

from libs.kit.db import inbox_table, make_engine, make_session_factory
from libs.contracts.events import internal_event
from libs.kit.consuming import DUPLICATE, PROCESSED, handle_once

pytestmark = pytest.mark.postgres


@pytest.fixture()
def store(pg_url):
    engine = make_engine(pg_url)
    metadata = MetaData()
    inbox = inbox_table(metadata, "inboxtest")
    effects = Table("inboxtest_effects", metadata, Column("id", Integer, primary_key=True),
                    Column("case_ref", String(16)))
    metadata.drop_all(engine)
    metadata.create_all(engine)
    yield make_session_factory(engine), inbox, effects, engine
    metadata.drop_all(engine)
    engine.dispose()


def envelope():
    return internal_event("complaint.progress_reported",
                          {"case_ref": "VP-INBOX-0001", "kind": "no_answer_yet", "on": date(2026, 11, 1)})


def count(engine, table):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_redelivery_has_no_second_effect(store):
    sessions, inbox, effects, engine = store
    event = envelope()

    def apply(session, event):
        session.execute(effects.insert().values(case_ref=event.data["case_ref"]))
    assert handle_once(sessions, inbox, "h", event, apply) == PROCESSED
    assert handle_once(sessions, inbox, "h", event, apply) == DUPLICATE
    assert handle_once(sessions, inbox, "other_handler", event, apply) == PROCESSED  # per handler
    assert count(engine, effects) == 2


def test_a_failing_handler_leaves_no_trace_and_can_be_retried(store):
    sessions, inbox, effects, engine = store
    event = envelope()

    def broken(session, event):
        session.execute(effects.insert().values(case_ref=event.data["case_ref"]))
        raise RuntimeError("boom")
    with pytest.raises(RuntimeError):
        handle_once(sessions, inbox, "h", event, broken)
    assert count(engine, effects) == 0 and count(engine, inbox) == 0
    assert handle_once(sessions, inbox, "h", event,
                       lambda s, e: s.execute(effects.insert().values(case_ref="x"))) == PROCESSED


def test_concurrent_copies_take_effect_once(store):
    sessions, inbox, effects, engine = store
    event = envelope()
    barrier, outcomes = Barrier(4), []

    def apply(session, event):
        session.execute(effects.insert().values(case_ref=event.data["case_ref"]))

    def worker():
        barrier.wait()
        outcomes.append(handle_once(sessions, inbox, "h", event, apply))
    threads = [Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [DUPLICATE] * 3 + [PROCESSED]
    assert count(engine, effects) == 1


def test_invalid_events_raise_before_touching_the_database(store):
    sessions, inbox, effects, engine = store
    bad = dict(envelope(), data={"case_ref": "VP-1", "kind": "made_up", "on": "2026-11-01"})
    with pytest.raises(Exception):
        handle_once(sessions, inbox, "h", bad, lambda *a: None)
    assert count(engine, inbox) == 0
