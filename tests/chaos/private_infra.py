"""A private RabbitMQ node and a private PostgreSQL cluster for the chaos suites, on free loopback ports.

The chaos scenarios stop, SIGKILL, freeze and restart the broker and the database; the shared services on
127.0.0.1:5672/5432 are used by other test runs and are never touched. Everything lives in one temporary
directory that `close()` removes:

- RabbitMQ: `/usr/lib/rabbitmq/bin/rabbitmq-server` (not the /usr/sbin wrapper, which switches to the
  `rabbitmq` user and the system node) with its own node name, AMQP port, distribution port, epmd port,
  mnesia/log directories, config file, an empty plugin list (no management listener needed) and its own
  Erlang cookie in `$HOME/.erlang.cookie` of the temp dir (server and rabbitmqctl get the same HOME). A SIGKILL
  and restart reuses the same mnesia directory, so durable quorum queues and their messages survive.
- PostgreSQL: `initdb` + `pg_ctl` from /usr/lib/postgresql/<version>/bin, listening on 127.0.0.1 only, its
  socket in the temp dir. initdb refuses to run as root, so as root the cluster runs as the `postgres` user
  (`runuser`), in a directory chowned to it.
"""
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

RABBIT_BIN = Path("/usr/lib/rabbitmq/bin")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port, timeout=0.5):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PrivateRabbit:
    def __init__(self, base_dir: Path):
        self.base = Path(base_dir) / "rabbitmq"
        self.base.mkdir(parents=True)
        self.node = f"chaos-{secrets.token_hex(3)}@localhost"
        self.port = free_port()
        self.dist_port = free_port()
        self.epmd_port = free_port()
        self.process = None
        (self.base / "home").mkdir()
        cookie = self.base / "home" / ".erlang.cookie"
        cookie.write_text(secrets.token_hex(16).upper())
        cookie.chmod(0o400)
        (self.base / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = 127.0.0.1:{self.port}\n"
            "disk_free_limit.absolute = 50MB\n"
            "vm_memory_high_watermark.relative = 0.2\n"
            "log.console = false\nlog.file.level = warning\n")
        (self.base / "enabled_plugins").write_text("[].\n")
        (self.base / "rabbitmq-env.conf").write_text("")  # not /etc/rabbitmq/rabbitmq-env.conf (NODENAME!)
        self.log_file = self.base / "server.out"

    @property
    def pid_file(self):
        return self.base / "beam.pid"

    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))}
        env.update({
            "HOME": str(self.base / "home"),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "ERL_EPMD_PORT": str(self.epmd_port),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "RABBITMQ_CONF_ENV_FILE": str(self.base / "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": str(self.base / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(self.base / "advanced.config"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.base / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(self.base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.base / "log"),
            "RABBITMQ_PID_FILE": str(self.pid_file),
        })
        return env

    def uri(self, vhost="/"):
        from urllib.parse import quote
        return f"amqp://guest:guest@127.0.0.1:{self.port}/{quote(vhost, safe='')}"

    def ctl(self, *args, timeout=120, check=True):
        return subprocess.run([str(RABBIT_BIN / "rabbitmqctl"), "-n", self.node, *args], env=self.env(),
                              capture_output=True, text=True, timeout=timeout, check=check)

    def start(self, timeout=120):
        out = open(self.log_file, "ab")
        self.process = subprocess.Popen([str(RABBIT_BIN / "rabbitmq-server")], env=self.env(), cwd=self.base,
                                        stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        deadline = time.monotonic() + timeout
        while not port_open(self.port):
            if self.process.poll() is not None:
                raise RuntimeError(f"rabbitmq-server exited ({self.process.returncode}); see {self.log_file}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"private RabbitMQ not listening after {timeout}s; see {self.log_file}")
            time.sleep(0.2)
        self.ctl("await_startup", timeout=timeout)
        return self

    def beam_pid(self):
        return int(self.pid_file.read_text().strip())

    def kill(self):
        """SIGKILL the Erlang VM: no clean shutdown, the mnesia directory stays as it was."""
        pid = self.beam_pid()
        os.kill(pid, signal.SIGKILL)
        self._wait_gone(pid)
        if self.process is not None:
            self.process.wait(timeout=30)
        self.pid_file.unlink(missing_ok=True)

    def freeze(self):
        os.kill(self.beam_pid(), signal.SIGSTOP)

    def thaw(self):
        os.kill(self.beam_pid(), signal.SIGCONT)

    def stop(self, timeout=120):
        if self.process is None:
            return
        if self.pid_file.exists() and pid_alive(self.beam_pid()):
            os.kill(self.beam_pid(), signal.SIGCONT)  # a frozen node cannot stop
            self.ctl("stop", timeout=timeout, check=False)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def add_vhost(self, name):
        self.ctl("add_vhost", name)
        self.ctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")

    def close(self):
        try:
            self.stop()
        finally:
            # the private epmd (started by erl on ERL_EPMD_PORT) goes with it
            epmd = shutil.which("epmd") or next(iter(glob.glob("/usr/lib/erlang/erts-*/bin/epmd")), None)
            if epmd:
                subprocess.run([epmd, "-port", str(self.epmd_port), "-kill"], capture_output=True, timeout=10,
                               env=self.env())

    @staticmethod
    def _wait_gone(pid, timeout=30):
        deadline = time.monotonic() + timeout
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)


class PrivatePostgres:
    def __init__(self, base_dir: Path):
        self.base = Path(base_dir) / "postgres"
        self.base.mkdir(parents=True)
        self.data = self.base / "data"
        self.socket_dir = self.base / "socket"
        self.socket_dir.mkdir()
        self.log_file = self.base / "server.log"
        self.port = free_port()
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not bins:
            raise RuntimeError("no /usr/lib/postgresql/*/bin/pg_ctl")
        self.bin = Path(bins[-1]).parent
        self.run_as = "postgres" if os.geteuid() == 0 else None
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            for path in (self.base, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def _run(self, *args, timeout=120, check=True):
        command = [str(self.bin / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=check,
                              cwd=self.base)

    def init(self):
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--no-instructions")
        return self

    def start(self, timeout=60):
        # fsync off: the chaos scenarios kill processes, never the OS, so the page cache survives them
        options = (f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_file), "-w", "-t", str(timeout),
                  "-o", options, "start", timeout=timeout + 10)
        return self

    def stop(self, mode="fast", check=True):
        """mode 'immediate' is a crash: no checkpoint, WAL recovery on the next start."""
        return self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=check)

    def restart(self, mode="immediate"):
        self.stop(mode)
        self.start()

    def url(self, database):
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def conninfo(self, database="postgres"):
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def create_database(self, name):
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def close(self):
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate", check=False)


class PrivateInfra:
    """Both servers in one temp dir; `close()` stops them and removes the directory."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="vp-chaos-"))
        self.dir.chmod(0o755)  # the postgres user must reach its subdirectory
        self.rabbit = PrivateRabbit(self.dir)
        self.postgres = PrivatePostgres(self.dir)

    def start(self):
        self.postgres.init().start()
        self.rabbit.start()
        return self

    def close(self, keep=False):
        try:
            self.rabbit.close()
        finally:
            self.postgres.close()
            if not keep:
                shutil.rmtree(self.dir, ignore_errors=True)
