"""Sends queued deliveries by e-mail or signed webhook: due rows are sent, then marked; failures back off.

Why a queue table and not sending inside the event handler: the handler's transaction records the intent to
send together with its inbox row. If the process dies right after, the row is still pending and is sent after
the restart; if it dies after sending but before marking, it is sent again with the same Message-ID or
Voorportaal-Idempotency-Key (the one window where at-least-once shows through to the receiver).
No database lock is held while a message is on its way: a row is first *claimed* (its next_attempt_at pushed
CLAIM_SECONDS ahead, committed), then sent, then marked. psycopg's wait does not yield to eventlet, so a lock held
across network I/O could stall the whole process when another worker (an erasure, say) waits for that row. A
process that dies mid-send leaves the claim to expire, and the row is sent again: at least once, never lost.
Transient failures (server down, timeout, 408/429/5xx) are retried with exponential back-off up to
MAX_ATTEMPTS (domain/deliveries.py); permanent ones (refused recipient, URL not allow-listed, other 4xx) are
recorded, not retried.
"""
import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from services.notification.domain import address_cap, complainant_mail, mediator_messages, webhooks
from services.notification.domain.deliveries import (
    COMPLAINANT, COORDINATOR, MAX_ATTEMPTS, PermanentFailure, TransientFailure, backoff_seconds,
)
from services.notification.tables import deliveries
from services.notification.use_cases import address_sends, complainant_messages
from services.notification.use_cases.channels import Channels
from services.notification.use_cases.channels.email import send_email
from services.notification.use_cases.channels.webhook import deliver_webhook

CLAIM_SECONDS = 120  # longer than any send can take (SMTP timeout 10 s, webhook timeout 5 s by default)


def deliver_to_complainant(row, contact, channels: Channels, session=None, now=None):
    """A status message to the person: the sealed address is opened in memory for this one send. Any error
    becomes a short code: an exception's text could quote the address. With a session, one address gets at most
    MAX_MESSAGES_PER_ADDRESS_PER_DAY messages a day, whatever the number of cases (domain/address_cap.py)."""
    message = complainant_mail.build_email(row, contact, channels.complainant_key, channels.links.case_base_url,
                                           channels.sender)
    hashed = None
    if session is not None:
        hashed = address_cap.address_hash(channels.complainant_key, str(message["To"]))
        if not address_sends.within_cap(session, hashed, now):
            raise PermanentFailure("address_daily_cap")
    try:
        send_email(message, **channels.smtp)
    except (PermanentFailure, TransientFailure):
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. UnicodeEncodeError quotes the address
        raise PermanentFailure(f"send_{type(exc).__name__}") from None
    if hashed is not None:
        address_sends.record(session, hashed, now)


def deliver(row, mediators_by_id, channels: Channels, now, contact=None, session=None):
    """Send one delivery row; raises PermanentFailure / TransientFailure. `contact`: the person's sealed
    contact row, for messages to them (`session`: where their address's daily count is kept)."""
    if row.recipient_id == COMPLAINANT:
        return deliver_to_complainant(row, contact, channels, session, now)
    context = json.loads(row.context)
    if row.recipient_id == COORDINATOR:
        mediator, address = None, channels.coordinator_email
    else:
        mediator = mediators_by_id.get(row.recipient_id)
        if mediator is None:
            raise PermanentFailure("unknown_recipient")
        address = mediator.email
    found = mediator_messages.message_links(row.template, context, mediator and mediator.id, channels.links, now)
    if row.channel == "webhook":
        if mediator is None or not mediator.webhook_url:
            raise PermanentFailure("no_webhook_url")
        if channels.webhook_secret is None:
            raise PermanentFailure("no_webhook_secret")
        payload = webhooks.build_payload(mediator_messages.WEBHOOK_EVENTS[row.template], context,
                                         link=found["primary"], sent_at=now.isoformat(timespec="seconds"))
        secret = webhooks.receiver_secret(channels.webhook_secret, mediator.id)  # one key per receiver
        deliver_webhook(webhooks.WebhookTarget(mediator.webhook_url, secret), payload,
                        row.idempotency_key, now, timeout=channels.webhook_timeout,
                        allowlist=list(channels.webhook_allowlist),
                        allow_loopback_http=channels.webhook_test_loopback_http)
    else:
        send_email(mediator_messages.build_email(row.template, context, found, address, channels.sender,
                                                 row.idempotency_key), **channels.smtp)


def send_due(session, mediators_by_id, channels: Channels, count_outcome, batch=20, now=None,
             count_complainant=None):
    """Send up to `batch` due deliveries; returns how many were sent. `count_outcome(channel, outcome)` counts
    every attempt; `count_complainant(kind, outcome)` also counts those of status messages to the person.
    `mediators_by_id` is {id: mediator}, or a function returning it, called once a message is due (the sender ticks
    five times a second and mostly finds nothing to send)."""
    now = now or datetime.now(timezone.utc)

    def count(row, outcome):
        count_outcome(row.channel, outcome)
        if count_complainant and row.recipient_id == COMPLAINANT:
            count_complainant(complainant_mail.KIND_OF_TEMPLATE.get(row.template, "unknown"), outcome)
    # one row at a time, claimed under a short lock: two senders never take the same message
    query = (select(deliveries).where(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now)
             .order_by(deliveries.c.next_attempt_at).limit(1))
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    sent = 0
    for _ in range(batch):
        row = session.execute(query).first()
        if row is None:
            break
        if callable(mediators_by_id):
            mediators_by_id = mediators_by_id()
        key = deliveries.c.idempotency_key == row.idempotency_key
        contact = (complainant_messages.contact_for(session, row.case_ref)
                   if row.recipient_id == COMPLAINANT else None)
        session.execute(update(deliveries).where(key).values(
            next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS)))
        session.commit()  # the claim: no lock is held from here until the outcome is written
        attempts = row.attempts + 1
        try:
            deliver(row, mediators_by_id, channels, now, contact, session)
        except PermanentFailure as exc:
            session.execute(update(deliveries).where(key).values(status="failed", last_error=str(exc)[:64],
                                                                 attempts=attempts))
            count(row, "permanent_failure")
        except TransientFailure as exc:
            status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            session.execute(update(deliveries).where(key).values(
                status=status, attempts=attempts, last_error=str(exc)[:64],
                next_attempt_at=now + timedelta(seconds=backoff_seconds(attempts))))
            count(row, "transient_failure")
        else:
            # a row erased meanwhile (the case was withdrawn) stays erased: the update finds nothing
            session.execute(update(deliveries).where(key).values(status="sent", sent_at=now, attempts=attempts))
            count(row, "sent")
            sent += 1
        session.commit()  # one commit per message: a sent message is never "unsent" by a later failure
    return sent
