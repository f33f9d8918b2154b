from services.intake.domain.rate_limit import RateLimiter


def test_a_flooding_client_is_limited_while_others_are_served():
    now = [0.0]
    limiter = RateLimiter(per_client_rate=2, per_client_burst=4, global_rate=100, global_burst=100,
                          clock=lambda: now[0])
    answers = [limiter.retry_after("10.0.0.1") for _ in range(10)]
    assert answers[:4] == [0] * 4 and all(wait >= 1 for wait in answers[4:])
    assert limiter.retry_after("10.0.0.2") == 0
    now[0] = 1.0  # two tokens later
    assert [limiter.retry_after("10.0.0.1") for _ in range(3)] == [0, 0, 1]


def test_the_global_limit_holds_across_clients():
    now = [0.0]
    limiter = RateLimiter(per_client_rate=100, per_client_burst=100, global_rate=1, global_burst=5,
                          clock=lambda: now[0])
    answers = [limiter.retry_after(f"10.0.0.{i}") for i in range(8)]
    assert answers.count(0) == 5


def test_addresses_are_not_kept_in_clear():
    limiter = RateLimiter(1, 1, 1, 1)
    limiter.retry_after("192.0.2.77")
    assert all(b"192.0.2.77" not in key for key in limiter.clients)
