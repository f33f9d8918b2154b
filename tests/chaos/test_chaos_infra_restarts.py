"""Scenario 1: 1,000 complaints while the broker is stopped, SIGKILLed and restarted, and PostgreSQL restarted.

Target: every complaint intake answered 201 has exactly one plan in routing's database and exactly one
`referral.created` at the partner (counted by consuming the partner's queue): 0 lost, 0 duplicated, and no
event of any service dead-lettered on the way. Intake may
answer 503 (Retry-After) while PostgreSQL is down; the load generator retries with the same Idempotency-Key, as a client
should, and counts every answer.
"""
import threading
import time
from collections import Counter

import pytest

from chaos_support import Filer, record
from support.platform import complaint

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

COMPLAINTS = 1000
PARTNER_QUEUE = "partner.kifid.referrals"


def test_1000_complaints_through_broker_stop_kill_and_database_restart(scenario, infra):
    started = time.monotonic()
    scenario.start_platform()
    faults = []
    progress = {"done": 0}
    trigger = {"stop": 150, "kill": 400, "pg": 650}
    fired = threading.Event()

    def chaos():
        def note(what):
            faults.append((what, progress["done"], round(time.monotonic() - started, 1)))

        def wait_progress(n):
            while progress["done"] < n and not fired.is_set():
                time.sleep(0.05)
        wait_progress(trigger["stop"])
        note("broker stopping")
        infra.rabbit.stop()  # clean stop: `rabbitmqctl stop`
        note("broker stopped")
        time.sleep(8)
        infra.rabbit.start()
        note("broker started")
        wait_progress(trigger["kill"])
        infra.rabbit.kill()  # SIGKILL of the Erlang VM
        note("broker SIGKILL")
        time.sleep(5)
        infra.rabbit.start()
        note("broker restarted")
        wait_progress(trigger["pg"])
        infra.postgres.stop("immediate")  # a crash: WAL recovery on start
        note("postgres crashed")
        time.sleep(5)
        infra.postgres.start()
        note("postgres restarted")

    chaos_thread = threading.Thread(target=chaos, daemon=True)
    chaos_thread.start()
    filer = Filer(scenario.base_url)

    def on_progress(done):
        progress["done"] = done
    # paced (12/s, about 85 s) so that all three faults happen while complaints arrive
    filer.file_many(COMPLAINTS, workers=6, body_for=lambda i: complaint(wants_mediation=False),
                    deadline=time.monotonic() + 300, on_progress=on_progress, rate=12)
    fired.set()
    chaos_thread.join(timeout=180)
    filed_s = time.monotonic() - started
    references = set(filer.accepted.values())

    print(f"\n  filed in {filed_s:.0f} s, faults {faults}; {scenario.snapshot()}", flush=True)
    scenario.wait_logged(lambda: references <= scenario.plan_refs(), timeout=240)
    time.sleep(5)  # late duplicates, if any, would arrive now
    plans = Counter(row[0] for row in scenario.rows("SELECT case_ref FROM routing_plans"))
    subjects = {row[1]: row[0] for row in scenario.rows(
        "SELECT case_ref, subject FROM routing_partner_cases WHERE partner_id = 'kifid'")}
    delivered = scenario.drain_queue(PARTNER_QUEUE, idle=5)
    created = [body for _props, body in delivered if body["type"] == "nl.voorportaal.referral.created.v1"]
    per_case = Counter(subjects.get(body["subject"]) for body in created)
    ids_per_case = {}
    for body in created:
        ids_per_case.setdefault(subjects.get(body["subject"]), set()).add(body["id"])
    dead = {service: scenario.drain_queue(f"voorportaal.dead-letters.{service}", idle=1)
            for service in ("routing", "notification", "analytics", "intake")}

    exited = scenario.exited()
    lost_plans = references - set(plans)
    lost_referrals = {ref for ref in references if per_case.get(ref, 0) == 0}
    # a duplicated referral = a second referral (another CloudEvents id) for one complaint. A copy of the same
    # event (same id) is the at-least-once redelivery the partner contract describes (clients/partner: ignore
    # an id already handled): counted and reported as `copies`, not as a second referral.
    duplicated = {ref for ref in references if len(ids_per_case.get(ref, ())) > 1}
    copies = sum(per_case.get(ref, 0) - len(ids_per_case.get(ref, ())) for ref in references)
    unknown = per_case.get(None, 0) + len(set(plans) - references)
    dead_count = {service: len(items) for service, items in dead.items() if items}
    answers = dict(sorted((str(k), v) for k, v in filer.statuses.items()))
    passed = (len(references) == COMPLAINTS and not lost_plans and not lost_referrals and not duplicated
              and not unknown and max(plans.values(), default=1) == 1 and not exited and not dead_count)
    record("1 broker stop/kill + PostgreSQL restart", (
        f"{len(references)} complaints accepted (201), {len(plans)} plans, {len(created)} partner referrals: "
        f"{len(lost_plans) + len(lost_referrals)} lost, {len(duplicated)} duplicated "
        f"({copies} redelivered copies of a referral id); dead-lettered {dead_count or 0}; intake answers {answers}"),
        {"accepted": len(references), "plans": len(plans), "partner_referrals": len(created),
         "lost_plans": len(lost_plans), "lost_referrals": len(lost_referrals), "duplicated": len(duplicated),
         "redelivered_copies": copies, "dead_lettered": dead_count, "intake_answers": answers,
         "faults": faults, "filing_seconds": round(filed_s, 1), "processes_exited": exited},
        {"lost": 0, "duplicated": 0, "dead_lettered": 0}, passed, started)
    assert not exited, f"platform processes exited during the faults: {exited}"
    assert len(references) == COMPLAINTS, f"not every complaint was accepted: {answers}"
    assert not lost_plans, f"{len(lost_plans)} accepted complaints without a plan; dead letters: {dead_count}"
    assert not lost_referrals, f"{len(lost_referrals)} accepted complaints without a partner referral"
    assert not duplicated, f"{len(duplicated)} complaints with more than one referral (distinct ids)"
    assert not unknown
    # a dead-lettered event is an effect missing in some service until someone replays it
    assert not dead_count, f"events dead-lettered during the faults: {dead_count}"
