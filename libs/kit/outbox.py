"""Writing to the transactional outbox: call these inside the same transaction as the state change.

The relay (relay.py) publishes the rows later; so an accepted state change is never lost when the broker is
down, and nothing is published for a change that rolled back.
"""
import json
from datetime import datetime, timezone

from libs.contracts.events import internal_event
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
