"""Consuming events without losing or repeating them: the one way every service handles an event.

A service lists the event types it consumes and a handler for each in its `handlers.py` (one table per service;
docs/events.md shows them all beside the catalogue). `@consumes(HANDLERS, inbox=…, settings=…)` on the nameko
class turns that table into entrypoints. Each handler has one signature, `handler(session, event, settings)`, and
runs inside one database transaction together with its inbox row and its outbox rows:

- **inbox**: the row (event id + handler) is inserted in the same transaction as the effect; a redelivered event
  finds it and is skipped, two concurrent copies collide on the primary key and only one commits;
- **bounded retries**: nameko 2.14's own handler acks (drops) a message whose handler failed, or with
  `requeue_on_error` requeues it forever. `ReliableEventHandler` declares a quorum queue with our dead-letter
  exchange, requeues until EVENT_MAX_ATTEMPTS deliveries, then rejects without requeue: the broker moves the
  message to `voorportaal.dead-letters.<service>` with an `x-death` header saying why;
- a database outage does not use up an event's attempts, and a broker connection lost under a running worker does
  not kill the service (both found by `make chaos`).
"""
from dataclasses import dataclass
from datetime import datetime, timezone

import eventlet
from amqp.exceptions import ConnectionError as AmqpConnectionError
from nameko.events import SERVICE_POOL, EventHandler
from sqlalchemy import String, bindparam, select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from libs.contracts.events import read_internal_event
from libs.contracts.events import CATALOGUE, handler_name
from libs.kit import config, metrics, topology, tracing
from libs.kit.db import Prebuilt, advisory_lock, held_locks, insert_for
from libs.kit.logs import get_logger

log = get_logger()
PROCESSED = "ok"
DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Event:
    """An incoming event, validated against the catalogue: what every handler receives."""
    type: str
    id: str
    data: dict  # loaded by the catalogue's schema (dates as dates)
    raw_data: dict  # the JSON as it travelled
    occurred_at: datetime
    correlation_id: str | None

    @classmethod
    def from_envelope(cls, envelope: dict) -> "Event":
        """Validate; raises ValidationError / ValueError for a malformed envelope, an unknown type or bad data."""
        event_type, data = read_internal_event(envelope)
        try:
            occurred_at = datetime.fromisoformat(envelope["time"])
        except ValueError:
            occurred_at = datetime.now(timezone.utc)
        return cls(event_type, envelope["id"], data, envelope["data"], occurred_at, envelope.get("correlationid"))


# -- the inbox ------------------------------------------------------------------------------------------------
def _claim(session, inbox, event_id, name, lock=None) -> bool:
    """Insert the inbox row unless it exists: one round trip. On PostgreSQL an uncommitted copy of the same
    event makes this wait; once that copy commits this returns False (and True if it rolled back).

    `lock` (scope, key): the handler's advisory lock (db.lock_until_commit), taken in the same statement once the
    row is claimed — one round trip instead of two for every event of a handler that serialises per case. Only
    the lock: a handler's reads (a tombstone, the case's row) must come in later statements, whose snapshot
    includes what the lock's previous holder committed."""
    params = {"event_id": event_id, "handler": name, "processed_at": datetime.now(timezone.utc)}
    dialect = session.get_bind().dialect.name
    locking = lock is not None and dialect == "postgresql"
    if locking:
        params["lock_key"] = "".join(lock)
    # no claimed row (a duplicate): nothing returned, and with the lock no row to evaluate it for, so none taken
    claimed = _claim_statement(session, inbox, dialect, locking).execute(session, params).first() is not None
    if claimed and locking:
        held_locks(session).add(params["lock_key"])
    return claimed


_CLAIMS = {}


def _claim_statement(session, inbox, dialect, locking):
    key = (inbox.name, dialect, locking)
    if key not in _CLAIMS:
        # RETURNING, not rowcount: under the ORM session psycopg reports -1 for this statement
        insert = insert_for(session, inbox).values(
            event_id=bindparam("event_id"), handler=bindparam("handler"), processed_at=bindparam("processed_at"),
        ).on_conflict_do_nothing().returning(inbox.c.event_id)
        if locking:
            claimed = insert.cte("claimed")
            insert = select(claimed.c.event_id, advisory_lock(bindparam("lock_key", type_=String)))
        _CLAIMS[key] = Prebuilt(insert)
    return _CLAIMS[key]


def handle_once(session_factory, inbox, name, envelope, apply, lock_of=None):
    """Validate `envelope`, then run `apply(session, event)` once per (event id, handler name).

    `lock_of(event)`: the (scope, key) of the advisory lock the handler takes, or None; taken with the claim.
    Returns PROCESSED or DUPLICATE. Validation errors and errors from `apply` propagate (the handler retries,
    then dead-letters) and leave no trace in the database.
    """
    event = Event.from_envelope(envelope)
    with session_factory() as session:
        if not _claim(session, inbox, event.id, name, lock_of(event) if lock_of else None):
            session.rollback()
            return DUPLICATE
        apply(session, event)
        try:
            session.commit()
        except IntegrityError:
            # a concurrent copy of this event committed first: ours rolls back with all its effects
            session.rollback()
            if session.execute(select(inbox.c.event_id).where(
                    inbox.c.event_id == event.id, inbox.c.handler == name)).first():
                return DUPLICATE
            raise
    return PROCESSED


