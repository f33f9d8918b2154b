"""Writing to the transactional outbox: call these inside the same transaction as the state change.

The relay (relay.py) publishes the rows later; so an accepted state change is never lost when the broker is
down, and nothing is published for a change that rolled back.
"""
import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, or_

from libs.kit.outbox_wakeup import notify_relay
from libs.kit.tracing import current_trace_context

INTERNAL_CONTENT_TYPE = "application/json"
CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json"


def _row(envelope, exchange, routing_key, content_type):
    now = datetime.now(timezone.utc)
    return {
        "event_id": envelope["id"], "exchange": exchange, "routing_key": routing_key,
        "content_type": content_type, "body": json.dumps(envelope, separators=(",", ":")),
        "created_at": now, "next_attempt_at": now, "attempts": 0,
    }


def emit(session, outbox, event_type, data, correlation_id=None):
    """Queue an internal catalogue event on `<source>.events` for the relay; returns the envelope."""
    # imported here: the relays import this module for pruning only and need no catalogue (nor marshmallow)
    from libs.contracts.events import internal_event
    envelope = internal_event(event_type, data, correlation_id=correlation_id)
    # the CloudEvents distributed-tracing extension: the trace this event belongs to, stored with the row so that
    # the relay's publish and every consumer continue it (docs/operations.md, "Traces")
    envelope.update(current_trace_context())
    source_service = envelope["source"].rsplit(":", 1)[-1]
    session.execute(outbox.insert().values(
        _row(envelope, f"{source_service}.events", event_type, INTERNAL_CONTENT_TYPE)))
    notify_relay(session, outbox)
    return envelope


def emit_external(session, outbox, envelope, exchange, routing_key):
    """Queue an already-built CloudEvent (e.g. a partner referral) for an explicit exchange, with the current
    trace context as its `traceparent` / `tracestate` extension attributes."""
    envelope.update(current_trace_context())
    session.execute(outbox.insert().values(_row(envelope, exchange, routing_key, CLOUDEVENTS_CONTENT_TYPE)))
    notify_relay(session, outbox)
    return envelope


# Published rows are kept a short while (a week by default: OUTBOX_RETENTION_DAYS) for an operator's look at what
# went out, then pruned by the relay: an event body (complaint.received carries the categories, the municipality,
# the language and the dates of a case) must not stay in three databases for ever.
DEFAULT_RETENTION_DAYS = 7


def prune_published(session, outbox, older_than_days=DEFAULT_RETENTION_DAYS, now=None) -> int:
    """Delete rows published more than `older_than_days` ago; unpublished rows are never touched. Returns how many."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=older_than_days)
    return session.execute(delete(outbox).where(outbox.c.published_at.is_not(None),
                                                outbox.c.published_at < cutoff)).rowcount


def forget_published(session, outbox, needles) -> int:
    """A withdrawal: delete at once the published rows whose body names one of `needles` (a case reference, a
    partner subject), matched as a whole JSON string value. Unpublished rows stay: they still have to go out."""
    needles = [needle for needle in needles if needle]
    if not needles:
        return 0
    return session.execute(delete(outbox).where(outbox.c.published_at.is_not(None), or_(*(
        outbox.c.body.contains(f'"{needle}"', autoescape=True) for needle in needles)))).rowcount
