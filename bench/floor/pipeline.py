"""Start and stop the floor's processes (services.py intake and consumer, relay.py; or the same-topology floor's
five services and its relay), like LocalPlatform
does for the platform: `processes` maps a name to its Popen, for the CPU accounting."""
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pika

from floor import store

HERE = Path(__file__).resolve().parent
CONSUMER_QUEUE = f"evt-{store.INTAKE}-{store.EVENT_TYPE}--{store.CONSUMER}.on_complaint_received"


def handler_queues(service):
    """nameko's queue names for a same-topology floor service's handlers."""
    return [f"evt-{source}-{event_type}--{service}.on_{event_type.replace('.', '_')}"
            for source, event_type in store.TOPOLOGY[service]]


class FloorPipeline:
    def __init__(self, amqp_uri, database_url, port, log_dir, role_url=None, topology="single"):
        """`role_url(role)`: the database URL for a process's role (default: `database_url` for all);
        `topology="platform"`: the same-topology floor (store.TOPOLOGY), five services instead of two."""
        self.amqp_uri, self.port, self.log_dir = amqp_uri, port, Path(log_dir)
        self.topology = topology
        self.role_url = role_url or (lambda _role: database_url)
        self.processes = {}

    def _spawn(self, name, args, role, **env):
        self.log_dir.mkdir(parents=True, exist_ok=True)
        out = open(self.log_dir / f"{name}.log", "ab")
        env = {"AMQP_URI": self.amqp_uri, "FLOOR_DATABASE_URL": self.role_url(role), "PYTHONUNBUFFERED": "1",
               "PATH": "/usr/bin:/bin", "FLOOR_TOPOLOGY": self.topology, **env}
        self.processes[name] = subprocess.Popen([sys.executable, str(HERE / args[0]), *args[1:]], env=env,
                                                cwd=HERE, stdout=out, stderr=subprocess.STDOUT)
        out.close()

    def _wait(self, name, ready, timeout=60):
        deadline = time.monotonic() + timeout
        while not ready():
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"floor {name} exited while starting; see {self.log_dir / (name + '.log')}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"floor {name} not ready after {timeout}s")
            time.sleep(0.2)

    def _queue_exists(self, queue):
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_uri))
        try:
            connection.channel().queue_declare(queue, passive=True)
            return True
        except pika.exceptions.ChannelClosedByBroker:
            return False
        finally:
            if connection.is_open:
                connection.close()

    def _http_up(self):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=1)
        except urllib.error.HTTPError:
            return True  # any answer: it listens
        except OSError:
            return False
        return True

    def start(self):
        try:
            if self.topology == "platform":
                self._start_shaped()
            else:
                self._spawn("consumer", ["services.py", "consumer"], store.CONSUMER)
                self._wait("consumer", lambda: self._queue_exists(CONSUMER_QUEUE))
                self._spawn("relay", ["relay.py"], "floor_relay")
                self._wait("relay", lambda: b"ready" in (self.log_dir / "relay.log").read_bytes())
                self._spawn("intake", ["services.py", "intake"], store.INTAKE,
                            WEB_SERVER_ADDRESS=f"127.0.0.1:{self.port}")
                self._wait("intake", self._http_up)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_shaped(self):
        """Every consumer's queues first (intake's referral.planned handler included), then the relay."""
        for service in store.TOPOLOGY:  # one after the other: each creates the tables at start (CREATE races)
            if service == store.INTAKE:
                name = "intake"
                self._spawn(name, ["services.py", "shaped-intake"], service,
                            WEB_SERVER_ADDRESS=f"127.0.0.1:{self.port}")
            else:
                name = service.removeprefix("floor_")
                self._spawn(name, ["services.py", service], service)
            self._wait(name, lambda service=service: all(map(self._queue_exists, handler_queues(service))))
        self._wait("intake", self._http_up)
        self._spawn("relay", ["relay.py"], "floor_relay")
        self._wait("relay", lambda: b"ready" in (self.log_dir / "relay.log").read_bytes())

    def stop(self):
        for name in ("intake", *(n for n in self.processes if n not in ("intake", "relay")), "relay"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
