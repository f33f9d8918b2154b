"""Sign-in throttling that a stranger cannot turn into a lock-out.

A failure costs time, not access: after a few failures from one client for one account, that client waits
(exponentially, capped); other clients — the staff member at the desk — are not slowed by a stranger's guesses.
A per-client budget over all accounts stops one client from trying many accounts. Buckets are keyed by keyed
hashes of the client address and the e-mail (never the values themselves).
"""
from dataclasses import dataclass

FREE_FAILURES = 3  # per client and account, before any wait
BASE_DELAY_SECONDS = 2
MAX_DELAY_SECONDS = 15 * 60
CLIENT_FAILURES_PER_HOUR = 50  # one client, all accounts


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


def delay_after(failures: int) -> int:
    """Seconds a client must wait after `failures` consecutive failures for one account."""
    if failures < FREE_FAILURES:
        return 0
    return min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES))


def verdict(pair_failures: int, seconds_since_last_failure: float, client_failures_last_hour: int) -> Verdict:
    if client_failures_last_hour >= CLIENT_FAILURES_PER_HOUR:
        return Verdict(False, 3600)
    wait = delay_after(pair_failures) - seconds_since_last_failure
    if wait > 0:
        return Verdict(False, int(wait) + 1)
    return Verdict(True)
