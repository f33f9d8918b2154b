"""Scenario 4: one poison `complaint.received` among 100 good complaints.

Targets: the 100 good ones are processed (a plan each in routing, a fact each in analytics); the poison is
dead-lettered by each consuming service after exactly EVENT_MAX_ATTEMPTS deliveries (counted by the handlers'
own retry/dead-letter counters and by the `x-death` header) and is not delivered again afterwards: no storm.
"""
import json
import threading
import time
import uuid

import pika
import pytest

from chaos_support import Filer, metric_total, record
from support.platform import complaint

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

GOOD = 100
CONSUMERS = ("routing", "analytics")  # the services that consume complaint.received
QUIET_S = 20  # after dead-lettering, no delivery may follow for this long


def poison_envelope():
    poison_id = f"poison-{uuid.uuid4().hex}"
    return poison_id, {"specversion": "1.0", "id": poison_id, "source": "urn:voorportaal:intake",
                       "type": "nl.voorportaal.complaint.received.v1", "time": "2026-11-28T10:00:00+00:00",
                       "datacontenttype": "application/json", "data": {"case_ref": "VP-POISON", "not": "valid"}}


def deliveries(scenario, service):
    """Deliveries the service's handler saw that failed: retries + dead-letterings (good events never fail)."""
    port = int(scenario.env[f"{service.upper()}_METRICS_PORT"])
    return {outcome: int(metric_total(port, "voorportaal_events_handled_total",
                                      entrypoint="on_complaint_received", outcome=outcome))
            for outcome in ("retry", "dead_lettered", "ok", "duplicate")}


def test_a_poison_event_among_100_good_ones_is_dead_lettered_after_the_retry_limit(scenario):
    started = time.monotonic()
    max_attempts = int(scenario.env["EVENT_MAX_ATTEMPTS"])
    scenario.start_platform()
    poison_id, envelope = poison_envelope()
    filer = Filer(scenario.base_url)
    good = threading.Thread(target=filer.file_many, args=(GOOD,), kwargs={"workers": 4}, daemon=True)
    good.start()
    time.sleep(1)  # the poison arrives in the middle of the good ones
    connection = pika.BlockingConnection(pika.URLParameters(scenario.amqp_uri))
    channel = connection.channel()
    channel.confirm_delivery()
    channel.basic_publish("intake.events", "complaint.received", json.dumps(envelope).encode(),
                          pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                               message_id=poison_id), mandatory=True)
    connection.close()
    good.join(timeout=120)
    references = set(filer.accepted.values())

    def dead_lettered_everywhere():
        return all(deliveries(scenario, s)["dead_lettered"] >= 1 for s in CONSUMERS)
    scenario.wait_logged(lambda: references <= scenario.plan_refs() and dead_lettered_everywhere(), timeout=120)
    at_dead_letter = {s: deliveries(scenario, s) for s in CONSUMERS}
    time.sleep(QUIET_S)
    after_quiet = {s: deliveries(scenario, s) for s in CONSUMERS}
    analytics_facts = scenario.scalar(
        "SELECT count(*) FROM analytics_inbox WHERE handler = 'on_complaint_received'")
    dead = {s: scenario.drain_queue(f"voorportaal.dead-letters.{s}", idle=2) for s in CONSUMERS}
    poison_dead = {s: [(props, body) for props, body in items if body.get("id") == poison_id]
                   for s, items in dead.items()}
    death_counts = {s: [props.headers["x-death"][0]["count"] for props, _ in items]
                    for s, items in poison_dead.items()}
    failed_deliveries = {s: at_dead_letter[s]["retry"] + at_dead_letter[s]["dead_lettered"] for s in CONSUMERS}
    storm = {s: (after_quiet[s]["retry"] + after_quiet[s]["dead_lettered"]) - failed_deliveries[s]
             for s in CONSUMERS}
    planned = len(references & scenario.plan_refs())
    passed = (planned == GOOD and analytics_facts == GOOD
              and all(failed_deliveries[s] == max_attempts for s in CONSUMERS)
              and all(len(poison_dead[s]) == 1 for s in CONSUMERS) and not any(storm.values()))
    record("4 poison among 100", (
        f"{planned}/{GOOD} good complaints planned, {analytics_facts}/{GOOD} in analytics; poison delivered "
        + ", ".join(f"{s} {failed_deliveries[s]}x" for s in CONSUMERS)
        + f" (limit {max_attempts}) then dead-lettered "
        + ", ".join(f"{s} {len(poison_dead[s])}x" for s in CONSUMERS)
        + f"; deliveries in the {QUIET_S} s after: " + ", ".join(f"{s} {storm[s]}" for s in CONSUMERS)),
        {"planned": planned, "analytics": analytics_facts, "poison_deliveries": failed_deliveries,
         "dead_lettered": {s: len(v) for s, v in poison_dead.items()}, "x_death_count": death_counts,
         "deliveries_after_dead_letter": storm},
        {"processed": GOOD, "poison_deliveries": max_attempts, "dead_lettered": 1, "after": 0}, passed, started)
    assert planned == GOOD and analytics_facts == GOOD
    for service in CONSUMERS:
        assert failed_deliveries[service] == max_attempts, (service, at_dead_letter[service])
        assert len(poison_dead[service]) == 1, (service, death_counts)
        assert storm[service] == 0, (service, after_quiet[service])
