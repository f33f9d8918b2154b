"""Request rate limits for the public address: per client and for the whole process (429 + Retry-After).

Clients are told apart by a keyed hash of their address under a random per-process key: the address itself is
never stored, logged or kept past the process. Memory is bounded (least recently seen clients are forgotten).
"""
import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import OrderedDict

MAX_CLIENTS = 50_000


class TokenBucket:
    def __init__(self, rate, burst, now):
        self.rate, self.burst, self.tokens, self.updated = rate, burst, float(burst), now

    def take(self, now):
        """0 when allowed (a token is taken), else the seconds until one is available."""
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0
        return max(1, math.ceil((1 - self.tokens) / self.rate))


class RateLimiter:
    def __init__(self, per_client_rate, per_client_burst, global_rate, global_burst, clock=time.monotonic):
        self.clock = clock
        self.per_client = (per_client_rate, per_client_burst)
        self.global_bucket = TokenBucket(global_rate, global_burst, clock())
        self.clients = OrderedDict()
        self.key = secrets.token_bytes(32)
        self.lock = threading.Lock()

    def client_id(self, address):
        return hmac.new(self.key, (address or "?").encode(), hashlib.sha256).digest()[:16]

    def retry_after(self, address):
        """0 when the request may proceed, else seconds to wait. The client's own limit is checked first, so
        one flooding client exhausts its bucket, not the shared one."""
        now = self.clock()
        client = self.client_id(address)
        with self.lock:
            bucket = self.clients.pop(client, None) or TokenBucket(*self.per_client, now)
            self.clients[client] = bucket
            while len(self.clients) > MAX_CLIENTS:
                self.clients.popitem(last=False)
            wait = bucket.take(now)
            if wait:
                return wait
            return self.global_bucket.take(now)
