"""The delivery queue (notification_deliveries): every message to anyone is queued here first, in the transaction
that decided to send it, and sent later by sender.py. The idempotency key is the row's primary key."""
import json

from sqlalchemy import func, select

from services.notification.domain.timestamps import utc
from services.notification.tables import deliveries


def queue_message(session, key, case_ref, recipient_id, channel, template, context, now) -> bool:
    """Queue one message unless a message with this idempotency key exists already; True if queued."""
    if session.execute(select(deliveries.c.idempotency_key).where(deliveries.c.idempotency_key == key)).first():
        return False
    now = utc(now)
    session.execute(deliveries.insert().values(
        idempotency_key=key, case_ref=case_ref, channel=channel, recipient_id=recipient_id, template=template,
        context=json.dumps(context, separators=(",", ":")), status="pending", attempts=0, next_attempt_at=now))
    return True


def pending_count(session) -> int:
    """Messages waiting to be sent (the `voorportaal_notifications_pending` gauge)."""
    return session.execute(select(func.count()).select_from(deliveries)
                           .where(deliveries.c.status == "pending")).scalar()