# -- settling a message: ack, retry, dead-letter ---------------------------------------------------------------
def max_attempts():
    return config.env_int("EVENT_MAX_ATTEMPTS", 3)


# a socket that died under the worker (broker stopped, killed, restarted); nameko 2.14's ack_message/
# requeue_message only catch amqp's own ConnectionError, not these
CONNECTION_LOST = (OSError, AmqpConnectionError)
# the database is unreachable (restart, failover): the event is fine, the service's storage is not
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
MAX_OUTAGE_BACKOFF_SECONDS = 10.0


def outage_backoff(deliveries):
    """Seconds to hold a message that failed on a database outage before requeueing it (0.5, 1, 2 … 10)."""
    return min(MAX_OUTAGE_BACKOFF_SECONDS, 0.5 * 2 ** max(deliveries - 1, 0))


class ReliableEventHandler(EventHandler):
    def __init__(self, source_service, event_type, **kwargs):
        kwargs.update(handler_type=SERVICE_POOL, reliable_delivery=True, requeue_on_error=True)
        super().__init__(source_service, event_type, **kwargs)

    def setup(self):
        super().setup()
        # the queue is declared when the consumer starts, so arguments set here take effect
        self.queue.queue_arguments = topology.handler_queue_arguments(self.container.service_name)

    def handle_message_processed(self, message, result=None, exc_info=None):
        """Ack, requeue or dead-letter. When the broker connection died while the worker ran, the message cannot
        be settled and nothing is lost: the broker returns it to the queue and redelivers it, and the inbox makes
        the second run a no-op. Letting that error escape killed the whole nameko container, i.e. the service
        process — intake's HTTP front door included (found by `make chaos`, broker SIGKILL)."""
        try:
            self._settle(message, exc_info)
        except CONNECTION_LOST as exc:
            metrics.EVENTS_HANDLED.labels(self.container.service_name, self.method_name, "unsettled").inc()
            log.warning("event.unsettled_connection_lost", entrypoint=self.method_name, error=type(exc).__name__,
                        handled=exc_info is None)

    def _settle(self, message, exc_info):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        service, entrypoint = self.container.service_name, self.method_name
        earlier_deliveries = int((message.headers or {}).get("x-delivery-count", 0) or 0)
        error = exc_info[0].__name__  # the class only: exception messages may quote the event's content
        if issubclass(exc_info[0], DATABASE_UNAVAILABLE):
            # not the event's fault: it must not use up the event's attempts and land in the dead letters (found
            # by `make chaos`: a 5 s PostgreSQL restart dead-lettered events in three services). Hold the
            # message (and this worker) with back-off, then requeue; the broker's x-delivery-limit (20) stays
            # the safety net, i.e. about 2.5 minutes of outage per message.
            delay = outage_backoff(earlier_deliveries + 1)
            metrics.EVENTS_HANDLED.labels(service, entrypoint, "retry_database").inc()
            log.warning("event.retry_database_unavailable", entrypoint=entrypoint, error=error,
                        delivery=earlier_deliveries + 1, retry_in_s=delay)
            eventlet.sleep(delay)
            self.queue_consumer.requeue_message(message)
            return
        if earlier_deliveries + 1 < max_attempts():
            metrics.EVENTS_HANDLED.labels(service, entrypoint, "retry").inc()
            log.warning("event.retry", entrypoint=entrypoint, error=error, delivery=earlier_deliveries + 1)
            self.queue_consumer.requeue_message(message)
        else:
            metrics.EVENTS_HANDLED.labels(service, entrypoint, "dead_lettered").inc()
            log.error("event.dead_lettered", entrypoint=entrypoint, error=error, delivery=earlier_deliveries + 1,
                      dead_letter_queue=topology.dead_letter_queue(service))
            if message.channel.connection:
                message.reject(requeue=False)


reliable_handler = ReliableEventHandler.decorator


# -- the wiring: a service's table of handlers becomes its nameko entrypoints -----------------------------------
def consumes(handlers: dict, inbox, settings=lambda: None):
    """Class decorator for a nameko service: one reliable entrypoint per event type in `handlers`
    ({event type: handler(session, event, settings)}), named by the catalogue (`handler_name`) so queue names and
    metric labels stay stable. `settings()` is called once per event (cached by the service).

    The service class needs a `db` dependency (the session factory) and its `name`."""
    def wire(service_cls):
        for event_type, handler in handlers.items():
            source, _schema = CATALOGUE[event_type]  # KeyError: not in the catalogue
            name = handler_name(event_type)
            if name in vars(service_cls):
                raise TypeError(f"{service_cls.__name__}.{name} is defined twice")

            def entrypoint(self, envelope, _handler=handler, _name=name,
                           _lock=getattr(handler, "serialised_by", None)):
                current = settings()
                outcome = handle_once(self.db, inbox, _name, envelope,
                                      lambda session, event: _handler(session, event, current),
                                      lock_of=_lock and (lambda event: (_lock[0], _lock[1](event, current))))
                metrics.EVENTS_HANDLED.labels(self.name, _name, outcome).inc()
                tracing.set_outcome(outcome)  # the worker's span (Ops): processed here, or a duplicate skipped
            entrypoint.__name__ = entrypoint.__qualname__ = name
            entrypoint.__doc__ = f"{event_type} → {handler.__module__}.{handler.__name__}"
            setattr(service_cls, name, reliable_handler(source, event_type)(entrypoint))
        service_cls.consumed_events = dict(handlers)
        return service_cls
    return wire
