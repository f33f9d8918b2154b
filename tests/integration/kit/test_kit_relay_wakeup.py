"""The relay is woken by PostgreSQL's NOTIFY at the writer's commit (libs/kit/outbox_wakeup.py), so an
event leaves within milliseconds although the relay's own poll is set to 30 s here."""
import threading
import time
from datetime import date

import pika
import pytest
from sqlalchemy import MetaData

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


def test_one_wake_up_per_transaction_and_every_transaction_wakes(pg_url):
    """Each pg_notify is a statement: a transaction that emits two events sends one; the next transaction in the
    same session sends its own (a skipped one would leave its rows to the relay's slow poll)."""
    from sqlalchemy import event

    engine = make_engine(pg_url)
    metadata = MetaData()
    table = outbox_table(metadata, "wakeonce")
    metadata.drop_all(engine)
    metadata.create_all(engine)
    notifies = []

    @event.listens_for(engine, "before_cursor_execute")
    def count(_conn, _cursor, statement, *_args):
        if "pg_notify" in statement:
            notifies.append(statement)
    try:
        sessions = make_session_factory(engine)
        with sessions() as session:
            emit(session, table, "complaint.progress_reported", DATA)
            emit(session, table, "complaint.progress_reported", {**DATA, "case_ref": "VP-WAKE-0002"})
            session.commit()
            assert len(notifies) == 1
            emit(session, table, "complaint.progress_reported", {**DATA, "case_ref": "VP-WAKE-0003"})
            session.commit()
            assert len(notifies) == 2
        with engine.begin() as connection:  # a plain connection, as the relay's tests and some CLIs use
            emit(connection, table, "complaint.progress_reported", {**DATA, "case_ref": "VP-WAKE-0004"})
            emit(connection, table, "complaint.progress_reported", {**DATA, "case_ref": "VP-WAKE-0005"})
        assert len(notifies) == 3
    finally:
        metadata.drop_all(engine)
        engine.dispose()
