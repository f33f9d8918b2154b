"""The outbox relay against the real broker and the real PostgreSQL."""
import json
import uuid
from datetime import date

import pika
import pytest
from sqlalchemy import MetaData, select

from libs.kit import metrics, topology
from libs.kit.db import make_engine, make_session_factory, outbox_table
from libs.kit.outbox import emit
from libs.kit.relay import OutboxRelay
from support.resources import create_vhost, delete_vhost

pytestmark = [pytest.mark.broker, pytest.mark.postgres]

DATA = {"case_ref": "VP-RELAY-0001", "kind": "filed_with_institution", "on": date(2026, 11, 2)}


@pytest.fixture()
def channel(amqp_uri):
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    yield channel
    connection.close()


@pytest.fixture()
def outbox(pg_url):
    engine = make_engine(pg_url)
    metadata = MetaData()
    table = outbox_table(metadata, "relaytest")
    metadata.drop_all(engine)
    metadata.create_all(engine)
    yield engine, table
    metadata.drop_all(engine)
    engine.dispose()


def test_rows_are_published_once_with_confirms_and_marked(amqp_uri, channel, outbox):
    engine, table = outbox
    channel.exchange_declare("intake.events", exchange_type="topic", durable=True)
    # exclusive: gone with the connection, so no queue of this test keeps collecting the shared vhost's events
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, "intake.events", routing_key="complaint.progress_reported")
    with make_session_factory(engine)() as session:
        ids = [emit(session, table, "complaint.progress_reported", DATA)["id"] for _ in range(3)]
        session.commit()
    relay = OutboxRelay("relaytest", engine, amqp_uri)
    assert relay.publish_batch() == 3
    assert relay.publish_batch() == 0  # nothing is published twice
    received = []
    for _ in range(3):
        method, props, body = channel.basic_get(queue, auto_ack=True)
        assert props.delivery_mode == 2 and props.content_type == "application/json"
        received.append(json.loads(body)["id"])
    assert received == ids
    with engine.connect() as conn:
        assert all(row.published_at is not None for row in conn.execute(select(table)))
    relay._disconnect()


@pytest.fixture()
def empty_vhost_uri():
    """A vhost of this test's own: in the run's shared vhost the platform's services may already have bound
    queues to every event (an order-dependent failure when the e2e tests ran first)."""
    name = f"vp_test_unroutable_{uuid.uuid4().hex[:8]}"
    create_vhost(name)
    yield f"amqp://guest:guest@127.0.0.1:5672/{name}"
    delete_vhost(name)


def test_unroutable_rows_stay_in_the_outbox_and_are_counted(empty_vhost_uri, outbox):
    amqp_uri = empty_vhost_uri
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    # the rows are intake's events; a relay declares only its own exchange, so intake's relay would have
    channel.exchange_declare("intake.events", exchange_type="topic", durable=True)
    engine, table = outbox
    with make_session_factory(engine)() as session:
        emit(session, table, "complaint.withdrawn", {"case_ref": "VP-NOBODY-LISTENS"})
        session.commit()
    before = metrics.OUTBOX_FAILURES.labels("relaytest", "unroutable")._value.get()
    relay = OutboxRelay("relaytest", engine, amqp_uri)
    assert relay.publish_batch() == 0
    with engine.connect() as conn:
        row = conn.execute(select(table)).one()
    assert row.published_at is None and row.last_error == "unroutable" and row.attempts == 1
    assert metrics.OUTBOX_FAILURES.labels("relaytest", "unroutable")._value.get() == before + 1
    # once a queue exists, the same row goes out (after its back-off)
    channel.queue_declare("relaytest.withdrawn", durable=True)
    channel.queue_bind("relaytest.withdrawn", "intake.events", routing_key="complaint.withdrawn")
    with engine.begin() as conn:
        conn.execute(table.update().values(next_attempt_at=row.created_at))
    assert relay.publish_batch() == 1
    channel.queue_delete("relaytest.withdrawn")
    relay._disconnect()
    connection.close()


def test_relay_declares_its_own_dead_letter_queue_and_routing_the_partner_exchange(amqp_uri, channel, outbox):
    """Each relay declares its own service's part only (its broker user may configure nothing else); routing's
    also declares the partner exchange."""
    engine, _table = outbox
    relay = OutboxRelay("relaytest", engine, amqp_uri)
    relay.publish_batch()
    channel.queue_declare(topology.dead_letter_queue("relaytest"), passive=True)
    channel.exchange_declare(topology.events_exchange("relaytest"), exchange_type="topic", durable=True, passive=True)
    relay._disconnect()
    routing_relay = OutboxRelay("routing", engine, amqp_uri)
    routing_relay.outbox.create(engine, checkfirst=True)  # routing's migrations make it in a real run
    try:
        routing_relay.publish_batch()
        channel.queue_declare(topology.dead_letter_queue("routing"), passive=True)
        channel.exchange_declare(topology.PARTNER_EXCHANGE, exchange_type="topic", durable=True, passive=True)
    finally:
        routing_relay._disconnect()
        routing_relay.outbox.drop(engine, checkfirst=True)


def test_partner_queues_are_declared_bound_to_their_own_referrals(amqp_uri, channel):
    topology.declare_partner_queues(channel, ["kifid"])
    channel.queue_declare(topology.partner_queue("kifid"), passive=True)
