"""The measured phases both pipelines (floor and platform) go through: an open-loop phase at a fixed rate with
its CPU and SQL statements counted, and an idle window.

A measured phase counts from the first request until the backlog is gone (nothing queued in the vhost and no
referral at the partner for 2 s): the work a complaint causes after its 201 belongs to it.
"""
import time

import cpu_accounting
import statements
from latency import end_to_end


def settle(infra, tap, vhost, timeout=120):
    """Wait until nothing is queued in the vhost (dead letters and partner queues nobody reads aside) and the
    partner received nothing for 2 s. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        depths = infra.rabbit.queue_depths(vhost)
        busy = sum(n for name, n in depths.items() if not name.startswith(("voorportaal.dead-letters", "partner.")))
        if busy == 0 and tap.idle_for() > 2:
            break
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def groups_of(processes):
    return {str(process.pid): name for name, process in processes.items()}


def measured_phase(infra, database, processes, port, tap, vhost, rate, seconds):
    """Open loop at `rate`/s for `seconds`, then settle: latency figures, CPU ms per complaint by process
    group, SQL statements per complaint by role."""
    groups, roots = groups_of(processes), infra.process_roots()
    conninfo = infra.postgres.conninfo()
    statements.reset(conninfo)
    machine_before = cpu_accounting.machine()
    before, started = cpu_accounting.snapshot(groups, roots), time.monotonic()
    result = end_to_end(port, tap, rate, seconds)
    result["settle_s"] = settle(infra, tap, vhost)
    after, elapsed = cpu_accounting.snapshot(groups, roots), time.monotonic() - started
    machine_after = cpu_accounting.machine()
    rows = statements.read(conninfo, database)
    result["window_s"] = round(elapsed, 1)
    result["cpu_ms_per_complaint"] = cpu_accounting.ms_per_item(before, after, result["accepted"])
    result["machine"] = cpu_accounting.machine_share(
        machine_before, machine_after, sum(after.values()) - sum(before.values()), elapsed)
    result["statements"] = statements.summarise(rows, result["accepted"], elapsed)
    return result


def idle_window(infra, database, processes, seconds):
    """Nothing posted for `seconds`: SQL statements per second by role and CPU ms per second by group."""
    groups, roots = groups_of(processes), infra.process_roots()
    conninfo = infra.postgres.conninfo()
    statements.reset(conninfo)
    before, started = cpu_accounting.snapshot(groups, roots), time.monotonic()
    time.sleep(seconds)
    after, elapsed = cpu_accounting.snapshot(groups, roots), time.monotonic() - started
    rows = statements.read(conninfo, database)
    cpu = cpu_accounting.ms_per_item(before, after, 1)
    return {"seconds": round(elapsed, 1),
            "statements_per_s": statements.idle_rate(rows, elapsed),
            "statements_per_s_total": round(sum(row[2] for row in rows) / elapsed, 1),
            "cpu_ms_per_s": {group: round(ms / elapsed, 1) for group, ms in cpu.items()},
            "statements": [{"role": role, "per_s": round(calls / elapsed, 2), "query": statements.short(query, 400)}
                           for role, query, calls, _ms, _id in rows]}
