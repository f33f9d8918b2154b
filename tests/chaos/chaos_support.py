"""Helpers of the chaos suites: a scenario's vhost, database and platform on the private servers, a load
generator with idempotent retries, counters, and the result record (bench/results/chaos.json)."""
import json
import os
import platform as host_platform
import secrets
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pika
import requests
from sqlalchemy import create_engine, text

from devtools.local_platform import LocalPlatform
from libs.kit.config import SERVICES
from support.platform import complaint, free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
RESULTS_FILE = Path(os.environ.get("CHAOS_RESULTS_FILE", REPO_ROOT / "bench" / "results" / "chaos.json"))
PARTNERS = "kifid,nationale-ombudsman"
HANDLER_QUEUES = {"routing": "evt-intake-complaint.received--routing.on_complaint_received",
                  "analytics": "evt-intake-complaint.received--analytics.on_complaint_received"}


class Scenario:
    """One scenario's vhost, database and (optionally) platform on the private servers."""

    def __init__(self, infra, name, smtp_port, log_dir):
        self.infra = infra
        self.name = f"{name}_{secrets.token_hex(3)}"
        infra.rabbit.add_vhost(self.name)
        infra.postgres.create_database(self.name)
        self.amqp_uri = infra.rabbit.uri(self.name)
        self.pg_url = infra.postgres.url(self.name)
        self.engine = create_engine(self.pg_url, pool_pre_ping=True)
        self.log_dir = log_dir
        self.web_port = free_port()
        self.env = {
            "AMQP_URI": self.amqp_uri, "DATABASE_URL": self.pg_url,
            "VOORPORTAAL_VAR_DIR": str(log_dir / "var"),
            "WEB_SERVER_ADDRESS": f"127.0.0.1:{self.web_port}",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.web_port}",
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port),
            "NOTIFICATION_WEB_ADDRESS": f"127.0.0.1:{free_port()}",
            "NOTIFICATION_WEBHOOK_SECRET": "5e" * 32,
            "DECLARE_PARTNER_QUEUES": "true",
            "ANALYTICS_WEB_ADDRESS": f"127.0.0.1:{free_port()}", "ANALYTICS_REPORT_TOKEN": "ab" * 16,
            "INTAKE_RATE_PER_CLIENT": "100000", "INTAKE_BURST_PER_CLIENT": "100000",
            "INTAKE_RATE_GLOBAL": "100000", "INTAKE_BURST_GLOBAL": "100000",
            "EVENT_MAX_ATTEMPTS": "3", "LOG_LEVEL": "WARNING",
        }
        for service in SERVICES:
            self.env[f"{service.upper()}_METRICS_PORT"] = str(free_port())
            self.env[f"{service.upper()}_RELAY_METRICS_PORT"] = str(free_port())
        self.platform = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.web_port}"

    def start_platform(self):
        # the relays inside their services, as `make run` and the benchmark run them: a consumer killed mid-batch is
        # its relay killed mid-batch too (scenario 5 kills relays of their own, the production layout)
        self.platform = LocalPlatform(env=self.env, log_dir=self.log_dir, relays="in-service").start()
        return self.platform

    def close(self):
        if self.platform is not None:
            self.platform.stop()
        self.engine.dispose()

    # -- counting ------------------------------------------------------------------------------------------
    def scalar(self, sql, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def rows(self, sql, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).fetchall()

    def plan_refs(self):
        return {row[0] for row in self.rows("SELECT case_ref FROM routing_plans")}

    def wait_until(self, predicate, timeout, interval=0.5):
        """True when `predicate()` held before `timeout` s; DB errors (a restart) count as not yet."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if predicate():
                    return True
            except Exception:  # noqa: BLE001 - the database may be coming back
                pass
            time.sleep(interval)
        return False

    def queue_depths(self, queues):
        """{queue: ready messages} by passive declare (no management plugin on the private node)."""
        depths = {}
        try:
            connection = pika.BlockingConnection(pika.URLParameters(self.amqp_uri))
        except Exception as exc:  # noqa: BLE001 - the broker may be down
            return {"broker": type(exc).__name__}
        try:
            for queue in queues:
                channel = connection.channel()
                try:
                    depths[queue] = channel.queue_declare(queue, passive=True).method.message_count
                    channel.close()
                except Exception as exc:  # noqa: BLE001
                    depths[queue] = type(exc).__name__
        finally:
            try:
                connection.close()
            except Exception:  # noqa: BLE001
                pass
        return depths

    def exited(self):
        """Platform processes that exited by themselves (the chaos tests restart the ones they kill)."""
        if self.platform is None:
            return {}
        return {name: p.returncode for name, p in self.platform.processes.items() if p.poll() is not None}

    def snapshot(self):
        """Where the pipeline stands: plans, unpublished outbox rows, inbox rows, handler queue depths."""
        state = {"exited": self.exited()} if self.exited() else {}
        try:
            state["plans"] = self.scalar("SELECT count(*) FROM routing_plans")
            for service in SERVICES:
                state[f"{service}_outbox_pending"] = self.scalar(
                    f"SELECT count(*) FROM {service}_outbox WHERE published_at IS NULL")
                state[f"{service}_inbox"] = self.scalar(f"SELECT count(*) FROM {service}_inbox")
        except Exception as exc:  # noqa: BLE001
            state["db"] = type(exc).__name__
        state.update(self.queue_depths([HANDLER_QUEUES["routing"]]))
        return state

    def wait_logged(self, predicate, timeout, every=10):
        """wait_until, printing a snapshot every `every` s (the figures say where a stall is)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.wait_until(predicate, timeout=min(every, deadline - time.monotonic())):
                return True
            print(f"  waiting: {self.snapshot()}", flush=True)
        return False

    def drain_queue(self, queue, idle=3.0, limit=None):
        """Every message now in `queue` (acked): [(properties, body dict)]. Stops after `idle` s of silence."""
        got = []
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_uri))
        channel = connection.channel()
        channel.basic_qos(prefetch_count=500)
        for method, props, body in channel.consume(queue, inactivity_timeout=idle):
            if method is None:
                break
            got.append((props, json.loads(body)))
            channel.basic_ack(method.delivery_tag)
            if limit and len(got) >= limit:
                break
        channel.cancel()
        connection.close()
        return got


