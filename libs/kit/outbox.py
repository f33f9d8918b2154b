"""Writing to the transactional outbox: call these inside the same transaction as the state change.

The relay (relay.py) publishes the rows later; so an accepted state change is never lost when the broker is
down, and nothing is published for a change that rolled back.
"""
import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import Connection, String, TextClause, bindparam, delete, event, func, or_, select
from sqlalchemy.sql.util import find_tables

from libs.kit.db import Prebuilt, in_this_transaction, per_transaction
from libs.kit.outbox_wakeup import wake_channel, wakeup_needed
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
    _queue(session, outbox, _row(envelope, f"{source_service}.events", event_type, INTERNAL_CONTENT_TYPE))
    return envelope


def emit_external(session, outbox, envelope, exchange, routing_key):
    """Queue an already-built CloudEvent (e.g. a partner referral) for an explicit exchange, with the current
    trace context as its `traceparent` / `tracestate` extension attributes."""
    envelope.update(current_trace_context())
    _queue(session, outbox, _row(envelope, exchange, routing_key, CLOUDEVENTS_CONTENT_TYPE))
    return envelope


# -- writing the rows: one statement per transaction and outbox -------------------------------------------------
# A filing emits two events, a plan an event and a partner referral: each row was an INSERT and the relay's
# wake-up a pg_notify of its own. In an ORM session the rows wait in the transaction and go in at commit, all in
# one INSERT that also wakes the relay (make bench, issue 21); a statement in the same transaction that reads or
# deletes outbox rows writes them first, like the ORM's autoflush. A plain connection (CLIs, tests) writes at once.
_PENDING = "voorportaal_outbox_pending"
_OURS = "voorportaal_outbox_flush"


def _queue(session_or_connection, outbox, row) -> None:
    if isinstance(session_or_connection, Connection):
        _write(session_or_connection, outbox, [row])
        return
    _listen_to_sessions()
    if session_or_connection.get_transaction() is None:
        session_or_connection.begin()  # the rows belong to this transaction: it must exist to hold them
    per_transaction(session_or_connection, _PENDING, dict).setdefault(outbox, []).append(row)


def flush_pending(session) -> None:
    """Write the rows emitted so far in this transaction (at commit, and before a statement that touches them)."""
    if isinstance(session, Connection) or session.get_transaction() is None:
        return
    pending = per_transaction(session, _PENDING, dict)
    while pending:
        outbox, rows = pending.popitem()
        _write(session, outbox, rows)


def _write(session_or_connection, outbox, rows) -> None:
    """INSERT the rows; on PostgreSQL the same statement asks for the relay's wake-up at commit
    (outbox_wakeup.py): a data-modifying WITH runs in full, and the SELECT returns one row, so one pg_notify."""
    wakeup = wakeup_needed(session_or_connection)
    if len(rows) > MOST_ROWS_PREBUILT:  # a retention batch: rare, built for the occasion
        values = [{column: row[column] for column in ROW_COLUMNS} for row in rows]
        session_or_connection.execute(_insert_statement(outbox, values, wakeup).execution_options(**{_OURS: True}))
        return
    params = {f"{column}_{number}": row[column] for number, row in enumerate(rows) for column in ROW_COLUMNS}
    params["channel"] = wake_channel(outbox.name)
    _prebuilt_insert(outbox, len(rows), wakeup).execute(session_or_connection, params)


ROW_COLUMNS = ("event_id", "exchange", "routing_key", "content_type", "body", "created_at", "next_attempt_at",
               "attempts")
MOST_ROWS_PREBUILT = 8
_PREBUILT = {}


def _prebuilt_insert(outbox, count, wakeup):
    key = (outbox.name, count, wakeup)
    if key not in _PREBUILT:
        values = [{column: bindparam(f"{column}_{number}") for column in ROW_COLUMNS} for number in range(count)]
        _PREBUILT[key] = Prebuilt(_insert_statement(outbox, values, wakeup, bindparam("channel", type_=String)))
    return _PREBUILT[key]


def _insert_statement(outbox, values, wakeup, channel=None):
    insert = outbox.insert().values(values)
    if not wakeup:
        return insert
    queued = insert.returning(outbox.c.id).cte("queued")
    return select(func.pg_notify(channel if channel is not None else wake_channel(outbox.name), "")) \
        .select_from(queued).limit(1)


def _flush_before_touching(execute_state) -> None:
    """The session's hook before every statement: cheap unless rows wait and the statement may touch them."""
    pending = in_this_transaction(execute_state.session, _PENDING)
    if not pending or execute_state.execution_options.get(_OURS):
        return
    statement = execute_state.statement
    if isinstance(statement, TextClause) or set(pending).intersection(find_tables(statement)):
        flush_pending(execute_state.session)


_listening = []


def _listen_to_sessions() -> None:
    # imported here: the relays use Core only, and the ORM would add megabytes to their process
    if not _listening:
        from sqlalchemy.orm import Session
        event.listen(Session, "before_commit", flush_pending)
        event.listen(Session, "do_orm_execute", _flush_before_touching)
        _listening.append(Session)


# Published rows are kept a short while (a week by default: OUTBOX_RETENTION_DAYS) for an operator's look at what
# went out, then pruned by the relay: an event body (complaint.received carries the categories, the municipality,
# the language and the dates of a case) must not stay in three databases for ever.
DEFAULT_RETENTION_DAYS = 7


def prune_published(session, outbox, older_than_days=DEFAULT_RETENTION_DAYS, now=None) -> int:
    """Delete rows published more than `older_than_days` ago; unpublished rows are never touched. Returns how many."""
    flush_pending(session)
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=older_than_days)
    return session.execute(delete(outbox).where(outbox.c.published_at.is_not(None),
                                                outbox.c.published_at < cutoff)).rowcount


def forget_published(session, outbox, needles) -> int:
    """A withdrawal: delete at once the published rows whose body names one of `needles` (a case reference, a
    partner subject), matched as a whole JSON string value. Unpublished rows stay: they still have to go out."""
    flush_pending(session)
    needles = [needle for needle in needles if needle]
    if not needles:
        return 0
    return session.execute(delete(outbox).where(outbox.c.published_at.is_not(None), or_(*(
        outbox.c.body.contains(f'"{needle}"', autoescape=True) for needle in needles)))).rowcount
