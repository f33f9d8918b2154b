"""A flood from one client while another is still served (OWASP API4/API6). Slow: `make chaos`.

Its own intake process with the shipped limits (10 req/s per client, burst 40; 300 req/s global), no relays.
The flooder (source address 127.0.0.1, forging a new X-Forwarded-For on every request, which intake ignores by
default) files complaints at 200 req/s for FLOOD_SECONDS; the person (source address 127.0.0.2: another client
for intake, which keys its limits on the peer address) loads the form page, asks the route question and files one
complaint every half second. Pass: the flooder gets 429 past its documented allowance, nothing is a 5xx, and the
person is always served with p95 latency under 1 s.
"""
import statistics
from collections import Counter
import threading
import time
import uuid

import pytest
import requests

from devtools.local_platform import LocalPlatform
from libs.kit import migrations
from libs.kit.db import make_engine, make_session_factory
from support.desk_keys import give_intake_a_key_directory
from support.platform import complaint, free_port
from support.security_testlib import client_session

pytestmark = [pytest.mark.slow, pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]

FLOOD_RATE = 200
FLOOD_SECONDS = 15
PER_CLIENT_RATE, PER_CLIENT_BURST = 10, 40  # the shipped defaults (services/intake/settings.py)


@pytest.fixture(scope="module")
def intake(amqp_uri, pg_url, tmp_path_factory):
    port = free_port()
    env = {"AMQP_URI": amqp_uri, "DATABASE_URL": pg_url, "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}",
           "VOORPORTAAL_VAR_DIR": str(tmp_path_factory.mktemp("flood-var")), "INTAKE_METRICS_PORT": str(free_port()),
           "LOG_LEVEL": "WARNING"}
    for name in ("INTAKE_RATE_PER_CLIENT", "INTAKE_BURST_PER_CLIENT", "INTAKE_RATE_GLOBAL", "INTAKE_BURST_GLOBAL",
                 "TRUST_PROXY_HEADERS"):
        env[name] = ""  # the shipped defaults, whatever the calling shell has set
    platform = LocalPlatform(env=env, log_dir=tmp_path_factory.mktemp("flood-logs"), services=("intake",))
    for name in list(env):
        if env[name] == "":
            platform.env.pop(name, None)
    # intake takes complaints only once it knows the desk's keys (casework publishes them in a running platform):
    # this test runs intake alone, so it gives intake a key directory of its own first
    engine = make_engine(pg_url)
    try:
        migrations.upgrade("intake", engine)
        with make_session_factory(engine)() as session:
            give_intake_a_key_directory(session)
    finally:
        engine.dispose()
    platform.start_service("intake")  # no relay: the outbox simply keeps what the flood files
    try:
        platform.wait_ready(["intake"])
        yield f"http://127.0.0.1:{port}"
    finally:
        platform.stop()


def test_a_flooding_client_is_limited_while_a_person_is_served(intake):
    flood_statuses, person = [], []
    stop = threading.Event()
    flooder = client_session("127.0.0.1")
    started = time.monotonic()

    def flood(worker, workers):
        i = worker
        while not stop.is_set():
            due = started + i / FLOOD_RATE  # open loop: the flooder does not slow down when answers do
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if time.monotonic() - started > FLOOD_SECONDS:
                return
            try:
                response = flooder.post(f"{intake}/api/v1/complaints", json=complaint(), timeout=10,
                                        headers={"X-Forwarded-For": f"10.{i % 250}.{i // 250 % 250}.1"})
                flood_statuses.append(response.status_code)
            except requests.RequestException as exc:
                flood_statuses.append(type(exc).__name__)
            i += workers

    def visit():
        with client_session("127.0.0.2", pool=2) as session:
            while not stop.is_set() and time.monotonic() - started < FLOOD_SECONDS:
                for method, path, kwargs in (
                        ("GET", "/nl/", {}),
                        ("POST", "/api/v1/route", {"json": {"institution_type": "bank", "issue": "privacy"}}),
                        ("POST", "/api/v1/complaints", {"json": complaint(description=f"real {uuid.uuid4()}")})):
                    began = time.monotonic()
                    response = session.request(method, intake + path, timeout=10, **kwargs)
                    person.append((path, response.status_code, time.monotonic() - began))
                    time.sleep(0.5)

    workers = 24
    threads = [threading.Thread(target=flood, args=(n, workers)) for n in range(workers)]
    threads.append(threading.Thread(target=visit))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(FLOOD_SECONDS + 30)
    stop.set()
    elapsed = time.monotonic() - started

    sent = len(flood_statuses)
    assert sent >= FLOOD_RATE * FLOOD_SECONDS * 0.8, f"the flood reached only {sent / elapsed:.0f} req/s"
    failures = Counter(s for s in flood_statuses if not isinstance(s, int) or s >= 500)
    assert not failures, f"5xx or errors in the flood: {dict(failures)}"
    allowance = PER_CLIENT_BURST + PER_CLIENT_RATE * elapsed
    accepted = flood_statuses.count(201)
    assert accepted <= allowance, f"the flooder filed {accepted} complaints (allowance {allowance:.0f})"
    assert flood_statuses.count(429) >= 0.95 * (sent - allowance)

    assert len(person) >= 3 * (FLOOD_SECONDS // 2)
    assert {status for _path, status, _latency in person} <= {200, 201}, person
    latencies = sorted(latency for _path, _status, latency in person)
    p95 = statistics.quantiles(latencies, n=20)[-1]
    assert p95 < 1.0, f"the person's p95 was {p95:.2f}s (max {latencies[-1]:.2f}s)"
    print(f"flood {sent / elapsed:.0f} req/s, {accepted} accepted, {flood_statuses.count(429)} refused; "
          f"person p95 {p95 * 1000:.0f} ms over {len(person)} requests")
