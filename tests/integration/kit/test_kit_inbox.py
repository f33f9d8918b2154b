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


def test_a_serialised_handlers_lock_is_taken_with_the_claim_and_not_asked_for_again(store, pg_url):
    """One statement claims the inbox row and takes the handler's advisory lock (issue 21: a round trip fewer per
    event); the handler's own lock_until_commit then sends nothing. Another connection cannot take the lock until
    the event's transaction ends; a duplicate takes no lock."""
    import psycopg
    from sqlalchemy import event as sqlalchemy_event

    from libs.kit.db import lock_until_commit
    sessions, inbox, effects, engine = store
    statements = []
    sqlalchemy_event.listen(engine, "before_cursor_execute",
                            lambda _c, _cur, statement, *_a: statements.append(statement))
    other = psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    seen_from_outside = []

    def apply(session, event):
        lock_until_commit(session, "inboxtest-case:", event.data["case_ref"])  # already held: no statement
        seen_from_outside.append(other.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))",
                                               ("inboxtest-case:" + event.data["case_ref"],)).fetchone()[0])
        session.execute(effects.insert().values(case_ref=event.data["case_ref"]))
    event = envelope()
    lock_of = lambda e: ("inboxtest-case:", e.data["case_ref"])  # noqa: E731
    try:
        assert handle_once(sessions, inbox, "h", event, apply, lock_of=lock_of) == PROCESSED
        assert seen_from_outside == [False]  # held by the event's transaction
        assert [s for s in statements if "pg_advisory_xact_lock" in s and "_inbox" in s] != []
        assert [s for s in statements if "pg_advisory_xact_lock" in s and "_inbox" not in s] == []
        assert other.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))",
                             ("inboxtest-case:VP-INBOX-0001",)).fetchone()[0] is True  # released at commit
        other.execute("SELECT pg_advisory_unlock_all()")
        assert handle_once(sessions, inbox, "h", event, apply, lock_of=lock_of) == DUPLICATE
        assert count(engine, effects) == 1
    finally:
        other.close()
