"""nameko dependency providers shared by the four services: storage, and ops (logs, metrics, health)."""
import time

import structlog
from nameko.extensions import DependencyProvider
from sqlalchemy import text

from libs.kit import config, metrics, nameko_fixes
from libs.kit.db import make_engine, make_session_factory
from libs.kit.migrations import MigrationError, head, is_at_head, upgrade
from libs.kit.logs import configure_logging, get_logger
from libs.kit.ops_http import serve_ops

log = get_logger()


def prepare_schema(service, engine):
    """On start: bring the schema to the newest revision (local runs: `make run`, the tests), or, where a separate
    migration step runs first (compose, Kubernetes: MIGRATE_ON_START=false), refuse to start on an older schema
    rather than fail on the first query that needs a new column."""
    if config.env_bool("MIGRATE_ON_START", True):
        done = upgrade(service, engine)
        if done["from"] != done["to"] or done["stamped"]:
            log.info("schema.migrated", service=service, from_revision=done["from"], to_revision=done["to"],
                     adopted_at=done["stamped"])
    elif not is_at_head(service, engine):
        raise MigrationError(f"{service}: the database is not at revision {head(service)}; run "
                             f"`voorportaal-migrate {service}` first (docs/operations.md, \"Schema migrations\")")


class Database(DependencyProvider):
    """Gives each worker the service's session factory; brings the service's schema up to date on start."""

    def __init__(self, service, metadata):
        self.service = service
        self.metadata = metadata
        self.engine = None
        self.session_factory = None

    def setup(self):
        self.engine = make_engine(config.database_url(self.service))
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
    """Logging context per worker, handler timing, and the ops HTTP port (/metrics, /health/*)."""

    def __init__(self, service):
        self.service = service
        self.server = None
        self.started_at = {}

    def setup(self):
        configure_logging(self.service, config.env("LOG_LEVEL"))

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

    def worker_setup(self, worker_ctx):
        # each worker is a fresh greenlet with an empty context: bind the service name here too
        context = {"service": self.service, "entrypoint": worker_ctx.entrypoint.method_name}
        envelope = worker_ctx.args[0] if worker_ctx.args and isinstance(worker_ctx.args[0], dict) else None
        if envelope is not None:
            context["event_id"] = str(envelope.get("id"))[:64]
            if envelope.get("correlationid"):
                context["correlation_id"] = str(envelope["correlationid"])[:64]
        structlog.contextvars.bind_contextvars(**context)
        self.started_at[worker_ctx] = time.perf_counter()

    def worker_teardown(self, worker_ctx):
        started = self.started_at.pop(worker_ctx, None)
        if started is not None and worker_ctx.entrypoint.__class__.__name__ != "HttpRequestHandler":
            metrics.EVENT_DURATION.labels(self.service, worker_ctx.entrypoint.method_name).observe(
                time.perf_counter() - started)
        structlog.contextvars.unbind_contextvars("entrypoint", "event_id", "correlation_id")
