"""The outbox relay: publishes a service's outbox rows to RabbitMQ, then marks them published.

Run one per service (`python -m libs.kit.relay intake`, compose and Kubernetes), several in one process
(`python -m libs.kit.relay intake routing notification analytics`, `make run-relays`), or inside its service
(`OUTBOX_RELAY=in-service`, libs/kit/relay_in_service.py: `make run`). Guarantees:
- publisher confirms + persistent delivery + `mandatory`: a row is marked published only once the broker has
  routed it to at least one queue and confirmed it;
- unroutable or nacked rows stay in the outbox, counted and logged, and are retried with back-off;
- a lost broker connection is re-established with back-off; nothing is marked published meanwhile;
- on PostgreSQL several relays may run side by side (`FOR UPDATE SKIP LOCKED`), and a relay is woken by a
  NOTIFY at the writer's commit (outbox_wakeup.py) rather than finding rows on its next poll;
- a database outage (restart, failover) is waited out with back-off; the process does not exit;
- the relay never creates or changes tables: its outbox comes with the service's migrations (libs/kit/migrations.py);
  until they have run (a fresh database) it waits for the table the same way.
A crash between the broker's confirm and the DB commit republishes a row: consumers deduplicate by event id.
"""
import argparse
import json
import signal
import threading
import time
from datetime import datetime, timedelta, timezone

import pika
import structlog
from pika.exceptions import AMQPChannelError, AMQPConnectionError, NackError, UnroutableError
from sqlalchemy import MetaData, func, select, update
from sqlalchemy.exc import InterfaceError, OperationalError, ProgrammingError

from libs.kit import config, metrics, topology, tracing
from libs.kit.amqp_tls import pika_parameters
from libs.kit.db import make_engine, outbox_table
from libs.kit.logs import configure_logging, get_logger
from libs.kit.ops_http import serve_ops
from libs.kit.outbox import DEFAULT_RETENTION_DAYS, prune_published
from libs.kit.outbox_wakeup import RelayWakeup

log = get_logger()
MAX_RETRY_DELAY_SECONDS = 60
PRUNE_EVERY_SECONDS = 3600
# the outbox gauges are read this often: alerts on the backlog look at minutes, and every read is a query
GAUGES_EVERY_SECONDS = 5


UNDEFINED_TABLE = "42P01"  # PostgreSQL's SQLSTATE for a table that does not exist (yet)


def outbox_missing(exc) -> bool:
    """PostgreSQL reports a missing table as a ProgrammingError (SQLite as an OperationalError, handled anyway)."""
    return isinstance(exc, ProgrammingError) and getattr(exc.orig, "sqlstate", None) == UNDEFINED_TABLE


def retry_delay(attempts):
    return min(MAX_RETRY_DELAY_SECONDS, 0.5 * 2 ** min(attempts, 8))


