"""Retention: cases older than INTAKE_RETENTION_DAYS are erased exactly like a withdrawal (the hourly timer in
service.py), and idempotency keys are kept for a day only."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select

from services.intake.domain.receipts import reference_tombstone_hash
from services.intake.tables import complaints, erased_cases, idempotency_keys
from services.intake.use_cases.cases import ERASED_STATUSES
from services.intake.use_cases.erasure import erase_case, forget_messages_events


def purge_expired(session, retention_days, key, now=None, batch=100):
    """Retention: erase cases older than `retention_days` like a withdrawal (content, keys, receipt), and tell
    every service. `key`: the receipt key (tombstones are keyed). Returns how many were erased; call repeatedly
    until 0."""
    now = now or datetime.now(timezone.utc)
    cutoff = now - timedelta(days=retention_days)
    references = session.execute(
        select(complaints.c.reference).where(complaints.c.received_at < cutoff,
                                             complaints.c.status.not_in(ERASED_STATUSES))
        .limit(batch)).scalars().all()
    for reference in references:
        erase_case(session, reference, "expired", now, key)
    forget_messages_events(session, references)
    tombstone_legacy_erasures(session, key)
    session.execute(delete(idempotency_keys).where(idempotency_keys.c.created_at < now - timedelta(days=1)))
    session.commit()
    return len(references)


def tombstone_legacy_erasures(session, key, batch=500) -> int:
    """Cases erased before tombstones existed kept their row (categories, municipality, language, dates): turn each
    into a tombstone and delete the row. Runs with retention (hourly) until none is left."""
    legacy = session.execute(select(complaints.c.reference, complaints.c.status, complaints.c.closed_at,
                                    complaints.c.received_at)
                             .where(complaints.c.status.in_(ERASED_STATUSES)).limit(batch)).fetchall()
    for row in legacy:
        reference_hash = reference_tombstone_hash(key, row.reference)
        if session.execute(select(erased_cases.c.reference_hash)
                           .where(erased_cases.c.reference_hash == reference_hash)).first() is None:
            session.execute(erased_cases.insert().values(
                reference_hash=reference_hash, status=row.status, erased_on=(row.closed_at or row.received_at).date()))
        session.execute(delete(complaints).where(complaints.c.reference == row.reference))
    return len(legacy)
