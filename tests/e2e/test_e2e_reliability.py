"""Nothing lost, nothing duplicated: a stopped consumer, a restarted broker, a poison event."""
import json
import subprocess
import uuid
from collections import Counter

import pika
import pytest
from sqlalchemy import create_engine, text

from support.platform import collect_partner_referrals, complaint, file_complaint, metric_value, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]


def subjects_for(pg_url, references, partner="kifid"):
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT case_ref, subject FROM routing_partner_cases WHERE partner_id = :p"),
                            {"p": partner}).fetchall()
    engine.dispose()
    return {subject: ref for ref, subject in rows if ref in references}


def plan_count(pg_url, references):
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        refs = set(conn.execute(text("SELECT case_ref FROM routing_plans")).scalars())
    engine.dispose()
    return len(refs & set(references))


def drain_and_count(amqp_uri, pg_url, references, expected):
    """Collect kifid referrals until quiet; count those of `references` by their pseudonymous subject."""
    seen = Counter()
    wait_for(lambda: plan_count(pg_url, references) == expected, timeout=60, what=f"{expected} plans")
    wanted = subjects_for(pg_url, references)
    while True:
        batch = collect_partner_referrals(amqp_uri, "kifid", 10_000, timeout=4)
        for event in batch:
            if event["subject"] in wanted and event["type"].endswith("created.v1"):
                seen[event["subject"]] += 1
        if not batch:
            break
    return seen


def test_routing_stopped_while_50_complaints_arrive(platform, amqp_uri):
    collect_partner_referrals(amqp_uri, "kifid", 10_000, timeout=2)  # earlier tests' referrals
    platform.stop_process("routing")
    references = [file_complaint(platform.base_url, complaint(wants_mediation=False))["reference"]
                  for _ in range(50)]
    assert plan_count(platform.pg_url, references) == 0
    platform.start_service("routing")
    platform.wait_ready(["routing"])
    seen = drain_and_count(amqp_uri, platform.pg_url, references, 50)
    assert len(seen) == 50 and set(seen.values()) == {1}


def test_broker_restart_mid_run_loses_nothing(platform, amqp_uri):
    collect_partner_referrals(amqp_uri, "kifid", 10_000, timeout=2)
    references = [file_complaint(platform.base_url, complaint(wants_mediation=False))["reference"]
                  for _ in range(10)]
    subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True, timeout=120)
    try:
        # intake keeps accepting: the outbox holds the events until the broker is back
        references += [file_complaint(platform.base_url, complaint(wants_mediation=False))["reference"]
                       for _ in range(10)]
    finally:
        subprocess.run(["rabbitmqctl", "start_app"], check=True, capture_output=True, timeout=120)
        subprocess.run(["rabbitmqctl", "await_startup"], check=True, capture_output=True, timeout=120)
    references += [file_complaint(platform.base_url, complaint(wants_mediation=False))["reference"]
                   for _ in range(10)]
    seen = drain_and_count(amqp_uri, platform.pg_url, references, 30)
    assert len(seen) == 30 and set(seen.values()) == {1}


def test_a_poison_event_is_dead_lettered_while_others_flow(platform, amqp_uri):
    poison_id = f"poison-{uuid.uuid4().hex}"
    envelope = {"specversion": "1.0", "id": poison_id, "source": "urn:voorportaal:intake",
                "type": "nl.voorportaal.complaint.received.v1", "time": "2026-11-28T10:00:00+00:00",
                "datacontenttype": "application/json", "data": {"case_ref": "VP-POISON", "not": "valid"}}
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.confirm_delivery()
    channel.basic_publish("intake.events", "complaint.received", json.dumps(envelope).encode(),
                          pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                               message_id=poison_id), mandatory=True)
    references = [file_complaint(platform.base_url, complaint(wants_mediation=False))["reference"]
                  for _ in range(5)]
    wait_for(lambda: plan_count(platform.pg_url, references) == 5, timeout=30, what="good complaints planned")

    def dead_lettered():
        method, props, body = channel.basic_get("voorportaal.dead-letters.routing", auto_ack=False)
        if method is None:
            return None
        if json.loads(body).get("id") != poison_id:
            channel.basic_nack(method.delivery_tag, requeue=True)
            return None
        channel.basic_ack(method.delivery_tag)
        return props
    props = wait_for(dead_lettered, timeout=30, what="the poison event in the dead-letter queue")
    death = props.headers["x-death"][0]
    assert death["queue"] == "evt-intake-complaint.received--routing.on_complaint_received"
    assert death["reason"] == "rejected"
    port = platform.ops_port("routing")
    assert metric_value(port, "voorportaal_events_handled_total", entrypoint="on_complaint_received",
                        outcome="dead_lettered") >= 1
    assert metric_value(port, "voorportaal_events_handled_total", entrypoint="on_complaint_received",
                        outcome="retry") >= 2
    connection.close()


def test_dead_letters_are_replayed_once_the_cause_is_fixed(platform, amqp_uri):
    from libs.kit.replay_dead_letters import replay
    engine = create_engine(platform.pg_url)
    port = platform.ops_port("routing")

    def dead_lettered():
        return metric_value(port, "voorportaal_events_handled_total", entrypoint="on_complaint_received",
                            outcome="dead_lettered") or 0
    before = dead_lettered()
    with engine.begin() as conn:  # the "bug": routing's plan table is gone, every plan fails
        conn.execute(text("ALTER TABLE routing_plans RENAME TO routing_plans_away"))
    try:
        reference = file_complaint(platform.base_url, complaint(wants_mediation=False))["reference"]
        wait_for(lambda: dead_lettered() >= before + 1, timeout=30, what="the event to be dead-lettered")
    finally:
        with engine.begin() as conn:  # the fix
            conn.execute(text("ALTER TABLE routing_plans_away RENAME TO routing_plans"))
    assert plan_count(platform.pg_url, [reference]) == 0
    assert replay(amqp_uri, "routing") >= 1
    wait_for(lambda: plan_count(platform.pg_url, [reference]) == 1, timeout=30, what="the replayed plan")
    wait_for(lambda: subjects_for(platform.pg_url, {reference}), timeout=10, what="the partner case")
    engine.dispose()
