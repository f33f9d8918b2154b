"""The relay is woken by PostgreSQL's NOTIFY at the writer's commit (libs/kit/outbox_wakeup.py), so an
event leaves within milliseconds although the relay's own poll is set to 30 s here."""
import threading
import time
from datetime import date

import pika
import pytest
from sqlalchemy import MetaData, func, select

from libs.kit.db import make_engine, make_session_factory, outbox_table
from libs.kit.outbox import emit
from libs.kit.relay import OutboxRelay

pytestmark = [pytest.mark.broker, pytest.mark.postgres]

DATA = {"case_ref": "VP-WAKE-0001", "kind": "filed_with_institution", "on": date(2026, 11, 2)}


@pytest.fixture()
def relay_and_outbox(pg_url, amqp_uri):
    engine = make_engine(pg_url)
    metadata = MetaData()
    table = outbox_table(metadata, "waketest")
    metadata.drop_all(engine)
    metadata.create_all(engine)
    relay = OutboxRelay("waketest", engine, amqp_uri, fallback_poll=30)
    thread = threading.Thread(target=relay.run_forever, daemon=True)
    thread.start()
    yield relay, engine, table
    relay.stop()
    thread.join(40)
    metadata.drop_all(engine)
    engine.dispose()


def test_a_commit_wakes_the_relay_long_before_its_poll(amqp_uri, relay_and_outbox):
    relay, engine, table = relay_and_outbox
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    try:
        channel.exchange_declare("intake.events", exchange_type="topic", durable=True)
        queue = channel.queue_declare("", exclusive=True).method.queue
        channel.queue_bind(queue, "intake.events", routing_key="complaint.progress_reported")
        deadline = time.monotonic() + 20
        while not (relay.connected and relay.wakeup.connection is not None) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert relay.wakeup.connection is not None, "the relay never started listening"
        time.sleep(0.5)  # the relay is now asleep in its 30 s wait

        sessions = make_session_factory(engine)
        with sessions() as session:  # a rolled-back transaction publishes nothing and wakes nobody
            emit(session, table, "complaint.progress_reported", {**DATA, "case_ref": "VP-WAKE-0000"})
            session.rollback()
        with sessions() as session:
            emitted = emit(session, table, "complaint.progress_reported", DATA)
            session.commit()
        committed = time.monotonic()
        received = None
        while received is None and time.monotonic() - committed < 5:
            method, _properties, body = channel.basic_get(queue, auto_ack=True)
            if method is not None:
                received = body
            else:
                time.sleep(0.01)
        assert received is not None, "not published within 5 s of the commit: the relay was not woken"
        assert emitted["id"].encode() in received
        assert channel.basic_get(queue, auto_ack=True)[0] is None  # the rolled-back event never went out
    finally:
        connection.close()


@pytest.fixture()
def bare_outbox(pg_url):
    """An outbox table of its own, without a relay: what emit writes, and in how many statements."""
    engine = make_engine(pg_url)
    metadata = MetaData()
    table = outbox_table(metadata, "wakeonce")
    metadata.drop_all(engine)
    metadata.create_all(engine)
    yield engine, table
    metadata.drop_all(engine)
    engine.dispose()


def test_a_transactions_rows_go_in_one_statement_that_wakes_the_relay(bare_outbox):
    """Each statement is a round trip: a transaction that emits two events writes both rows and asks for the wake-up
    in one statement at commit; the next transaction in the same session sends its own (a skipped one would leave
    its rows to the relay's slow poll). A plain connection writes each row at once, with its wake-up."""
    from sqlalchemy import event

    engine, table = bare_outbox
    statements = []

    @event.listens_for(engine, "before_cursor_execute")
    def count(_conn, _cursor, statement, *_args):
        if "wakeonce_outbox" in statement:
            statements.append(statement)
    sessions = make_session_factory(engine)
    with sessions() as session:
        emit(session, table, "complaint.progress_reported", DATA)
        emit(session, table, "complaint.progress_reported", {**DATA, "case_ref": "VP-WAKE-0002"})
        assert statements == []  # waiting for the commit
        session.commit()
        assert len(statements) == 1 and "pg_notify" in statements[0] and "INSERT INTO" in statements[0]
        emit(session, table, "complaint.progress_reported", {**DATA, "case_ref": "VP-WAKE-0003"})
        session.commit()
        assert len(statements) == 2
    with engine.begin() as connection:  # a plain connection, as the relay's tests and some CLIs use
        emit(connection, table, "complaint.progress_reported", {**DATA, "case_ref": "VP-WAKE-0004"})
        emit(connection, table, "complaint.progress_reported", {**DATA, "case_ref": "VP-WAKE-0005"})
    assert len(statements) == 4 and all("pg_notify" in statement for statement in statements)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(table)).scalar() == 5


def test_rows_waiting_for_the_commit_are_seen_by_the_same_transaction_and_lost_with_its_rollback(bare_outbox):
    engine, table = bare_outbox
    sessions = make_session_factory(engine)
    with sessions() as session:
        emitted = emit(session, table, "complaint.progress_reported", DATA)
        # a read of the outbox in the same transaction writes the waiting rows first, like the ORM's autoflush
        assert session.execute(select(table.c.event_id)).scalars().all() == [emitted["id"]]
        emit(session, table, "complaint.progress_reported", {**DATA, "case_ref": "VP-WAKE-0006"})
        session.rollback()
        emit(session, table, "complaint.progress_reported", {**DATA, "case_ref": "VP-WAKE-0007"})
        session.rollback()
        session.commit()  # nothing waits from the rolled-back transactions
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(table)).scalar() == 0
