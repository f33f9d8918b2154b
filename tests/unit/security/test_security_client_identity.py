"""How intake tells clients apart for its rate limits (ASVS 4.1.3: proxy headers must not be overridable).

By default the peer address is the client and X-Forwarded-For is ignored. Behind our own proxies
(TRUST_PROXY_HEADERS) only the entries those proxies appended count: a client that writes its own
X-Forwarded-For cannot become a new client on every request.
"""
import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.intake import settings
from services.intake.domain.rate_limit import RateLimiter
from services.intake.web.observed import client_address


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test sets TRUST_PROXY_HEADERS / TRUSTED_PROXY_HOPS; intake reads them once (settings.load_web)."""
    settings.load_web.cache_clear()
    yield
    settings.load_web.cache_clear()


def request(forwarded=None, peer="203.0.113.9"):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return Request(EnvironBuilder(headers=headers, environ_base={"REMOTE_ADDR": peer}).get_environ())


def test_forwarded_for_is_ignored_unless_trusted(monkeypatch):
    monkeypatch.delenv("TRUST_PROXY_HEADERS", raising=False)
    assert client_address(request("198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize("hops, forwarded, client", [
    (1, "198.51.100.7", "198.51.100.7"),                             # the proxy saw 198.51.100.7
    (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),                    # the client wrote 1.2.3.4 itself
    (1, "1.2.3.4,5.6.7.8 , 198.51.100.7", "198.51.100.7"),
    (2, "1.2.3.4, 198.51.100.7, 10.0.0.5", "198.51.100.7"),          # two proxies: the outer one saw the client
    (2, "10.0.0.5", "203.0.113.9"),                                  # fewer entries than proxies: the peer
    (1, "", "203.0.113.9"),
    (1, " , ", "203.0.113.9"),
])
def test_only_what_our_proxies_appended_counts(monkeypatch, hops, forwarded, client):
    monkeypatch.setenv("TRUST_PROXY_HEADERS", "1")
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", str(hops))
    assert client_address(request(forwarded)) == client


def test_a_flooder_forging_forwarded_for_behind_our_proxy_meets_its_own_limit(monkeypatch):
    """Regression: the first X-Forwarded-For entry used to be taken, so a fresh forged value per request
    gave the flooder a fresh bucket every time and only the global limit (shared with everyone) held."""
    monkeypatch.setenv("TRUST_PROXY_HEADERS", "1")
    limiter = RateLimiter(per_client_rate=1, per_client_burst=5, global_rate=10**6, global_burst=10**6,
                          clock=lambda: 0.0)
    answers = [limiter.retry_after(client_address(request(f"10.9.{i // 256}.{i % 256}, 198.51.100.66",
                                                          peer="10.0.0.1")))
               for i in range(100)]
    assert answers.count(0) == 5
    assert limiter.retry_after(client_address(request("198.51.100.77", peer="10.0.0.1"))) == 0  # others: served
