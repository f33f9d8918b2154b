"""The benchmark's own RabbitMQ node and PostgreSQL cluster, on free loopback ports, removed at the end.

Why private: the statement counts need `pg_stat_statements`, which must be in `shared_preload_libraries`, and
the shared PostgreSQL on 5432 (used by other test runs) is not reconfigured by a benchmark. A private broker
and cluster also keep other people's test traffic out of the CPU figures: `cpu_accounting` counts exactly the
process trees started here.

Built on tests/chaos/private_infra.py (the chaos suites' private servers), with:
- PostgreSQL: the shared cluster's durability settings (fsync, synchronous_commit and full_page_writes on,
  shared_buffers 128 MB), `pg_stat_statements` preloaded (top-level statements, utility statements such as
  BEGIN/COMMIT included), more connections; one login role per process kind (`intake`, `intake_relay`, ...)
  so that pg_stat_statements, which keys on user and query, splits the statements by service;
- RabbitMQ: the management plugin on its own port, so the benchmark reads queue depths as before.
"""
import os
import sys
from pathlib import Path

import psycopg
import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "chaos"))

from private_infra import PrivateInfra, PrivatePostgres, PrivateRabbit, free_port  # noqa: E402

AUTH = ("guest", "guest")


class BenchPostgres(PrivatePostgres):
    def start(self, timeout=60):
        options = " ".join([
            f"-p {self.port}", f"-k {self.socket_dir}", "-c listen_addresses=127.0.0.1",
            "-c fsync=on", "-c synchronous_commit=on", "-c full_page_writes=on",  # as the shared cluster
            "-c shared_buffers=128MB", "-c max_connections=300", "-c max_wal_size=4GB",
            "-c shared_preload_libraries=pg_stat_statements", "-c pg_stat_statements.track=top",
            "-c pg_stat_statements.track_utility=on", "-c pg_stat_statements.max=10000",
            # for the growth phase's diagnosis (latency stalls with a million stored): what the server did meanwhile
            "-c log_checkpoints=on", "-c log_autovacuum_min_duration=1000", "-c log_lock_waits=on",
        ])
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_file), "-w", "-t", str(timeout),
                  "-o", options, "start", timeout=timeout + 10)
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        return self

    def log_offset(self) -> int:
        return self.log_file.stat().st_size if self.log_file.exists() else 0

    def server_events_since(self, offset: int) -> dict:
        """Checkpoints, autovacuum/autoanalyze runs (over 1 s) and lock waits (over 1 s) the server logged since
        `offset`: counts and table names only (the log lines of lock waits may quote statements)."""
        with open(self.log_file, "rb") as log:
            log.seek(offset)
            lines = log.read().decode(errors="replace").splitlines()
        vacuumed = sorted({line.split('"')[1].split(".")[-1] for line in lines
                           if "automatic vacuum of table" in line or "automatic analyze of table" in line})
        return {"checkpoints": sum("checkpoint complete" in line for line in lines),
                "autovacuum_tables": vacuumed,
                "lock_waits": sum("still waiting for" in line for line in lines)}

    def postmaster_pid(self):
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def add_role(self, name):
        """A login role per process kind (superuser: the bench's cluster only, trust authentication)."""
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is None:
                conn.execute(f'CREATE ROLE "{name}" LOGIN SUPERUSER')

    def libpq_url(self, database, user="postgres", application_name=None):
        url = f"postgresql://{user}@127.0.0.1:{self.port}/{database}"
        return url + (f"?application_name={application_name}" if application_name else "")


class BenchRabbit(PrivateRabbit):
    def __init__(self, base_dir):
        super().__init__(base_dir)
        self.node = f"bench-{self.node.split('-', 1)[1]}"
        self.management_port = free_port()
        with open(self.base / "rabbitmq.conf", "a") as conf:
            conf.write(f"management.tcp.port = {self.management_port}\nmanagement.tcp.ip = 127.0.0.1\n")
        (self.base / "enabled_plugins").write_text("[rabbitmq_management].\n")

    @property
    def management(self):
        return f"http://127.0.0.1:{self.management_port}/api"

    def add_vhost(self, name):
        requests.put(f"{self.management}/vhosts/{name}", auth=AUTH, timeout=30).raise_for_status()
        requests.put(f"{self.management}/permissions/{name}/guest", auth=AUTH, timeout=30,
                     json={"configure": ".*", "write": ".*", "read": ".*"}).raise_for_status()

    def wait_management(self, timeout=60):
        import time
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(f"{self.management}/overview", auth=AUTH, timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("the bench broker's management API did not answer")
            time.sleep(0.3)

    def queue_depths(self, vhost):
        """{queue name: messages} of a vhost (the management API's figures lag a few seconds)."""
        queues = requests.get(f"{self.management}/queues/{vhost}", auth=AUTH, timeout=10,
                              params={"columns": "name,messages"}).json()
        return {q["name"]: q.get("messages") or 0 for q in queues}


class BenchInfra(PrivateInfra):
    """Both servers in one temp dir; `close()` stops them and removes the directory."""

    def __init__(self):
        import tempfile
        self.dir = Path(tempfile.mkdtemp(prefix="vp-bench-"))
        self.dir.chmod(0o755)  # the postgres user must reach its subdirectory
        self.rabbit = BenchRabbit(self.dir)
        self.postgres = BenchPostgres(self.dir)

    def start(self):
        super().start()
        self.rabbit.wait_management()
        return self

    def process_roots(self):
        """{root pid: group} for cpu_accounting: the postmaster (its backends are its children) and the beam."""
        return {self.postgres.postmaster_pid(): "postgresql", self.rabbit.beam_pid(): "rabbitmq"}
