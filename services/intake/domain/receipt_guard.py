"""Rate limits for receipt checks, applied before any hashing or database work.

A receipt has 100 bits: guessing one is hopeless at any rate, so the limits are about load and about slowing a
guesser, never about locking a reference. There is no per-reference lock: one that anybody who knows a reference
could trigger would keep the owner out (issue 19, finding 2). Instead wrong receipts are counted per client:
  - per (client, reference): after MAX_FAILURES wrong receipts for one reference in WINDOW_SECONDS, that client
    waits for the rest of the window before it may try that reference again;
  - per client: after MAX_CLIENT_FAILURES wrong receipts (any reference) in the window, that client waits;
  - globally: a token bucket of GLOBAL_CHECKS_PER_SECOND, drawn only by clients with a wrong receipt in the window.
    A flood of guesses from many addresses empties it for the guessers only: a client with a clean record (the
    owner with their receipt) never meets it, so nobody can block every follow-up.
A throttled client is refused before the receipt is checked, its right receipt too: otherwise the answer would
still tell a guesser which guess was right, and the throttle would not slow guessing at all.

Clients are keyed hashes of their address under a random per-process key (never the address itself). Memory is
bounded: each failure table holds at most MAX_TRACKED entries (least recently failed dropped first).
"""
import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict

MAX_FAILURES = 5
MAX_CLIENT_FAILURES = 20
WINDOW_SECONDS = 15 * 60
GLOBAL_CHECKS_PER_SECOND = 20
MAX_TRACKED = 100_000


class _FailureTable:
    """key → (count, first failure in the current window); bounded, oldest dropped first."""

    def __init__(self, window_seconds):
        self.window_seconds = window_seconds
        self.entries = OrderedDict()

    def count(self, key, now):
        """(failures in the current window, seconds until it ends); an expired window is forgotten."""
        count, since = self.entries.get(key, (0, now))
        remaining = self.window_seconds - (now - since)
        if count and remaining <= 0:
            del self.entries[key]
            return 0, 0
        return count, remaining

    def add(self, key, now):
        count, since = self.entries.pop(key, (0, now))
        if now - since >= self.window_seconds:
            count, since = 0, now
        self.entries[key] = (count + 1, since)
        while len(self.entries) > MAX_TRACKED:
            self.entries.popitem(last=False)

    def forget(self, key):
        self.entries.pop(key, None)


class ReceiptGuard:
    def __init__(self, clock=time.monotonic, max_failures=MAX_FAILURES, max_client_failures=MAX_CLIENT_FAILURES,
                 window_seconds=WINDOW_SECONDS, rate=GLOBAL_CHECKS_PER_SECOND):
        self.clock = clock
        self.max_failures = max_failures
        self.max_client_failures = max_client_failures
        self.rate = rate
        self.tokens = float(rate)
        self.last_refill = clock()
        self.per_pair = _FailureTable(window_seconds)    # (client, reference) → wrong receipts
        self.per_client = _FailureTable(window_seconds)  # client → wrong receipts, any reference
        self.key = secrets.token_bytes(32)
        self.lock = threading.Lock()

    def _client(self, address):
        return hmac.new(self.key, (address or "?").encode(), hashlib.sha256).digest()[:16]

    def retry_after(self, address, reference):
        """Seconds this client must wait before this reference may be checked, or 0 (go ahead)."""
        now = self.clock()
        client = self._client(address)
        with self.lock:
            client_failures, client_wait = self.per_client.count(client, now)
            if client_failures >= self.max_client_failures:
                return int(client_wait) + 1
            pair_failures, pair_wait = self.per_pair.count((client, reference), now)
            if pair_failures >= self.max_failures:
                return int(pair_wait) + 1
            if not client_failures:
                return 0  # a clean record: the global bucket is the guessers' alone
            self.tokens = min(self.rate, self.tokens + (now - self.last_refill) * self.rate)
            self.last_refill = now
            if self.tokens < 1:
                return 1
            self.tokens -= 1
            return 0

    def record_failure(self, address, reference):
        now = self.clock()
        client = self._client(address)
        with self.lock:
            self.per_pair.add((client, reference), now)
            self.per_client.add(client, now)

    def record_success(self, address, reference):
        """The right receipt clears the client's count for this reference (not its count across references: a
        guesser with a case of its own must not reset its budget with it)."""
        with self.lock:
            self.per_pair.forget((self._client(address), reference))
