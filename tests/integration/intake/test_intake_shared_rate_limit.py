"""The request limits are shared by every intake replica through Redis (issue 19, finding 1): against the real
Redis (127.0.0.1:6379), two limiter instances ("replicas") spend one budget per client and one global budget.
When Redis does not answer, each replica limits on its own (fail open to the in-process limiter), says so in its
log and counts it. Every test uses a key prefix of its own and deletes its keys."""
import uuid

import pytest
import redis

from services.intake.domain.rate_limit import RateLimiter
from services.intake.metrics import RATE_LIMIT_FALLBACKS
from services.intake.web import shared_limiter
from services.intake.web.shared_limiter import SharedRateLimiter

pytestmark = pytest.mark.redis
REDIS_URL = "redis://127.0.0.1:6379/0"
KEY = b"k" * 32


@pytest.fixture()
def prefix():
    name = f"vp-test-{uuid.uuid4().hex}:"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=name + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def replica(prefix, url=REDIS_URL, **limits):
    limits = {"per_client_rate": 0.001, "per_client_burst": 10, "global_rate": 0.001, "global_burst": 1000,
              **limits}
    return SharedRateLimiter(redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5), prefix,
                             KEY, **limits, fallback=RateLimiter(**limits))


def test_two_replicas_share_one_budget_per_client(prefix):
    first, second = replica(prefix), replica(prefix)
    answers = [(first if n % 2 else second).retry_after("198.51.100.7") for n in range(16)]
    assert answers[:10] == [0] * 10 and all(wait >= 1 for wait in answers[10:])  # 10 in all, not 10 each
    assert first.retry_after("198.51.100.8") == 0 and second.retry_after("198.51.100.9") == 0  # others: served


def test_two_replicas_share_one_global_budget(prefix):
    first, second = replica(prefix, global_burst=6), replica(prefix, global_burst=6)
    answers = [(first if n % 2 else second).retry_after(f"203.0.113.{n}") for n in range(10)]
    assert answers.count(0) == 6


def test_the_limits_refill_at_the_configured_rate(prefix):
    limiter = replica(prefix, per_client_rate=1000, per_client_burst=2)
    assert [limiter.retry_after("192.0.2.1") for _ in range(2)] == [0, 0]
    import time
    time.sleep(0.01)  # 1000/s: several tokens back
    assert limiter.retry_after("192.0.2.1") == 0


def test_redis_keeps_no_address_in_clear(prefix):
    limiter = replica(prefix)
    limiter.retry_after("192.0.2.77")
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=prefix + "*"))
    client.close()
    assert keys and all(b"192.0.2.77" not in key and key.startswith(prefix.encode()) for key in keys)


def test_redis_down_falls_back_to_the_local_limiter_with_a_log_line_and_a_metric(prefix, monkeypatch):
    logged = []
    monkeypatch.setattr(shared_limiter.log, "warning", lambda event, **fields: logged.append((event, fields)))
    before = RATE_LIMIT_FALLBACKS._value.get()
    limiter = replica(prefix, url="redis://127.0.0.1:1/0")  # nothing listens there
    answers = [limiter.retry_after("198.51.100.7") for _ in range(12)]
    assert answers[:10] == [0] * 10 and all(wait >= 1 for wait in answers[10:])  # limited, in-process
    assert RATE_LIMIT_FALLBACKS._value.get() - before == 12
    assert [event for event, _ in logged] == ["rate_limit.shared_store_unavailable"]  # once, not per request
    assert "198.51.100.7" not in repr(logged)


def test_intake_shares_its_limits_when_rate_limit_redis_url_is_set(prefix, monkeypatch):
    from types import SimpleNamespace

    from services.intake import settings
    from services.intake.web import observed
    monkeypatch.setenv("RATE_LIMIT_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("RATE_LIMIT_REDIS_PREFIX", prefix)
    monkeypatch.setenv("INTAKE_BURST_PER_CLIENT", "3")
    monkeypatch.setattr(settings, "load", lambda: SimpleNamespace(receipt_key=KEY))
    for cached in (settings.load_web, observed.limiter):
        cached.cache_clear()
    try:
        first = observed.limiter()
        observed.limiter.cache_clear()
        second = observed.limiter()  # a second "replica": a limiter made afresh from the same configuration
        assert isinstance(first, SharedRateLimiter) and first is not second
        answers = [limiter.retry_after("198.51.100.70") for limiter in (first, second, first, second)]
        assert answers[:3] == [0, 0, 0] and answers[3] >= 1
    finally:
        settings.load_web.cache_clear()
        observed.limiter.cache_clear()


def test_without_rate_limit_redis_url_each_process_limits_on_its_own(monkeypatch):
    from services.intake import settings
    from services.intake.web import observed
    monkeypatch.delenv("RATE_LIMIT_REDIS_URL", raising=False)
    settings.load_web.cache_clear()
    observed.limiter.cache_clear()
    try:
        assert isinstance(observed.limiter(), RateLimiter)
    finally:
        settings.load_web.cache_clear()
        observed.limiter.cache_clear()
