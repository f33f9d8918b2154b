"""Scenario 2: the broker is frozen (SIGSTOP) for 30 s while complaints arrive at 20 per second.

Targets: intake keeps answering — every complaint gets its 201, no 5xx and no time-out caused by the broker
(intake only writes its database; the relay publishes later) — and after SIGCONT the backlog drains: every
accepted complaint has its plan in routing's database within 120 s.
"""
import threading
import time

import pytest

from chaos_support import Filer, record
from support.platform import complaint

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

RATE = 20
BEFORE_S, FROZEN_S, AFTER_S = 10, 30, 10
DRAIN_LIMIT_S = 120


def test_intake_answers_through_a_30s_broker_freeze_and_the_backlog_drains(scenario, infra):
    started = time.monotonic()
    scenario.start_platform()
    count = RATE * (BEFORE_S + FROZEN_S + AFTER_S)
    times = {}

    def freeze():
        time.sleep(BEFORE_S)
        infra.rabbit.freeze()
        times["frozen"] = time.monotonic()
        time.sleep(FROZEN_S)
        infra.rabbit.thaw()
        times["thawed"] = time.monotonic()
        # the backlog: every complaint accepted while the broker was frozen; when is the last one planned?
        backlog = {ref for ref, at in list(filer.accepted_at.items()) if at < times["thawed"]}
        times["backlog"] = len(backlog)
        if scenario.wait_until(lambda: backlog <= scenario.plan_refs(), timeout=DRAIN_LIMIT_S, interval=0.25):
            times["backlog_planned"] = time.monotonic()

    chaos = threading.Thread(target=freeze, daemon=True)
    filer = Filer(scenario.base_url, retry=False, timeout=10)
    try:
        chaos.start()
        filer.file_many(count, workers=16, rate=RATE, body_for=lambda i: complaint(wants_mediation=False))
        chaos.join(timeout=DRAIN_LIMIT_S + 60)
    finally:
        infra.rabbit.thaw()  # never leave the node stopped, whatever failed
    load_s = time.monotonic() - started
    references = set(filer.accepted.values())
    answers = dict(sorted((str(k), v) for k, v in filer.statuses.items()))
    during = [lat for lat in filer.latencies]
    drained = scenario.wait_logged(lambda: references <= scenario.plan_refs(), timeout=DRAIN_LIMIT_S)
    drain_s = times.get("backlog_planned", time.monotonic()) - times["thawed"]
    planned = len(references & scenario.plan_refs())
    p99 = filer.percentile(0.99)
    worst = max(during) if during else None
    failures = count - len(references)
    exited = scenario.exited()
    backlog_drained = "backlog_planned" in times
    passed = failures == 0 and drained and backlog_drained and not exited
    record("2 broker frozen 30 s at 20/s", (
        f"{len(references)}/{count} complaints answered 201 at {RATE}/s with the broker frozen {FROZEN_S} s "
        f"(p50 {filer.percentile(0.5) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {worst * 1000:.0f} ms); "
        f"answers {answers}; the {times['backlog']} complaints accepted until SIGCONT all planned {drain_s:.1f} s "
        f"after it; {planned}/{len(references)} planned in all"),
        {"sent": count, "accepted": len(references), "answers": answers,
         "p50_ms": round(filer.percentile(0.5) * 1000), "p99_ms": round(p99 * 1000), "max_ms": round(worst * 1000),
         "planned": planned, "backlog_at_sigcont": times["backlog"], "backlog_planned_s_after_sigcont": round(drain_s, 1), "load_seconds": round(load_s, 1),
         "processes_exited": exited},
        {"non_201": 0, "drained_within_s": DRAIN_LIMIT_S}, passed, started)
    assert not exited, f"platform processes exited during the freeze: {exited}"
    assert failures == 0, f"intake did not answer 201 to {failures} complaints: {answers}"
    assert backlog_drained, f"the frozen period's backlog was not planned {DRAIN_LIMIT_S} s after SIGCONT"
    assert drained, f"only {planned}/{len(references)} plans {DRAIN_LIMIT_S} s after the load"
