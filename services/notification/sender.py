"""Sends queued deliveries: due rows are sent, then marked; failures back off exponentially.

Why a queue table and not sending inside the event handler: the handler's transaction records the intent to
send together with its inbox row. If the process dies right after, the row is still pending and is sent after
the restart; if it dies after sending but before marking, it is sent again with the same Message-ID (the one
window where at-least-once shows through SMTP).
"""
import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from services.notification.email_delivery import (
    PermanentFailure, TransientFailure, build_mediation_request, send_email,
)
from services.notification.models import deliveries

MAX_ATTEMPTS = 8


def backoff_seconds(attempts):
    return min(3600, 2 ** attempts)


def send_due(session, mediators_by_id, smtp, sender, base_url, count_outcome, batch=20, now=None):
    """Send up to `batch` due deliveries. `smtp` = dict(host, port, starttls, username, password)."""
    now = now or datetime.now(timezone.utc)
    # one row at a time, locked until its outcome is committed: two senders never take the same message
    query = (select(deliveries).where(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now)
             .order_by(deliveries.c.next_attempt_at).limit(1))
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    sent = 0
    for _ in range(batch):
        row = session.execute(query).first()
        if row is None:
            break
        mediator = mediators_by_id.get(row.recipient_id)
        key = deliveries.c.idempotency_key == row.idempotency_key
        if mediator is None:
            session.execute(update(deliveries).where(key).values(status="failed", last_error="unknown_recipient"))
            count_outcome(row.channel, "permanent_failure")
            session.commit()
            continue
        message = build_mediation_request(json.loads(row.context), mediator.email, sender, base_url,
                                          row.idempotency_key)
        try:
            send_email(message, **smtp)
        except PermanentFailure as exc:
            session.execute(update(deliveries).where(key).values(status="failed", last_error=str(exc)[:64],
                                                                 attempts=row.attempts + 1))
            count_outcome(row.channel, "permanent_failure")
        except TransientFailure as exc:
            attempts = row.attempts + 1
            status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            session.execute(update(deliveries).where(key).values(
                status=status, attempts=attempts, last_error=str(exc)[:64],
                next_attempt_at=now + timedelta(seconds=backoff_seconds(attempts))))
            count_outcome(row.channel, "transient_failure")
        else:
            session.execute(update(deliveries).where(key).values(status="sent", sent_at=now,
                                                                 attempts=row.attempts + 1))
            count_outcome(row.channel, "sent")
            sent += 1
        session.commit()  # one commit per message: a sent message is never "unsent" by a later failure
    return sent
