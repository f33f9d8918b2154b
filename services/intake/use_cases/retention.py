"""Retention: cases older than INTAKE_RETENTION_DAYS are erased exactly like a withdrawal (the hourly timer in
service.py), and idempotency keys are kept for a day only."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select

from services.intake.tables import complaints, idempotency_keys
from services.intake.use_cases.cases import ERASED_STATUSES
from services.intake.use_cases.erasure import erase_case, forget_messages_events


def purge_expired(session, retention_days, now=None, batch=100):
    """Retention: erase cases older than `retention_days` like a withdrawal (content, keys, receipt), and tell
    every service. Returns how many were erased; call repeatedly until 0."""
    now = now or datetime.now(timezone.utc)
    cutoff = now - timedelta(days=retention_days)
    references = session.execute(
        select(complaints.c.reference).where(complaints.c.received_at < cutoff,
                                             complaints.c.status.not_in(ERASED_STATUSES))
        .limit(batch)).scalars().all()
    for reference in references:
        erase_case(session, reference, "expired", now)
    forget_messages_events(session, references)
    session.execute(delete(idempotency_keys).where(idempotency_keys.c.created_at < now - timedelta(days=1)))
    session.commit()
    return len(references)
