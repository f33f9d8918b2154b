"""A service's relay inside the service's process (`OUTBOX_RELAY=in-service`, what `make run` and the benchmark
use): it publishes nothing before its start gate opens, then publishes its service's outbox with the process's
other work going on, and stops with the service on SIGTERM. A real analytics process, a real broker, SQLite."""
import signal
import uuid

import pika
import pytest
from sqlalchemy import MetaData, select

from devtools.local_platform import LocalPlatform
from libs.kit.db import make_engine, make_session_factory, outbox_table
from libs.kit.outbox import emit_external
from libs.kit.relay_in_service import relay_mode
from libs.kit.config import ConfigError
from support.platform import free_port, wait_for

pytestmark = pytest.mark.broker
ROUTING_KEY = "test.relay_in_service"


def test_the_relay_waits_for_its_gate_then_publishes_and_stops_with_its_service(amqp_uri, tmp_path):
    database = tmp_path / "analytics.db"
    gate = tmp_path / "gate"
    env = {"AMQP_URI": amqp_uri, "DATABASE_URL": f"sqlite:///{database}", "VOORPORTAAL_VAR_DIR": str(tmp_path / "var"),
           "ANALYTICS_METRICS_PORT": str(free_port()), "ANALYTICS_WEB_ADDRESS": f"127.0.0.1:{free_port()}",
           "LOG_LEVEL": "INFO", "OUTBOX_RELAY": "in-service", "OUTBOX_RELAY_GATE": str(gate)}
    running = LocalPlatform(env=env, log_dir=tmp_path / "logs", services=("analytics",))
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    try:
        running.start_service("analytics")
        running.wait_ready(["analytics"])
        channel = connection.channel()
        channel.exchange_declare("analytics.events", exchange_type="topic", durable=True)
        queue = channel.queue_declare("", exclusive=True).method.queue
        channel.queue_bind(queue, "analytics.events", routing_key=ROUTING_KEY)

        engine = make_engine(f"sqlite:///{database}")
        outbox = outbox_table(MetaData(), "analytics")
        event_id = str(uuid.uuid4())
        with make_session_factory(engine)() as session:
            emit_external(session, outbox, {"id": event_id, "type": ROUTING_KEY}, "analytics.events", ROUTING_KEY)
            session.commit()

        connection.sleep(1.5)  # the relay polls SQLite every 20 ms: 1.5 s is many chances to publish too early
        assert channel.basic_get(queue, auto_ack=True) == (None, None, None)
        with engine.connect() as conn:
            assert conn.execute(select(outbox.c.published_at)).scalar_one() is None

        gate.touch()
        received = wait_for(lambda: channel.basic_get(queue, auto_ack=True)[1], timeout=15,
                            what="the row published by the relay inside analytics")
        assert received.message_id == event_id
        with engine.connect() as conn:
            assert conn.execute(select(outbox.c.published_at)).scalar_one() is not None
        engine.dispose()

        process = running.processes["analytics"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        log = (tmp_path / "logs" / "analytics.log").read_text(errors="replace")
        assert '"relay.connected"' in log and "Traceback" not in log, log[-3000:]
    finally:
        connection.close()
        running.stop()


def test_an_unknown_relay_layout_is_a_configuration_error(monkeypatch):
    monkeypatch.setenv("OUTBOX_RELAY", "thread")
    with pytest.raises(ConfigError, match="OUTBOX_RELAY must be one of process, in-service"):
        relay_mode()
    monkeypatch.setenv("OUTBOX_RELAY", "in-service")
    assert relay_mode() == "in-service"
    monkeypatch.delenv("OUTBOX_RELAY")
    assert relay_mode() == "process"