class OutboxRelay:
    def __init__(self, service, engine, amqp_uri, batch_size=100, idle_sleep=0.02, fallback_poll=0.5,
                 retention_days=None):
        self.service = service
        # published rows are pruned after this many days (OUTBOX_RETENTION_DAYS; libs/kit/outbox.py says why)
        self.retention_days = retention_days if retention_days is not None else config.env_int(
            "OUTBOX_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
        if self.retention_days < 0:
            raise config.ConfigError("OUTBOX_RETENTION_DAYS must be 0 or more")
        self.engine = engine
        self.amqp_uri = amqp_uri
        self.batch_size = batch_size
        self.idle_sleep = idle_sleep  # SQLite: poll this often
        self.fallback_poll = fallback_poll  # PostgreSQL: woken by NOTIFY at commit, polls this often anyway
        self.outbox = outbox_table(MetaData(), service)
        self.traced = tracing.configure(f"{service}-relay")  # main() may have configured the process already
        self.connection = None
        self.channel = None
        self.stopping = threading.Event()
        self.wakeup = RelayWakeup(engine, self.outbox.name, self.stopping)
        self.connected = False
        self.last_batch_rows = 0  # due rows the last batch took, published or not: fewer than a batch = outbox drained

    # -- broker ---------------------------------------------------------------------------------------------
    def _connect(self):
        params = pika_parameters(self.amqp_uri)
        params.heartbeat = 30
        params.blocked_connection_timeout = 30
        self.connection = pika.BlockingConnection(params)
        self.channel = self.connection.channel()
        self.channel.confirm_delivery()
        topology.declare_base(self.channel, (self.service,))  # its own part only: least privilege
        self.connected = True
        log.info("relay.connected")

    def _disconnect(self):
        self.connected = False
        try:
            if self.connection is not None and self.connection.is_open:
                self.connection.close()
        except Exception:  # noqa: BLE001 - closing a dead connection may fail in many ways; we reconnect anyway
            pass
        self.connection = self.channel = None

    def _publish(self, row):
        if not self.traced:
            self._basic_publish(row, None)
            return
        # a PRODUCER span, child of the context the event was made in (the envelope's CloudEvents traceparent);
        # the message's `traceparent` header names this span, so the consumer's span is its child
        try:
            envelope = json.loads(row.body)
        except ValueError:
            envelope = {}  # never written by emit; a trace is not worth failing the publish for
        parent = (tracing.context_from(envelope.get("traceparent"), envelope.get("tracestate"))
                  if isinstance(envelope, dict) else tracing.context_from(None))
        span = tracing.start_span(f"publish {row.routing_key if row.exchange.endswith('.events') else row.exchange}",
                                  parent, tracing.SpanKind.PRODUCER, {
                                      "voorportaal.service": self.service, "messaging.system": "rabbitmq",
                                      "messaging.operation.type": "send", "messaging.destination.name": row.exchange,
                                      "messaging.message.id": row.event_id})
        token = tracing.activate(span)
        try:
            self._basic_publish(row, tracing.current_trace_context() or None)
        except Exception as exc:
            tracing.mark_failed(span, type(exc))
            raise
        finally:
            tracing.deactivate(token)
            span.end()

    def _basic_publish(self, row, headers):
        self.channel.basic_publish(
            exchange=row.exchange, routing_key=row.routing_key, body=row.body.encode(),
            properties=pika.BasicProperties(content_type=row.content_type, delivery_mode=2,
                                            message_id=row.event_id, headers=headers),
            mandatory=True)

    # -- outbox ---------------------------------------------------------------------------------------------
    def _take_due_rows(self, now):
        """Mark a batch of due rows published and return them, in one statement (issue 21: the SELECT … FOR UPDATE
        and the UPDATE were two per batch). Nothing is published yet: the mark commits only with the batch, so a
        relay that dies while publishing leaves every row of its batch unpublished (republished later; consumers'
        inboxes drop the copies), and rows the broker did not take are put back before the commit."""
        due = (select(self.outbox.c.id).where(self.outbox.c.published_at.is_(None))
               .where(self.outbox.c.next_attempt_at <= now)
               .order_by(self.outbox.c.id).limit(self.batch_size))
        if self.engine.dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)  # two relays of one service never take the same row
        return update(self.outbox).where(self.outbox.c.id.in_(due.scalar_subquery())).values(
            published_at=now).returning(*self.outbox.c)

    def publish_batch(self):
        """Publish one batch of due rows. Returns how many were published."""
        if self.channel is None:
            self._connect()
        now = datetime.now(timezone.utc)
        lost = None
        with self.engine.begin() as conn:
            # RETURNING has no order; publish in the order the rows were written
            rows = sorted(conn.execute(self._take_due_rows(now)).fetchall(), key=lambda row: row.id)
            self.last_batch_rows = len(rows)
            published = 0
            for position, row in enumerate(rows):
                try:
                    self._publish(row)
                except (UnroutableError, NackError) as exc:
                    reason = "unroutable" if isinstance(exc, UnroutableError) else "nacked"
                    self._record_failure(conn, row, reason, now)
                    continue
                except (AMQPConnectionError, AMQPChannelError) as exc:
                    # put back this row (it may or may not have arrived: sent again, an inbox drops the copy) and
                    # the rest; commit what the broker confirmed, then let the caller reconnect
                    self._put_back(conn, [later.id for later in rows[position:]])
                    lost = exc
                    break
                published += 1
        if published:
            metrics.OUTBOX_PUBLISHED.labels(self.service).inc(published)
        if lost is not None:
            raise lost
        return published

    def _put_back(self, conn, ids):
        if ids:
            conn.execute(update(self.outbox).where(self.outbox.c.id.in_(ids)).values(published_at=None))

    def _record_failure(self, conn, row, reason, now):
        attempts = (row.attempts or 0) + 1
        conn.execute(update(self.outbox).where(self.outbox.c.id == row.id).values(
            published_at=None, attempts=attempts, last_error=reason,
            next_attempt_at=now + timedelta(seconds=retry_delay(attempts))))
        metrics.OUTBOX_FAILURES.labels(self.service, reason).inc()
        log.error("relay.publish_failed", reason=reason, event_id=row.event_id, exchange=row.exchange,
                  routing_key=row.routing_key, attempts=attempts)

    def prune(self, now=None) -> int:
        """Delete the rows published more than `retention_days` ago (hourly from run_forever)."""
        with self.engine.begin() as conn:
            pruned = prune_published(conn, self.outbox, self.retention_days, now)
        if pruned:
            log.info("relay.outbox_pruned", rows=pruned, retention_days=self.retention_days)
        return pruned

    def refresh_gauges(self):
        with self.engine.connect() as conn:
            pending, oldest = conn.execute(
                select(func.count(), func.min(self.outbox.c.created_at))
                .where(self.outbox.c.published_at.is_(None))).one()
        metrics.OUTBOX_PENDING.labels(self.service).set(pending)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=timezone.utc)  # SQLite returns naive datetimes
        age = (datetime.now(timezone.utc) - oldest).total_seconds() if oldest else 0
        metrics.OUTBOX_OLDEST_AGE.labels(self.service).set(max(age, 0))

    # -- loop -----------------------------------------------------------------------------------------------
    def run_forever(self):
        # a thread starts with an empty logging context: name the relay on every line it writes
        structlog.contextvars.bind_contextvars(service=f"{self.service}-relay")
        backoff = 0.2
        last_gauges = 0.0
        last_prune = None
        while not self.stopping.is_set():
            try:
                self.publish_batch()
                backoff = 0.2
                if time.monotonic() - last_gauges > GAUGES_EVERY_SECONDS:
                    self.refresh_gauges()
                    last_gauges = time.monotonic()
                if last_prune is None or time.monotonic() - last_prune > PRUNE_EVERY_SECONDS:
                    self.prune()
                    last_prune = time.monotonic()
                if self.last_batch_rows < self.batch_size:
                    # a batch that was not full emptied the outbox of due rows: wait for the next NOTIFY (one sent
                    # while this batch ran is already waiting and returns at once) instead of polling once more,
                    # which cost a transaction per batch (make bench). Counted in rows taken, not published: a
                    # full batch with one unroutable row leaves more due rows behind it
                    self.wakeup.wait(self.fallback_poll if self.wakeup.listening else self.idle_sleep)
            except (AMQPConnectionError, AMQPChannelError, OSError) as exc:
                metrics.OUTBOX_FAILURES.labels(self.service, "connection").inc()
                log.warning("relay.broker_unavailable", error=type(exc).__name__, retry_in_s=backoff)
                self._disconnect()
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, 5.0)
            except (OperationalError, InterfaceError, ProgrammingError) as exc:
                # the database went away (restart, failover): the batch's transaction rolled back, so its rows
                # are still unpublished and go out again (consumers deduplicate by id). Wait, keep the broker.
                # Or the outbox table is not there yet: the service's migrations have not run. Wait for them.
                if isinstance(exc, ProgrammingError) and not outbox_missing(exc):
                    raise
                metrics.OUTBOX_FAILURES.labels(self.service, "database").inc()
                log.warning("relay.schema_missing" if outbox_missing(exc) else "relay.database_unavailable",
                            error=type(exc.orig).__name__, retry_in_s=backoff)
                self.engine.dispose()
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        self._disconnect()
        self.wakeup.close()
        tracing.flush()

    def stop(self):
        self.stopping.set()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Publish services' outboxes to RabbitMQ")
    parser.add_argument("services", nargs="+", choices=config.SERVICES, metavar="service",
                        help="one relay per service named, each in its own thread (one process saves memory on a "
                             "small box; production runs one process per service)")
    args = parser.parse_args(argv)
    names = list(dict.fromkeys(args.services))
    process_name = f"{names[0]}-relay" if len(names) == 1 else "relays"
    configure_logging(process_name, config.env("LOG_LEVEL"))
    tracing.configure(process_name)
    relays = [OutboxRelay(service, make_engine(config.database_url(service)), config.amqp_uri())
              for service in names]
    for relay in relays:
        # each relay keeps its own ops port; in a combined process each port shows the process's metrics
        serve_ops(config.relay_port(relay.service), is_ready=lambda relay=relay: relay.connected)

    def stop_all(*_):
        for relay in relays:
            relay.stop()
    signal.signal(signal.SIGTERM, stop_all)
    signal.signal(signal.SIGINT, stop_all)
    threads = [threading.Thread(target=relay.run_forever, name=f"{relay.service}-relay") for relay in relays]
    for thread in threads:
        thread.start()
    log.info("relay.started", services=names)
    while any(thread.is_alive() for thread in threads):
        for thread in threads:
            thread.join(timeout=0.5)  # short joins keep the main thread free for the signal handlers
    log.info("relay.stopped")


if __name__ == "__main__":
    main()
