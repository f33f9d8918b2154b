"""The request limits shared by every intake replica, kept in Redis (RATE_LIMIT_REDIS_URL; issue 19, finding 1).

With N replicas an in-process limiter lets a client send N times its limit; in Redis there is one budget per
client and one for the desk. The algorithm is GCRA (the generic cell rate algorithm, as in ATM networks and
redis-cell): per key one number, the "theoretical arrival time"; a request is allowed when it comes no earlier
than that time minus the burst. It is the token bucket of domain/rate_limit.py (same rate, same burst) in one key
with an expiry, evaluated atomically by one Lua script, with Redis's own clock so replicas' clocks never matter.

Keys are `<prefix>client:<keyed hash of the address>` and `<prefix>global`: the hash key is derived from
RECEIPT_KEY, the same on every replica and never in Redis, so Redis holds no address. When Redis does not answer
within its short timeout, the front door stays open: this replica limits on its own (the in-process limiter) for
RETRY_SECONDS, logs `rate_limit.shared_store_unavailable` once and counts every such request in
`voorportaal_rate_limit_fallbacks_total`.
"""
import hashlib
import hmac
import math
import threading
import time

import redis
from redis.exceptions import RedisError

from libs.kit.logs import get_logger
from services.intake.metrics import RATE_LIMIT_FALLBACKS

log = get_logger()
RETRY_SECONDS = 5.0
# a request waits at most this long for Redis before this replica limits on its own
TIMEOUT_SECONDS = 0.25

# KEYS: client key, global key. ARGV: per-client interval (s) and burst, global interval and burst.
# Returns 0 (allowed: both keys advanced) or the seconds to wait (as a string: Lua numbers become integers).
GCRA = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local function check(key, interval, burst)
  local tat = tonumber(redis.call('GET', key)) or now
  if tat < now then tat = now end
  local new_tat = tat + interval
  local allow_at = new_tat - burst * interval
  if allow_at > now then return nil, allow_at - now end
  return new_tat, 0
end
local client_tat, client_wait = check(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
if not client_tat then return tostring(client_wait) end
redis.call('SET', KEYS[1], string.format('%.6f', client_tat), 'PX', math.ceil((client_tat - now) * 1000) + 1)
local global_tat, global_wait = check(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
if not global_tat then return tostring(global_wait) end
redis.call('SET', KEYS[2], string.format('%.6f', global_tat), 'PX', math.ceil((global_tat - now) * 1000) + 1)
return '0'
"""


def connect(url):
    return redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS)


class SharedRateLimiter:
    """`retry_after(address)` like domain/rate_limit.RateLimiter, with the budgets in Redis."""

    def __init__(self, client, prefix, key, per_client_rate, per_client_burst, global_rate, global_burst, fallback,
                 clock=time.monotonic):
        self.client, self.prefix, self.fallback, self.clock = client, prefix, fallback, clock
        self.key = hmac.new(key, b"voorportaal rate-limit client", hashlib.sha256).digest()
        self.args = (1 / per_client_rate, per_client_burst, 1 / global_rate, global_burst)
        self.script = client.register_script(GCRA)
        self.redis_retry_at = None  # while set and in the future, this replica limits on its own
        self.lock = threading.Lock()

    def _client_key(self, address):
        return self.prefix + "client:" + hmac.new(self.key, (address or "?").encode(), hashlib.sha256).hexdigest()[:32]

    def retry_after(self, address):
        """0 when the request may proceed, else whole seconds to wait."""
        if self._redis_away():
            return self._locally(address)
        try:
            wait = float(self.script(keys=[self._client_key(address), self.prefix + "global"], args=self.args))
        except (RedisError, OSError) as exc:
            self._went_away(exc)
            return self._locally(address)
        self._came_back()
        return 0 if wait <= 0 else max(1, math.ceil(wait))

    def _locally(self, address):
        RATE_LIMIT_FALLBACKS.inc()
        return self.fallback.retry_after(address)

    def _redis_away(self):
        with self.lock:
            return self.redis_retry_at is not None and self.clock() < self.redis_retry_at

    def _went_away(self, exc):
        with self.lock:
            first = self.redis_retry_at is None
            self.redis_retry_at = self.clock() + RETRY_SECONDS
        if first:
            log.warning("rate_limit.shared_store_unavailable", error=type(exc).__name__,
                        fallback="in-process", retry_seconds=RETRY_SECONDS)

    def _came_back(self):
        with self.lock:
            was_away, self.redis_retry_at = self.redis_retry_at is not None, None
        if was_away:
            log.info("rate_limit.shared_store_back")
