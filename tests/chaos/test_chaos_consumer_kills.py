"""Scenario 3: the consuming services are SIGKILLed at random 50 times during 1,000 complaints, and 10 % of the
events are deliberately delivered twice.

The duplicates are real: the test sets `published_at` back to NULL on a random 10 % of the already published
`complaint.received` (intake's outbox) and `referral.planned` (routing's outbox) rows, so the relays publish
those events again with the same id — what a relay crash between the broker's confirm and its commit does.

Target: exactly one effect per event in every service —
routing: one plan, one `referral.planned` and one partner referral per complaint;
analytics: one fact row per complaint with `plan_count` 1 (a second `referral.planned` would make it 2);
notification: one `mediation.*` event per complaint that asked for mediation, none for the others;
intake: every complaint's read model `planned`, one inbox row per `referral.planned`.
"""
import random
import threading
import time
from collections import Counter

import pytest

from chaos_support import Filer, record
from support.platform import complaint

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

COMPLAINTS = 1000
KILLS = 50
DUPLICATE_SHARE = 0.10
VICTIMS = ("routing", "notification", "analytics", "intake")
# (outbox, routing key) of the events that are delivered twice
DUPLICATED = (("intake_outbox", "complaint.received"), ("routing_outbox", "referral.planned"))


def test_50_random_consumer_kills_and_10_percent_duplicates_give_one_effect_per_event(scenario):
    started = time.monotonic()
    rng = random.Random(3)
    platform = scenario.start_platform()
    filing_done = threading.Event()
    kills = Counter()
    duplicated = {key: set() for _table, key in DUPLICATED}

    def killer():
        while sum(kills.values()) < KILLS:
            time.sleep(rng.uniform(0.5, 2.5))
            victim = rng.choice(VICTIMS)
            process = platform.processes[victim]
            process.kill()  # SIGKILL: no ack, no commit, no goodbye
            process.wait()
            kills[victim] += 1
            platform.start_service(victim)

    def duplicator():
        """Every 3 s: 10 % of the rows published since the last round go out again (same event id)."""
        last_id = {table: 0 for table, _key in DUPLICATED}
        while True:
            final = filing_done.is_set() and not killer_thread.is_alive()
            for table, key in DUPLICATED:
                try:
                    rows = scenario.rows(f"SELECT id, event_id FROM {table} WHERE routing_key = :key "
                                         "AND published_at IS NOT NULL AND id > :last ORDER BY id",
                                         key=key, last=last_id[table])
                except Exception:  # noqa: BLE001 - table not created yet
                    continue
                if not rows:
                    continue
                last_id[table] = rows[-1][0]
                chosen = [row for row in rows if rng.random() < DUPLICATE_SHARE]
                if chosen:
                    with scenario.engine.begin() as conn:
                        conn.exec_driver_sql(
                            f"UPDATE {table} SET published_at = NULL WHERE id = ANY(%(ids)s)",
                            {"ids": [row[0] for row in chosen]})
                    duplicated[key].update(row[1] for row in chosen)
            if final:
                return
            time.sleep(3)

    killer_thread = threading.Thread(target=killer, daemon=True)
    duplicator_thread = threading.Thread(target=duplicator, daemon=True)
    killer_thread.start()
    duplicator_thread.start()
    mediation = {}
    filer = Filer(scenario.base_url)

    def body(i):
        wants = i % 5 == 0  # one in five asks for mediation: notification has work too
        return complaint(wants_mediation=wants)
    references = filer.file_many(COMPLAINTS, workers=6, rate=12, body_for=body, deadline=time.monotonic() + 600)
    for i, reference in enumerate(references):
        mediation[reference] = i % 5 == 0
    filing_done.set()
    killer_thread.join(timeout=300)
    platform.wait_ready(list(VICTIMS), timeout=120)
    # let the planned events of the last complaints go through, so that the duplicator's final round sees them
    scenario.wait_until(lambda: len(scenario.plan_refs()) >= len(set(references)), timeout=120)
    time.sleep(3)
    duplicator_thread.join(timeout=120)
    refs = set(filter(None, references))

    def settled():
        pending = sum(scenario.scalar(f"SELECT count(*) FROM {s}_outbox WHERE published_at IS NULL")
                      for s in VICTIMS)
        return (pending == 0 and refs <= scenario.plan_refs()
                and scenario.scalar("SELECT count(*) FROM intake_inbox WHERE handler = 'on_referral_planned'")
                >= len(refs)
                and scenario.scalar("SELECT count(*) FROM analytics_inbox WHERE handler = 'on_referral_planned'")
                >= len(refs)
                and scenario.scalar("SELECT count(*) FROM notification_inbox WHERE handler = 'on_referral_planned'")
                >= len(refs))
    drained = scenario.wait_logged(settled, timeout=300)
    time.sleep(5)  # redelivered copies still in flight would show now

    plans = Counter(r[0] for r in scenario.rows("SELECT case_ref FROM routing_plans"))
    planned_events = Counter(r[0] for r in scenario.rows(
        "SELECT body::json->'data'->>'case_ref' FROM routing_outbox WHERE routing_key = 'referral.planned'"))
    partner_cases = Counter(r[0] for r in scenario.rows(
        "SELECT case_ref FROM routing_partner_cases WHERE partner_id = 'kifid'"))
    partner_created = scenario.scalar(
        "SELECT count(*) FROM routing_outbox WHERE routing_key = 'referral.kifid.created'")
    facts = scenario.rows("SELECT plan_count, received FROM analytics_case_facts")
    mediation_events = Counter(r[0] for r in scenario.rows(
        "SELECT body::json->'data'->>'case_ref' FROM notification_outbox WHERE routing_key LIKE 'mediation.%'"))
    intake_planned = scenario.scalar("SELECT count(*) FROM intake_complaints WHERE status = 'planned'")
    intake_inbox = scenario.scalar("SELECT count(*) FROM intake_inbox WHERE handler = 'on_referral_planned'")
    dead = {s: len(scenario.drain_queue(f"voorportaal.dead-letters.{s}", idle=1)) for s in VICTIMS}

    problems = {
        "routing_plans": sum(1 for r in refs if plans.get(r) != 1),
        "routing_planned_events": sum(1 for r in refs if planned_events.get(r) != 1),
        "routing_partner_referrals": (sum(1 for r in refs if partner_cases.get(r) != 1)
                                      + abs(partner_created - len(refs))),
        "analytics_facts": abs(len(facts) - len(refs)) + sum(1 for count, received in facts
                                                             if count != 1 or not received),
        "notification_mediation_events": sum(1 for r in refs if mediation_events.get(r, 0) != int(mediation[r])),
        "intake_read_model": abs(intake_planned - len(refs)) + abs(intake_inbox - len(refs)),
        "dead_lettered": sum(dead.values()),
    }
    duplicates = {key: len(ids) for key, ids in duplicated.items()}
    passed = drained and len(refs) == COMPLAINTS and not any(problems.values()) \
        and sum(kills.values()) == KILLS and all(n >= 0.05 * COMPLAINTS for n in duplicates.values())
    record("3 consumer kills + 10 % duplicates", (
        f"{len(refs)} complaints, {sum(kills.values())} SIGKILLs ({dict(kills)}), duplicated events "
        f"{duplicates}: effects off target per service {problems}"),
        {"complaints": len(refs), "kills": dict(kills), "duplicated_events": duplicates, "problems": problems,
         "dead_lettered": dead, "intake_answers": dict(sorted((str(k), v) for k, v in filer.statuses.items()))},
        {"effects_per_event": 1, "problems": 0}, passed, started)
    assert len(refs) == COMPLAINTS
    assert drained, scenario.snapshot()
    assert not any(problems.values()), problems
    assert sum(kills.values()) == KILLS
    assert all(n >= 0.05 * COMPLAINTS for n in duplicates.values()), duplicates
