"""Receipt guessing is impractical and cannot be turned into a CPU or memory flood (docs/privacy.md, "Receipts").

Against the running intake: after 5 wrong receipts for a reference one client answers 429 (its right receipt too)
and the keyed hash is not computed again for it (counted by `voorportaal_receipt_checks_total`: only `ok` and
`wrong` reach it); wrong receipts from other clients never keep the owner out (issue 19, finding 2: there is no
per-reference lock); guesses spread over random references hit the limits; the intake process's memory stays flat.
In-process: the guard's and the limiter's tables stay bounded however many references or addresses are tried,
and the HMAC runs at most max_failures times per reference and client.
"""
import secrets
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from support.security_testlib import client_session, form_session, same_origin_headers
from services.intake.domain import rate_limit, receipt_guard, receipts
from services.intake.use_cases import receipt_check
from support.platform import complaint, file_complaint, metric_value

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]

WRONG = "Receipt AAAA-AAAA-AAAA-AAAA-AAAA"


def random_reference():
    return "VP-" + "-".join("".join(secrets.choice(receipts.ALPHABET) for _ in range(4)) for _ in range(2))


def checks(platform):
    port = platform.ops_port("intake")
    return {outcome: metric_value(port, "voorportaal_receipt_checks_total", outcome=outcome) or 0
            for outcome in ("ok", "wrong", "unknown_reference", "locked", "malformed")}


def delta(after, before):
    return {key: after[key] - before[key] for key in after}


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def let_the_global_limit_refill():
    """The guard's global bucket is shared with the other suites of the session: leave it full."""
    time.sleep(1.5)


def test_one_client_is_throttled_after_five_wrong_receipts_and_the_hash_stops_running(platform):
    filed = file_complaint(platform.base_url, complaint())
    url = f"{platform.base_url}/api/v1/complaints/{filed['reference']}"
    before = checks(platform)
    with client_session("127.0.0.5", pool=2) as http:
        statuses = [http.get(url, headers={"Authorization": WRONG}, timeout=10).status_code for _ in range(200)]
        throttled = http.get(url, headers={"Authorization": f"Receipt {filed['receipt']}"}, timeout=10)
    assert statuses[:5] == [404] * 5 and set(statuses[5:]) == {429}
    # the guessing client waits, even with a right receipt: otherwise the throttle would not slow guessing at all
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 60
    spent = delta(checks(platform), before)
    assert spent["wrong"] == 5 and spent["ok"] == 0, spent  # the keyed hash ran 5 times, never past the throttle
    assert spent["locked"] == 196, spent
    let_the_global_limit_refill()


def test_wrong_receipts_from_other_clients_never_lock_the_owner_out(platform):
    """Issue 19, finding 2: knowing a reference must not be enough to keep its owner out. 50 wrong receipts from
    50 other clients and 50 more from one persistent guesser; then the owner's right receipt works, by the API
    and by the follow-up form."""
    filed = file_complaint(platform.base_url, complaint())
    url = f"{platform.base_url}/api/v1/complaints/{filed['reference']}"
    guesses = []
    for n in range(50):
        with client_session(f"127.0.1.{n + 10}", pool=1) as other:
            guesses.append(other.get(url, headers={"Authorization": WRONG}, timeout=10).status_code)
    with client_session("127.0.0.6", pool=2) as guesser:
        guesses += [guesser.get(url, headers={"Authorization": WRONG}, timeout=10).status_code for _ in range(50)]
    assert set(guesses) <= {404, 429} and guesses.count(404) >= 5
    with client_session("127.0.0.7", pool=2) as owner:
        right = owner.get(url, headers={"Authorization": f"Receipt {filed['receipt']}"}, timeout=10)
        session, token = form_session(platform.base_url, page="follow-up", session=owner)
        form = session.post(f"{platform.base_url}/nl/follow-up", headers=same_origin_headers(platform.base_url),
                            data={"csrf_token": token, "reference": filed["reference"], "receipt": filed["receipt"]},
                            timeout=10)
    assert right.status_code == 200, right.text
    assert right.json()["reference"] == filed["reference"]
    assert form.status_code == 200
    let_the_global_limit_refill()


def test_guesses_across_random_references_hit_the_global_limit_and_memory_stays_flat(platform):
    url = platform.base_url + "/api/v1/complaints/"
    pid = platform.processes["intake"].pid
    before, rss_before = checks(platform), rss_kib(pid)
    started = time.monotonic()

    def guess(_):
        with requests.Session() as http:
            return [http.get(url + random_reference(), timeout=10,
                             headers={"Authorization": "Receipt " + receipts.new_receipt()}).status_code
                    for _ in range(150)]
    with ThreadPoolExecutor(8) as pool:
        statuses = [status for batch in pool.map(guess, range(8)) for status in batch]
    elapsed = time.monotonic() - started
    spent = delta(checks(platform), before)
    assert set(statuses) <= {404, 429} and statuses.count(429) > 0
    # the database lookup (and, for a known case, the hash) ran at most at the global rate, plus the first burst
    budget = receipt_guard.GLOBAL_CHECKS_PER_SECOND * (elapsed + 1)
    assert spent["unknown_reference"] + spent["wrong"] + spent["ok"] <= budget, (spent, elapsed)
    assert spent["locked"] == statuses.count(429)
    grown_mib = (rss_kib(pid) - rss_before) / 1024
    assert grown_mib < 25, f"intake grew by {grown_mib:.1f} MiB over {len(statuses)} guesses"
    let_the_global_limit_refill()


