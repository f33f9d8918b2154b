"""Idempotent consuming: an event's effect happens once, whatever the broker redelivers.

The inbox row (event id + handler) is inserted in the same transaction as the handler's effect and its outbox
rows. A redelivered event finds its row and is skipped; two concurrent copies collide on the primary key and
only one commits.
"""
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from libs.kit import metrics
from libs.contracts.envelope import read_internal_event

PROCESSED = "ok"
DUPLICATE = "duplicate"


def _claim(session, inbox, event_id, handler_name) -> bool:
    """Insert the inbox row unless it exists: one round trip. On PostgreSQL an uncommitted copy of the same
    event makes this wait; once that copy commits this returns False (and True if it rolled back)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(inbox).values(event_id=event_id, handler=handler_name,
                                     processed_at=datetime.now(timezone.utc)).on_conflict_do_nothing()
    # RETURNING, not rowcount: under the ORM session psycopg reports -1 for this statement
    return session.execute(statement.returning(inbox.c.event_id)).first() is not None


def handle_once(session_factory, inbox, handler_name, envelope, apply):
    """Validate `envelope`, then run `apply(session, event_type, data, envelope)` once per event id.

    Returns PROCESSED or DUPLICATE. Validation errors and errors from `apply` propagate (the handler retries,
    then dead-letters) and leave no trace in the database.
    """
    event_type, data = read_internal_event(envelope)
    with session_factory() as session:
        if not _claim(session, inbox, envelope["id"], handler_name):
            session.rollback()
            return DUPLICATE
        apply(session, event_type, data, envelope)
        try:
            session.commit()
        except IntegrityError:
            # a concurrent copy of this event committed first: ours rolls back with all its effects
            session.rollback()
            if session.execute(select(inbox.c.event_id).where(
                    inbox.c.event_id == envelope["id"], inbox.c.handler == handler_name)).first():
                return DUPLICATE
            raise
    return PROCESSED


def consume(service, session_factory, inbox, handler_name, envelope, apply):
    """handle_once, counted in `voorportaal_events_handled_total` (the service classes' one-liner)."""
    outcome = handle_once(session_factory, inbox, handler_name, envelope, apply)
    metrics.EVENTS_HANDLED.labels(service, handler_name, outcome).inc()
    return outcome
