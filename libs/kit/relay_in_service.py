"""A service's outbox relay as a greenthread of the service's own process (`OUTBOX_RELAY=in-service`).

Why: on this stack a Python process is 60–90 MB of imported code before it does anything, and the relays' own
process was 62 MB of a small box's 400 MB budget (issue 21); inside its service a relay costs about 2 MB (pika
and the relay module). `make run` and the benchmark run the relays this way. Compose and Kubernetes keep one relay
container per service (`OUTBOX_RELAY=process`, the default): there a relay restarts and scales on its own.

The guarantees are those of `OutboxRelay` (libs/kit/relay.py), which runs unchanged: under eventlet pika's socket
and psycopg's wait (`PSYCOPG_WAIT_FUNC=wait_select`, set by the runner) yield to the service's workers. A service
killed mid-batch is a relay killed mid-batch: the batch's marks roll back and its rows go out again (consumers'
inboxes drop copies).

The start gate (`OUTBOX_RELAY_GATE`, a file path): on a fresh broker each service declares its own queues as it
starts, so an event published before every service is up would reach only the queues that already exist.
LocalPlatform sets the gate and creates the file once every service answers ready; until then the relay publishes
nothing. Production declares every queue from deploy/rabbitmq/definitions.json before anything starts (no gate).
"""
import os

import eventlet

from libs.kit import config

MODES = ("process", "in-service")
GATE_POLL_SECONDS = 0.1


def relay_mode() -> str:
    mode = config.env("OUTBOX_RELAY", "process")
    if mode not in MODES:
        raise config.ConfigError(f"OUTBOX_RELAY must be one of {', '.join(MODES)}")
    return mode


def relay_database_url(service) -> str:
    """The relay may log in as a role of its own (`INTAKE_RELAY_DATABASE_URL`), which needs only the outbox;
    otherwise it uses the service's database URL."""
    own = config.env(f"{service.upper()}_RELAY_DATABASE_URL")
    return config.database_url(service) if own is None else config.database_url_from(own)


class InServiceRelay:
    """Start with `start()` after the service's runner has started, stop with `stop()` before stopping it."""

    def __init__(self, service):
        from libs.kit.db import make_engine
        from libs.kit.relay import OutboxRelay  # imported only where a relay runs in the service
        self.gate = config.env("OUTBOX_RELAY_GATE")
        self.relay = OutboxRelay(service, make_engine(relay_database_url(service)), config.amqp_uri())
        self.thread = None

    def start(self):
        self.thread = eventlet.spawn(self._run)

    def _run(self):
        while self.gate and not os.path.exists(self.gate) and not self.relay.stopping.is_set():
            self.relay.stopping.wait(GATE_POLL_SECONDS)
        self.relay.run_forever()

    def stop(self):
        self.relay.stop()

    def wait(self):
        if self.thread is not None:
            self.thread.wait()
        self.relay.engine.dispose()
