"""Burst drain: complaints pile up while routing is down; once it is back, how long until the partner has them all.

Routing's handler queue is a durable quorum queue, so complaint.received events wait for it. Each complaint is
posted until answered (counting 201s exactly, keeping every reference); at the partner every reference must
arrive exactly once: lost = accepted - distinct received, duplicated = deliveries - distinct received.
"""
import time
from concurrent.futures import ThreadPoolExecutor

from openloop import complaint_body, post_complaint


def post_many(port, count, workers=16, deadline_s=600.0):
    """POST `count` complaints as fast as the server takes them. Returns (references, non-201 statuses, seconds)."""
    body = complaint_body()
    deadline = time.monotonic() + deadline_s
    started = time.monotonic()

    def one(_i):
        if time.monotonic() > deadline:
            return "skipped", None
        try:
            status, reference, _at, _total = post_complaint(port, body, timeout=30.0)
        except OSError as exc:  # a timed-out request may still have been filed: the partner count shows it
            return type(exc).__name__, None
        return status, reference

    with ThreadPoolExecutor(workers) as pool:
        outcomes = list(pool.map(one, range(count)))
    refused = {}
    for status, reference in outcomes:
        if reference is None:
            refused[str(status)] = refused.get(str(status), 0) + 1
    return [ref for _s, ref in outcomes if ref], refused, time.monotonic() - started


def burst_drain(platform, port, tap, count, drain_timeout=600.0, grace=3.0):
    platform.stop_process("routing")
    references, refused, post_s = post_many(port, count)
    subjects = [tap.subject(ref) for ref in references]
    early, _ = tap.deliveries(subjects)  # must be 0: nobody routes while routing is down
    restarted = time.monotonic()
    platform.start_service("routing")
    platform.wait_ready(["routing"])
    ready = time.monotonic()
    last = tap.wait_for(subjects, drain_timeout, poll=0.1)
    time.sleep(grace)  # a duplicate would come right behind
    distinct, deliveries = tap.deliveries(subjects)
    accepted = len(references)
    drain_s = (last - restarted) if last is not None else None
    return {
        "posted": count, "accepted": accepted, "refused": refused, "post_seconds": round(post_s, 1),
        "post_rate_per_s": round(accepted / post_s, 1) if post_s else None,
        "received_before_restart": early, "routing_ready_s": round(ready - restarted, 2),
        "drain_s": round(drain_s, 2) if drain_s is not None else None,
        "drain_rate_per_s": round(accepted / drain_s, 1) if drain_s else None,
        "timed_out": last is None, "distinct_received": distinct, "deliveries": deliveries,
        "lost": accepted - distinct, "duplicated": deliveries - distinct,
    }
