"""CloudEvents 1.0 envelopes for internal and partner events.

Internal events go on nameko's `<source>.events` exchange with the event type as routing key, so nameko
handlers can subscribe with `(source, event_type)`. The envelope's `id` is what every inbox deduplicates on.
"""
import functools
import uuid
from datetime import datetime, timezone

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from libs.contracts.events import CATALOGUE

SPECVERSION = "1.0"


class EnvelopeSchema(Schema):
    class Meta:
        unknown = RAISE

    specversion = fields.String(required=True, validate=validate.Equal(SPECVERSION))
    id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    source = fields.String(required=True, validate=validate.Length(min=1, max=128))
    type = fields.String(required=True, validate=validate.Length(min=1, max=128))
    time = fields.String(required=True)
    datacontenttype = fields.String(required=True)
    subject = fields.String(allow_none=True, load_default=None)
    correlationid = fields.String(allow_none=True, load_default=None)
    data = fields.Dict(required=True)


def cloudevent_type(event_type):
    return f"nl.voorportaal.{event_type}.v1"


def event_type_of(ce_type):
    """`nl.voorportaal.complaint.received.v1` → `complaint.received`."""
    prefix, suffix = "nl.voorportaal.", ".v1"
    if not (ce_type.startswith(prefix) and ce_type.endswith(suffix)):
        raise ValueError("not a voorportaal event type")
    return ce_type[len(prefix):-len(suffix)]


def now_iso():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def make_envelope(ce_type, source, data, subject=None, correlation_id=None, event_id=None):
    return {
        "specversion": SPECVERSION,
        "id": event_id or str(uuid.uuid4()),
        "source": source,
        "type": ce_type,
        "time": now_iso(),
        "datacontenttype": "application/json",
        "subject": subject,
        "correlationid": correlation_id,
        "data": data,
    }


@functools.cache
def _schema(schema_cls):
    """One instance per schema class: building a marshmallow schema costs more than loading with it, and a
    schema without context or state is safe to share between greenthreads."""
    return schema_cls()


def internal_event(event_type, data, correlation_id=None):
    """Validate `data` against the catalogue and wrap it. Raises ValidationError on bad data."""
    source_service, schema_cls = CATALOGUE[event_type]
    schema = _schema(schema_cls)
    unexpected = set(data) - set(schema.fields)
    if unexpected:
        # dump() would silently drop them; a producer adding fields must change the catalogue first
        raise ValidationError({name: ["Not part of this event's schema."] for name in sorted(unexpected)})
    serialised = schema.dump(data)
    schema.load(serialised)  # validate what will actually travel
    return make_envelope(cloudevent_type(event_type), f"urn:voorportaal:{source_service}", serialised,
                         correlation_id=correlation_id)


def read_internal_event(envelope):
    """Validate an incoming envelope; returns (event_type, loaded data). Raises ValidationError/ValueError."""
    envelope = _schema(EnvelopeSchema).load(envelope)
    event_type = event_type_of(envelope["type"])
    if event_type not in CATALOGUE:
        raise ValueError("unknown event type")
    _source, schema_cls = CATALOGUE[event_type]
    return event_type, _schema(schema_cls).load(envelope["data"])
