"""Releasing a quarter's signal report on PostgreSQL with the real outbox relay and broker: the announcement reaches
exactly the partners subscribed to each sector (the bindings of deploy/rabbitmq/definitions.json, declared on a
vhost of the test's own), never a referrals queue, and carries no observation text and no case."""
import json
from datetime import datetime, timezone
from pathlib import Path

import pika
import pytest
from sqlalchemy.orm import Session

from libs.contracts.partner_events import SIGNAL_REPORT_EVENT_TYPE
from libs.kit import topology
from libs.kit.relay import OutboxRelay
from support.analytics_testlib import KEY
from services.analytics.cli import report
from services.analytics.use_cases.signal_observations import store_observation
from services.analytics.use_cases.synthetic import load_synthetic

pytestmark = [pytest.mark.postgres, pytest.mark.broker]
DEFINITIONS = json.loads((Path(__file__).parents[3] / "deploy" / "rabbitmq" / "definitions.json").read_text())
CANARY = "CANARY-SIGREL-3391 patterns at municipalities"


def declare_as_the_definitions_do(channel):
    """The partner exchange, every queue that receives signals.* and their bindings, exactly as in production."""
    channel.exchange_declare(topology.PARTNER_EXCHANGE, exchange_type="topic", durable=True)
    topology.declare_partner_queues(channel, ["kifid", "nationale-ombudsman"])
    bindings = [b for b in DEFINITIONS["bindings"] if b["routing_key"].startswith("signals.")]
    for queue in {b["destination"] for b in bindings}:
        channel.queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
    for binding in bindings:
        channel.queue_bind(binding["destination"], binding["source"], routing_key=binding["routing_key"])
    return bindings


def drain(channel, queue):
    found = []
    while True:
        method, _properties, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            return found
        found.append((method.routing_key, json.loads(body)))


def test_a_released_quarter_reaches_the_subscribed_partners_only(pg_engine, pg_url, fresh_amqp_uri, tmp_path):
    with Session(pg_engine) as session:
        load_synthetic(session, 2000, seed=12, pseudonym_key=KEY)
        store_observation(session, {"sector": "municipalities", "quarter": "2027-Q3", "observation": CANARY,
                                    "written_at": datetime(2027, 10, 2, tzinfo=timezone.utc)})
        session.commit()
    connection = pika.BlockingConnection(pika.URLParameters(fresh_amqp_uri))
    channel = connection.channel()
    try:
        bindings = declare_as_the_definitions_do(channel)
        assert {b["destination"] for b in bindings} == {"partner.kifid.signals", "partner.nationale-ombudsman.signals",
                                                        topology.SIGNALS_ANNOUNCED_QUEUE}
        out = tmp_path / "signals-2027-Q3.html"
        assert report(["--kind", "signals", "--from", "2027-07", "--to", "2027-09", "--format", "html",
                       "--out", str(out), "--database-url", pg_url, "--announce"]) == 0
        assert CANARY in out.read_text(encoding="utf-8")  # the report prints the observation ...
        relay = OutboxRelay("analytics", pg_engine, fresh_amqp_uri)
        try:
            assert relay.publish_batch() == 7 and relay.publish_batch() == 0
        finally:
            relay._disconnect()
        kifid = drain(channel, "partner.kifid.signals")
        ombudsman = drain(channel, "partner.nationale-ombudsman.signals")
        record = drain(channel, topology.SIGNALS_ANNOUNCED_QUEUE)
        assert sorted(key for key, _e in kifid) == ["signals.banks", "signals.insurers"]
        assert sorted(key for key, _e in ombudsman) == ["signals.municipalities", "signals.police", "signals.tax"]
        assert len(record) == 7  # every sector, subscribed or not (care, landlords): routable, so not retried
        for queue in ("partner.kifid.referrals", "partner.nationale-ombudsman.referrals"):
            assert drain(channel, queue) == []  # a referral client never sees a signal
        for _key, event in kifid + ombudsman + record:
            assert event["type"] == SIGNAL_REPORT_EVENT_TYPE and event["subject"] is None
            assert event["data"]["quarter"] == "2027-Q3"
            assert "CANARY" not in json.dumps(event)  # ... the partner event does not
        municipalities = next(e for k, e in ombudsman if k == "signals.municipalities")
        assert municipalities["data"]["has_observation"] is True
    finally:
        connection.close()
