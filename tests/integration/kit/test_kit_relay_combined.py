"""One relay process for several services (`make run-relays`): each outbox reaches its own exchange,
each relay answers on its own ops port, and SIGTERM stops them all."""
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pika
import pytest
import requests
from sqlalchemy import MetaData

from libs.kit.db import make_engine, make_session_factory, outbox_table
from libs.kit.outbox import emit
from support.platform import free_port
from support.resources import create_database, drop_database
from support.paths import REPO_ROOT

pytestmark = [pytest.mark.broker, pytest.mark.postgres]
REPO = REPO_ROOT
EVENTS = {"intake": ("complaint.progress_reported",
                     {"case_ref": "VP-RELAYS-0001", "kind": "filed_with_institution", "on": date(2026, 11, 2)}),
          "notification": ("mediation.unmatched", {"case_ref": "VP-RELAYS-0002", "reason": "nobody fits"})}


@pytest.fixture()
def database():
    name = f"vp_test_relays_{secrets.token_hex(4)}"
    create_database(name)
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    drop_database(name)


def test_one_process_relays_every_named_outbox(amqp_uri, database):
    engine = make_engine(database)
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    queues = {}
    for service, (event_type, data) in EVENTS.items():
        channel.exchange_declare(f"{service}.events", exchange_type="topic", durable=True)
        # exclusive: gone with the connection, so it does not keep collecting the shared vhost's events
        queues[service] = channel.queue_declare("", exclusive=True).method.queue
        channel.queue_bind(queues[service], f"{service}.events", routing_key=event_type)
        metadata = MetaData()
        table = outbox_table(metadata, service)
        metadata.create_all(engine)
        with make_session_factory(engine)() as session:
            emit(session, table, event_type, data)
            session.commit()
    ports = {service: free_port() for service in EVENTS}
    env = dict(os.environ, AMQP_URI=amqp_uri, DATABASE_URL=database, PARTNER_IDS="",
               **{f"{service.upper()}_RELAY_METRICS_PORT": str(port) for service, port in ports.items()})
    process = subprocess.Popen([sys.executable, "-m", "libs.kit.relay", *EVENTS], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        received = {}
        deadline = time.monotonic() + 20
        while len(received) < len(EVENTS) and time.monotonic() < deadline:
            for service, queue in queues.items():
                method, _props, body = channel.basic_get(queue, auto_ack=True)
                if method is not None:
                    received[service] = method.routing_key
            time.sleep(0.05)
        assert received == {service: event_type for service, (event_type, _data) in EVENTS.items()}
        for service, port in ports.items():
            assert requests.get(f"http://127.0.0.1:{port}/health/ready", timeout=5).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
        connection.close()
        engine.dispose()
    assert process.returncode == 0, output[-2000:]
    assert '"service": "intake-relay"' in output and '"service": "notification-relay"' in output
