"""Idempotent consuming: an event's effect happens once, whatever the broker redelivers.

The inbox row (event id + handler) is inserted in the same transaction as the handler's effect and its outbox
rows. A redelivered event finds its row and is skipped; two concurrent copies collide on the primary key and
only one commits.
"""
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.common import metrics
from services.common.envelope import read_internal_event

PROCESSED = "ok"
DUPLICATE = "duplicate"


def handle_once(session_factory, inbox, handler_name, envelope, apply):
    """Validate `envelope`, then run `apply(session, event_type, data, envelope)` once per event id.

    Returns PROCESSED or DUPLICATE. Validation errors and errors from `apply` propagate (the handler retries,
    then dead-letters) and leave no trace in the database.
    """
    event_type, data = read_internal_event(envelope)
    event_id = envelope["id"]
    with session_factory() as session:
        seen = session.execute(select(inbox.c.event_id).where(
            inbox.c.event_id == event_id, inbox.c.handler == handler_name)).first()
        if seen:
            return DUPLICATE
        try:
            session.execute(inbox.insert().values(
                event_id=event_id, handler=handler_name, processed_at=datetime.now(timezone.utc)))
            session.flush()
        except IntegrityError:
            session.rollback()
            return DUPLICATE
        apply(session, event_type, data, envelope)
        try:
            session.commit()
        except IntegrityError:
            # a concurrent copy of this event committed first: ours rolls back with all its effects
            session.rollback()
            if session.execute(select(inbox.c.event_id).where(
                    inbox.c.event_id == event_id, inbox.c.handler == handler_name)).first():
                return DUPLICATE
            raise
    return PROCESSED


def consume(service, session_factory, inbox, handler_name, envelope, apply):
    """handle_once, counted in `voorportaal_events_handled_total` (the service classes' one-liner)."""
    outcome = handle_once(session_factory, inbox, handler_name, envelope, apply)
    metrics.EVENTS_HANDLED.labels(service, handler_name, outcome).inc()
    return outcome
