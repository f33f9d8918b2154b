"""The desk's workspace under `make bench` (issue 14's figures): how long signing in takes — the password step,
which unlocks the member's key (Argon2id), and the whole sign-in with the second factor, which also shares new
cases with the team — and the queue page's latency with the platform's cases in it (≥ 10,000 after the burst; the
million after the growth phase).

Plain HTTP against the running casework service, one request at a time (the latency a case handler sees, not a
load test), as the demo case handler and coordinator of `make run` (CASEWORK_DEMO_ACCOUNTS: their password and
second-factor secrets are in the platform's var dir). The session cookie is `__Host-` and Secure, which an HTTP
client keeps to https; over the bench's loopback http it is carried by hand, as a browser does for 127.0.0.1.
"""
import json
import re
import statistics
import time
from pathlib import Path

import requests

from services.casework.domain.second_factor import code_at
from services.casework.domain.sessions import COOKIE_NAME
from services.casework.use_cases.demo import DEMO_FILE, DEMO_PASSWORD

HANDLER, COORDINATOR = "handler@voorportaal.test", "coordinator@voorportaal.test"
QUEUE_PATHS = ("/queue?list=new", "/queue?list=mine", "/queue?list=waiting_person", "/queue?list=waiting_institution",
               "/queue?list=due_soon", "/queue?list=overdue", "/queue?list=closed",
               "/queue?list=new&institution_type=bank", "/queue?list=closed&language=ro", "/queue?ref=VP-U")


def _percentile(values, share):
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)


class Workspace:
    def __init__(self, port, var_dir: Path):
        self.base = f"http://127.0.0.1:{port}"
        self.secrets = json.loads((Path(var_dir) / DEMO_FILE).read_text())

    def _post(self, path, data, token=None):
        headers = {"Origin": self.base}
        if token:
            headers["Cookie"] = f"{COOKIE_NAME}={token}"
        return requests.post(self.base + path, data=data, headers=headers, allow_redirects=False, timeout=60)

    @staticmethod
    def _token(response):
        """The session cookie from Set-Cookie (read by hand: a cookie jar keeps a Secure cookie to https)."""
        found = re.search(rf"{re.escape(COOKIE_NAME)}=([^;]+)", response.headers.get("Set-Cookie", ""))
        if response.status_code not in (302, 303) or not found:
            raise RuntimeError(f"workspace sign-in refused: {response.status_code}")
        return found.group(1)

    def password_step(self, email):
        """(seconds, half-session token): the password and the key unlock, before the second factor."""
        started = time.perf_counter()
        response = self._post("/sign-in", {"email": email, "password": DEMO_PASSWORD})
        return time.perf_counter() - started, self._token(response)

    def sign_in(self, email):
        """(seconds for both steps, full session token). A TOTP code is accepted once, so this waits for a fresh
        time step when the current one was used already."""
        secret = self.secrets[email]["totp_secret"]
        seconds, half = self.password_step(email)
        started = time.perf_counter()
        response = self._post("/sign-in/code", {"code": code_at(secret, time.time())}, half)
        if response.status_code == 400:  # this step's code was used by an earlier sign-in: the next one
            time.sleep(30 - time.time() % 30 + 0.5)
            seconds, half = self.password_step(email)
            started = time.perf_counter()
            response = self._post("/sign-in/code", {"code": code_at(secret, time.time())}, half)
        return seconds + time.perf_counter() - started, self._token(response)

    def page_seconds(self, token, path):
        started = time.perf_counter()
        response = requests.get(self.base + path, headers={"Cookie": f"{COOKIE_NAME}={token}"}, timeout=60,
                                allow_redirects=False)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"workspace {path.split('?')[0]}: {response.status_code}")
        return elapsed


def measure(port, var_dir, cases, rounds=20, password_rounds=5):
    """{cases, password_step, sign_in, queue}: p50/max or p50/p99 in ms; `cases` is the count it was measured at."""
    workspace = Workspace(port, var_dir)
    unlock = [workspace.password_step(HANDLER)[0] for _ in range(password_rounds)]
    sign_ins, token = [], None
    for email in (HANDLER, COORDINATOR):
        seconds, session = workspace.sign_in(email)
        sign_ins.append(seconds)
        token = token or session
    workspace.page_seconds(token, QUEUE_PATHS[0])  # warm: templates, catalogues, the pool
    queue = [workspace.page_seconds(token, path) for _ in range(rounds) for path in QUEUE_PATHS]
    return {
        "cases": cases,
        "password_step_ms": {"p50": _percentile(unlock, 0.5), "max": round(max(unlock) * 1000, 1)},
        "sign_in_ms": {"each": [round(s * 1000, 1) for s in sign_ins]},
        "queue_ms": {"requests": len(queue), "p50": _percentile(queue, 0.5), "p99": _percentile(queue, 0.99),
                     "mean": round(statistics.mean(queue) * 1000, 1)},
    }
