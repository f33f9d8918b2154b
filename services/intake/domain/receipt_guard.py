"""Rate limits for receipt checks, applied before any hashing or database work.

Per reference: after MAX_FAILURES wrong receipts the reference is locked for LOCK_SECONDS. Globally: a token
bucket caps receipt checks per second for the whole process, so guessing across many references is slow too.
Memory is bounded: the failure table holds at most MAX_TRACKED references (oldest dropped first).
"""
import threading
import time
from collections import OrderedDict

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
GLOBAL_CHECKS_PER_SECOND = 20
MAX_TRACKED = 100_000


class ReceiptGuard:
    def __init__(self, clock=time.monotonic, max_failures=MAX_FAILURES, lock_seconds=LOCK_SECONDS,
                 rate=GLOBAL_CHECKS_PER_SECOND):
        self.clock = clock
        self.max_failures = max_failures
        self.lock_seconds = lock_seconds
        self.rate = rate
        self.tokens = float(rate)
        self.last_refill = clock()
        self.failures = OrderedDict()  # reference → (count, first_failure_at)
        self.lock = threading.Lock()

    def retry_after(self, reference):
        """Seconds to wait before this reference may be checked, or 0 (and a token is taken)."""
        now = self.clock()
        with self.lock:
            count, since = self.failures.get(reference, (0, now))
            if count >= self.max_failures:
                remaining = self.lock_seconds - (now - since)
                if remaining > 0:
                    return int(remaining) + 1
                del self.failures[reference]
            self.tokens = min(self.rate, self.tokens + (now - self.last_refill) * self.rate)
            self.last_refill = now
            if self.tokens < 1:
                return 1
            self.tokens -= 1
            return 0

    def record_failure(self, reference):
        now = self.clock()
        with self.lock:
            count, since = self.failures.pop(reference, (0, now))
            self.failures[reference] = (count + 1, since)
            while len(self.failures) > MAX_TRACKED:
                self.failures.popitem(last=False)

    def record_success(self, reference):
        with self.lock:
            self.failures.pop(reference, None)