# -- load -------------------------------------------------------------------------------------------------
class Filer:
    """Files complaints with an Idempotency-Key each, retrying a complaint until it gets its 201.

    `statuses` counts every answer (or the error class when there was none), `accepted` maps key → reference.
    """

    def __init__(self, base_url, retry=True, timeout=10):
        self.base_url = base_url
        self.retry = retry
        self.timeout = timeout
        self.accepted = {}
        self.accepted_at = {}  # reference -> time.monotonic() of its first 201
        self.statuses = {}
        self.latencies = []
        self.lock = threading.Lock()
        self.session_local = threading.local()

    def _count(self, status, latency=None):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if latency is not None:
                self.latencies.append(latency)

    def _http(self):
        if not hasattr(self.session_local, "session"):
            self.session_local.session = requests.Session()
        return self.session_local.session

    def file_one(self, body=None, deadline=None):
        key = uuid.uuid4().hex
        body = body or complaint(wants_mediation=False)
        while True:
            started = time.monotonic()
            try:
                response = self._http().post(f"{self.base_url}/api/v1/complaints", json=body, timeout=self.timeout,
                                             headers={"Idempotency-Key": key})
                status = response.status_code
            except requests.RequestException as exc:
                status, response = type(exc).__name__, None
            self._count(status, time.monotonic() - started)
            if status == 201:
                with self.lock:
                    self.accepted[key] = response.json()["reference"]
                    self.accepted_at.setdefault(self.accepted[key], time.monotonic())
                return response.json()["reference"]
            if not self.retry or (deadline and time.monotonic() > deadline):
                return None
            time.sleep(0.2)

    def file_many(self, count, workers=4, body_for=None, deadline=None, on_progress=None, rate=None):
        """`count` complaints from `workers` threads; with `rate`, complaint i is sent at i/rate s (paced)."""
        done = [0]
        begin = time.monotonic()

        def one(i):
            if rate:
                time.sleep(max(0.0, begin + i / rate - time.monotonic()))
            reference = self.file_one(body_for(i) if body_for else None, deadline)
            with self.lock:
                done[0] += 1
                if on_progress:
                    on_progress(done[0])
            return reference
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(one, range(count)))

    def percentile(self, p):
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else None


def metric_total(port, name, **labels):
    """The sum of a Prometheus counter's samples with these labels (0 when absent)."""
    body = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    total = 0.0
    for line in body.splitlines():
        if (line.startswith(name + "{") or line.startswith(name + " ")) and \
                all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


# -- the record -------------------------------------------------------------------------------------------
def record(name, summary, figures, targets, passed, started):
    """Print a one-line summary and append a JSON record to bench/results/chaos.json (a JSON list)."""
    entry = {
        "scenario": name, "summary": summary, "figures": figures, "targets": targets, "passed": passed,
        "seconds": round(time.monotonic() - started, 1),
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{host_platform.node()} {os.cpu_count()} cores {host_platform.machine()} "
                   f"Python {host_platform.python_version()}",
    }
    print(f"\nCHAOS {name}: {summary} [{'PASS' if passed else 'FAIL'}] ({entry['seconds']} s)", flush=True)
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        existing = json.loads(RESULTS_FILE.read_text())
        if not isinstance(existing, list):
            existing = [existing]
    except (OSError, ValueError):
        existing = []
    existing.append(entry)
    RESULTS_FILE.write_text(json.dumps(existing, indent=1) + "\n")
    return entry
