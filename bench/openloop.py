"""Open-loop load and small HTTP helpers for the benchmark (stdlib only).

wrk is closed-loop: a slow server slows the client down and its latency hides the queueing. `open_loop` fires at a
fixed rate whatever the server does, and timings are taken from the moment a request was *scheduled*, so a
backlog in the generator shows up in the figures instead of vanishing (no coordinated omission).
"""
import json
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LUA = Path(__file__).with_name("post_complaint.lua")


def complaint_body() -> bytes:
    """The same complaint wrk posts (post_complaint.lua is the one source)."""
    text = LUA.read_text()
    section = text[text.index("wrk.body"):text.index("done =")]
    return "".join(re.findall(r"'([^']*)'", section)).encode()


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    rank = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary_ms(values):
    """{n, p50_ms, p99_ms, max_ms} of values in seconds."""
    as_ms = [v * 1000 for v in values]
    return {"n": len(as_ms), "p50_ms": _r(percentile(as_ms, 50)), "p99_ms": _r(percentile(as_ms, 99)),
            "max_ms": _r(max(as_ms) if as_ms else None)}


def _r(value):
    return None if value is None else round(value, 2)


def http_request(port, method, path, body=b"", headers=None, timeout=10.0, started=None):
    """One request on a fresh connection (Connection: close). Returns (status, ttfb_s, total_s, body).

    `started` (time.monotonic()) is when the request was due; timings count from there."""
    started = time.monotonic() if started is None else started
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
             f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        first = sock.recv(65536)
        ttfb = time.monotonic() - started
        chunks = [first]
        while chunks[-1]:
            chunks.append(sock.recv(65536))
    total = time.monotonic() - started
    raw = b"".join(chunks)
    head, _, payload = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, ttfb, total, payload


def post_complaint(port, body, started=None, timeout=10.0):
    """POST /api/v1/complaints → (status, reference or None, accepted_at monotonic, response seconds)."""
    status, _ttfb, total, payload = http_request(port, "POST", "/api/v1/complaints", body,
                                                 {"Content-Type": "application/json"}, timeout, started)
    accepted_at = time.monotonic()
    reference = json.loads(payload)["reference"] if status == 201 else None
    return status, reference, accepted_at, total


def open_loop(rate, seconds, fire, workers=32):
    """Call `fire(i, due)` for i in range(rate*seconds), request i due at start + i/rate, on a thread pool.

    Returns (results in order, errors, lag) where lag is how late the generator itself handed work out (s)."""
    count = max(1, int(rate * seconds))
    start = time.monotonic() + 0.1
    lag = 0.0

    def guarded(i, due):
        try:
            return fire(i, due), None
        except Exception as exc:  # noqa: BLE001 - one failed request is a result, not the end of the run
            return None, f"{type(exc).__name__}: {exc}"

    with ThreadPoolExecutor(workers) as pool:
        futures = []
        for i in range(count):
            due = start + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                lag = max(lag, -delay)
            futures.append(pool.submit(guarded, i, due))
        outcomes = [f.result() for f in futures]
    return [r for r, _ in outcomes], [e for _, e in outcomes if e], lag
