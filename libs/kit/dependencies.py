"""nameko dependency providers shared by the four services: storage, and ops (logs, metrics, health)."""
import json
import os
import subprocess
import sys
import time

import structlog
from nameko.extensions import DependencyProvider
from sqlalchemy import text

from libs.kit import config, metrics, nameko_fixes, tracing
from libs.kit.db import make_engine, make_session_factory
from libs.kit.migration_errors import MigrationError
from libs.kit.logs import configure_logging, get_logger
from libs.kit.ops_http import serve_ops

log = get_logger()


def prepare_schema(service, engine):
    """On start: bring the schema to the newest revision (local runs: `make run`, the tests), or, where a separate
    migration step runs first (compose, Kubernetes: MIGRATE_ON_START=false), refuse to start on an older schema
    rather than fail on the first query that needs a new column.

    Done by `voorportaal-migrate` in a child process: Alembic and Mako stay out of the long-running service, which
    keeps it about 10 MB smaller (make bench, idle memory); the child costs about 0.4 s at start."""
    migrate = config.env_bool("MIGRATE_ON_START", True)
    # the URL travels in the child's environment, never on its command line (`ps` shows that to every user)
    env = dict(os.environ, **{f"{service.upper()}_DATABASE_URL": engine.url.render_as_string(hide_password=False)})
    child = subprocess.run([sys.executable, "-m", "libs.kit.migrate_cli", service,
                            "--on-start" if migrate else "--check"],
                           env=env, capture_output=True, text=True, check=False)
    if child.returncode != 0:
        # the child's last line says why (a MigrationError's text, or the class of what failed); no URL in it
        lines = [line for line in child.stderr.splitlines() if line.strip()]
        raise MigrationError(lines[-1].removeprefix("voorportaal-migrate: ") if lines
                             else f"{service}: voorportaal-migrate exited with {child.returncode}")
    done = json.loads(child.stdout.strip().splitlines()[-1]) if migrate else None
    if done and (done["from"] != done["to"] or done["stamped"]):
        log.info("schema.migrated", service=service, from_revision=done["from"], to_revision=done["to"],
                 adopted_at=done["stamped"])


class Database(DependencyProvider):
    """Gives each worker the service's session factory; brings the service's schema up to date on start."""

    def __init__(self, service, metadata):
        self.service = service
        self.metadata = metadata
        self.engine = None
        self.session_factory = None

    def setup(self):
        self.engine = make_engine(config.database_url(self.service))
        tracing.instrument_engine(self.engine, self.service)
        # the schema comes from the service's migrations (services/<service>/migrations), which a test keeps equal
        # to self.metadata
        prepare_schema(self.service, self.engine)
        self.session_factory = make_session_factory(self.engine)

    def stop(self):
        if self.engine is not None:
            self.engine.dispose()

    def is_ready(self):
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return False

    def get_dependency(self, worker_ctx):
        return self.session_factory


