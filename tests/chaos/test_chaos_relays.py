"""Scenario 5: two outbox relays on one outbox, SIGKILLed at random while a writer commits (and rolls back) rows.

Target: the set of event ids that reached the broker equals the set of committed ids: nothing committed is
lost, nothing rolled back is published. A kill between the broker's confirm and the relay's commit publishes a
row again (the documented at-least-once case; consumers deduplicate by id): those copies are counted.
"""
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timezone

import pika
import pytest
from sqlalchemy import MetaData

from chaos_support import REPO_ROOT, record
from private_infra import free_port
from libs.kit.db import outbox_table

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

ROWS = 3000
KILLS = 20
ROLLBACK_SHARE = 0.1
CAPTURE_QUEUE = "chaos.relay.capture"


def test_two_relays_killed_at_random_publish_exactly_the_committed_ids(scenario, tmp_path):
    started = time.monotonic()
    rng = random.Random(5)
    table = outbox_table(MetaData(), "intake")
    table.metadata.create_all(scenario.engine)
    connection = pika.BlockingConnection(pika.URLParameters(scenario.amqp_uri))
    channel = connection.channel()
    channel.exchange_declare("intake.events", exchange_type="topic", durable=True)
    channel.queue_declare(CAPTURE_QUEUE, durable=True, arguments={"x-queue-type": "quorum"})
    channel.queue_bind(CAPTURE_QUEUE, "intake.events", routing_key="chaos.#")
    connection.close()

    env = dict(scenario.env, DECLARE_PARTNER_QUEUES="false")
    relays = {}

    def start_relay(name):
        log = open(tmp_path / f"{name}.log", "ab")
        process_env = dict(os.environ)
        process_env.update(env, INTAKE_RELAY_METRICS_PORT=str(free_port()))  # two relays, two ops ports
        relays[name] = subprocess.Popen([sys.executable, "-m", "libs.kit.relay", "intake"], cwd=REPO_ROOT,
                                        stdout=log, stderr=subprocess.STDOUT, env=process_env)
        log.close()

    for name in ("relay-a", "relay-b"):
        start_relay(name)

    committed, rolled_back = set(), set()
    done = threading.Event()

    def writer():
        written = 0
        while written < ROWS:
            size = rng.randint(1, 10)
            rows, now = [], datetime.now(timezone.utc)
            for _ in range(size):
                event_id = uuid.uuid4().hex
                rows.append({"event_id": event_id, "exchange": "intake.events", "routing_key": "chaos.relay",
                             "content_type": "application/json", "body": json.dumps({"id": event_id}),
                             "created_at": now, "next_attempt_at": now, "attempts": 0})
            rollback = rng.random() < ROLLBACK_SHARE
            with scenario.engine.connect() as conn:
                transaction = conn.begin()
                conn.execute(table.insert(), rows)
                if rollback:
                    transaction.rollback()
                    rolled_back.update(r["event_id"] for r in rows)
                else:
                    transaction.commit()
                    committed.update(r["event_id"] for r in rows)
                    written += size
            time.sleep(0.08)
        done.set()

    kills = []

    def killer():
        while len(kills) < KILLS:
            time.sleep(rng.uniform(0.5, 2.5))
            name = rng.choice(sorted(relays))
            relays[name].kill()
            relays[name].wait()
            kills.append(name)
            start_relay(name)

    threads = [threading.Thread(target=writer, daemon=True), threading.Thread(target=killer, daemon=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    def unpublished():
        return scenario.scalar("SELECT count(*) FROM intake_outbox WHERE published_at IS NULL")
    scenario.wait_logged(lambda: unpublished() == 0, timeout=120)
    pending = unpublished()
    for process in relays.values():
        process.terminate()
        process.wait(timeout=30)
    received = scenario.drain_queue(CAPTURE_QUEUE, idle=3)
    ids = [body["id"] for _props, body in received]
    published = set(ids)
    lost = committed - published
    phantom = published - committed
    copies = len(ids) - len(published)
    passed = not lost and not phantom and pending == 0 and len(kills) == KILLS
    record("5 two relays, random kills", (
        f"{len(committed)} committed ids, {len(rolled_back)} rolled back; broker got {len(published)} distinct ids "
        f"({copies} republished copies) with {len(kills)} SIGKILLs of two relays: {len(lost)} lost, "
        f"{len(phantom)} never committed"),
        {"committed": len(committed), "rolled_back": len(rolled_back), "published_distinct": len(published),
         "copies": copies, "kills": len(kills), "lost": len(lost), "phantom": len(phantom),
         "unpublished_left": pending},
        {"published_ids_equal_committed_ids": True}, passed, started)
    assert not lost, f"{len(lost)} committed rows never reached the broker"
    assert not phantom, f"{len(phantom)} published ids were never committed"
    assert pending == 0
