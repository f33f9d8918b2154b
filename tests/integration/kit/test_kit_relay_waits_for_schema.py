"""A relay started on a database its service has not migrated yet (a fresh installation: the relay's pod or
container may start before the migration step) waits for its outbox table, then publishes."""
import json
import secrets
import threading
import time

import pika
import pytest

from libs.kit import migrations
from libs.kit.db import make_engine, make_session_factory
from libs.kit.outbox import emit
from libs.kit.relay import OutboxRelay
from services.intake.tables import outbox
from support.resources import create_database, drop_database

pytestmark = [pytest.mark.broker, pytest.mark.postgres]


@pytest.fixture()
def empty_database():
    name = f"vp_test_relayschema_{secrets.token_hex(4)}"
    create_database(name)
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    yield engine
    engine.dispose()
    drop_database(name)


def test_relay_waits_for_its_outbox_table_then_publishes(amqp_uri, empty_database):
    engine = empty_database
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.exchange_declare("intake.events", exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, "intake.events", routing_key="complaint.withdrawn")
    relay = OutboxRelay("intake", engine, amqp_uri, fallback_poll=0.2)
    thread = threading.Thread(target=relay.run_forever)
    thread.start()
    try:
        time.sleep(1.5)
        assert thread.is_alive(), "the relay gave up on a database without its table"
        migrations.upgrade("intake", engine)
        with make_session_factory(engine)() as session:
            event_id = emit(session, outbox, "complaint.withdrawn", {"case_ref": "VP-SCHEMA-0001"})["id"]
            session.commit()
        deadline = time.monotonic() + 15
        body = None
        while body is None and time.monotonic() < deadline:
            _method, _props, body = channel.basic_get(queue, auto_ack=True)
            time.sleep(0.1)
        assert body is not None and json.loads(body)["id"] == event_id
    finally:
        relay.stop()
        thread.join(10)
        connection.close()