def test_malformed_receipts_are_refused_before_the_guard(platform):
    url = f"{platform.base_url}/api/v1/complaints/{random_reference()}"
    before = checks(platform)
    for header in ("Receipt " + "A" * 49, "Receipt " + "9" * 5000):
        assert requests.get(url, headers={"Authorization": header}, timeout=10).status_code == 404
    too_long_reference = requests.get(f"{platform.base_url}/api/v1/complaints/VP-{'A' * 40}",
                                      headers={"Authorization": WRONG}, timeout=10)
    assert too_long_reference.status_code == 404
    assert delta(checks(platform), before)["malformed"] == 3


# -- in-process: counting the HMAC itself and the tables' sizes --------------------------------------------------
class _Case:
    receipt_hash = receipts.receipt_hash(b"k" * 32, "VP-AAAA-AAAA", "ABCD-EFGH-JKMN-PQRS-TVWX")


@pytest.fixture()
def counted_hmac(monkeypatch):
    calls = []
    real = receipts.receipt_hash
    monkeypatch.setattr(receipts, "receipt_hash", lambda *args: calls.append(args) or real(*args))
    monkeypatch.setattr(receipt_check.cases, "find_case",
                        lambda _session, reference: _Case() if reference == "VP-AAAA-AAAA" else None)
    return calls


def test_the_hmac_runs_at_most_max_failures_times_per_reference_and_client(counted_hmac):
    now = [0.0]
    guard = receipt_guard.ReceiptGuard(clock=lambda: now[0])
    outcomes = []
    for attempt in range(1000):
        now[0] = attempt  # one guess a second: the global bucket never empties, only the per-client count acts
        outcomes.append(receipt_check.check_receipt(None, guard, b"k" * 32, "VP-AAAA-AAAA",
                                                    receipts.new_receipt(), "192.0.2.1").outcome)
    assert outcomes[:5] == ["unknown"] * 5 and set(outcomes[5:receipt_guard.WINDOW_SECONDS]) == {"locked"}
    # 5 guesses, throttled for 15 minutes from the first, then 5 more: 10 HMACs in 1000 guesses
    assert len(counted_hmac) == 10


def test_the_global_bucket_stops_the_hmac_of_guessers_across_addresses(counted_hmac):
    """A guesser with many addresses: each address's first guess is checked (a clean record never meets the global
    bucket, so that guessers cannot keep an owner out); after that, all of them share GLOBAL_CHECKS_PER_SECOND."""
    guard = receipt_guard.ReceiptGuard(clock=lambda: 0.0)  # time stands still: only the first burst passes
    addresses = [f"10.0.{n // 250}.{n % 250}" for n in range(100)]
    for _ in range(100):
        for address in addresses:
            receipt_check.check_receipt(None, guard, b"k" * 32, "VP-AAAA-AAAA", receipts.new_receipt(), address)
    assert len(counted_hmac) <= len(addresses) + receipt_guard.GLOBAL_CHECKS_PER_SECOND


def test_the_guard_and_the_limiter_stay_bounded(monkeypatch):
    """Past MAX_TRACKED references / MAX_CLIENTS addresses the oldest are forgotten. Measured on small tables
    (twice overfilled), the cost per entry times the shipped sizes stays far below what the process can spare."""
    # each guess below adds one entry to each of the three tables: the shipped worst case is the largest table full
    shipped = max(receipt_guard.MAX_TRACKED, rate_limit.MAX_CLIENTS)
    monkeypatch.setattr(receipt_guard, "MAX_TRACKED", 5000)
    monkeypatch.setattr(rate_limit, "MAX_CLIENTS", 5000)
    now = [0.0]
    guard = receipt_guard.ReceiptGuard(clock=lambda: now[0], rate=10**9)
    limiter = rate_limit.RateLimiter(1, 1, 10**9, 10**9, clock=lambda: now[0])
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        for i in range(10_000):
            now[0] = i / 1000
            reference = random_reference()
            address = f"10.{i % 256}.{i // 256 % 256}.{i // 65536}"
            if not guard.retry_after(address, reference):
                guard.record_failure(address, reference)
            limiter.retry_after(address)
        grown = tracemalloc.get_traced_memory()[0] - baseline
    finally:
        tracemalloc.stop()
    assert len(guard.per_pair.entries) == len(guard.per_client.entries) == 5000 and len(limiter.clients) == 5000
    per_guess = grown / 10_000
    assert per_guess * shipped / 2**20 < 64, f"{per_guess:.0f} bytes a guess"