class Ops(DependencyProvider):
    """Logging context and a trace span per worker, handler timing, and the ops HTTP port (/metrics, /health/*)."""

    def __init__(self, service):
        self.service = service
        self.server = None
        self.started_at = {}
        self.spans = {}  # worker → (span, context token): the worker's span is current while it runs

    def setup(self):
        configure_logging(self.service, config.env("LOG_LEVEL"))
        tracing.configure(self.service)

    def start(self):
        providers = [dp for dp in self.container.dependencies if isinstance(dp, Database)]

        def ready():
            # the event handlers consume too: until then their queues may not exist, and a relay's publish would
            # be unroutable (LocalPlatform starts the relays after this answers ready)
            return nameko_fixes.consumers_ready(self.container) and all(p.is_ready() for p in providers)
        self.server = serve_ops(config.ops_port(self.service), is_ready=ready)
        log.info("service.started", ops_port=config.ops_port(self.service))

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        tracing.flush()

    def worker_setup(self, worker_ctx):
        # each worker is a fresh greenlet with an empty context: bind the service name here too
        context = {"service": self.service, "entrypoint": worker_ctx.entrypoint.method_name}
        envelope = worker_ctx.args[0] if worker_ctx.args and isinstance(worker_ctx.args[0], dict) else None
        if envelope is not None:
            context["event_id"] = str(envelope.get("id"))[:64]
            if envelope.get("correlationid"):
                context["correlation_id"] = str(envelope["correlationid"])[:64]
        structlog.contextvars.bind_contextvars(**context)
        # setup, the method, the ack and teardown all run in this worker's greenthread: the span is current there
        span = worker_span(self.service, worker_ctx)
        self.spans[worker_ctx] = (span, tracing.activate(span))
        self.started_at[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        span, _token = self.spans.get(worker_ctx, (None, None))
        if span is None or not span.is_recording():
            return
        if exc_info is not None:
            tracing.mark_failed(span, exc_info[0])
        status = getattr(result, "status_code", None)
        if isinstance(status, int):
            span.set_attribute("http.response.status_code", status)
            if status >= 500:
                span.set_status(tracing.Status(tracing.StatusCode.ERROR))

    def worker_teardown(self, worker_ctx):
        started = self.started_at.pop(worker_ctx, None)
        if started is not None and worker_ctx.entrypoint.__class__.__name__ != "HttpRequestHandler":
            metrics.EVENT_DURATION.labels(self.service, worker_ctx.entrypoint.method_name).observe(
                time.perf_counter() - started)
        span, token = self.spans.pop(worker_ctx, (None, None))
        if span is not None:
            span.end()
            tracing.deactivate(token)
        structlog.contextvars.unbind_contextvars("entrypoint", "event_id", "correlation_id")


def worker_span(service, worker_ctx):
    """The span of one nameko worker: an HTTP request (SERVER, child of its `traceparent` header), an event
    (CONSUMER, child of the message's `traceparent` header, else of the envelope's), or a timer (a new root, for
    timers that tick at most once a minute)."""
    entrypoint = worker_ctx.entrypoint
    attributes = {"voorportaal.service": service, "voorportaal.entrypoint": entrypoint.method_name}
    if entrypoint.__class__.__name__ == "HttpRequestHandler":
        request = worker_ctx.args[0] if worker_ctx.args else None
        route = tracing.route_template(entrypoint.url)
        method = getattr(request, "method", "GET")
        attributes.update({"http.request.method": method, "http.route": route})
        # an incoming tracestate is not taken over (tracing.py): free text from outside would travel to partners
        parent = tracing.context_from(request.headers.get("traceparent") if request is not None else None)
        return tracing.start_span(f"{method} {route}", parent, tracing.SpanKind.SERVER, attributes)
    envelope = worker_ctx.args[0] if worker_ctx.args and isinstance(worker_ctx.args[0], dict) else None
    if envelope is not None:
        event_type = getattr(entrypoint, "event_type", None) or "unknown"
        attributes.update({"voorportaal.event_type": event_type, "messaging.system": "rabbitmq",
                           "messaging.operation.type": "process",
                           "messaging.message.id": str(envelope.get("id"))[:64]})
        header = worker_ctx.data.get("traceparent")
        parent = (tracing.context_from(header) if header
                  else tracing.context_from(envelope.get("traceparent"), envelope.get("tracestate")))
        return tracing.start_span(f"process {event_type}", parent, tracing.SpanKind.CONSUMER, attributes)
    interval = getattr(entrypoint, "interval", None)
    if interval is not None and interval < tracing.TIMER_MIN_INTERVAL_SECONDS:
        # a poller or gauge refresher (notification's deliveries every 0.2 s): a root span per tick would be noise
        return tracing.trace.INVALID_SPAN
    return tracing.start_span(entrypoint.method_name, tracing.otel_context.Context(), tracing.SpanKind.INTERNAL,
                              attributes)
