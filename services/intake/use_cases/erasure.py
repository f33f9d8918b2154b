"""Erasing a case, the same way whether the person withdraws it or retention expires it: the case's row, content,
keys, receipt, consent, idempotency rows and published events are dropped at once, a tombstone that holds nothing
about the person is left, and every service (through routing, every partner) is told."""
from sqlalchemy import delete, or_

from libs.kit.outbox import emit, forget_published
from services.intake.domain.complaint_events import MESSAGES_EVENT
from services.intake.domain.receipts import reference_tombstone_hash
from services.intake.tables import (
    attachments, case_keys, case_status, complaints, erased_cases, idempotency_keys, messages, outbox,
    feedback_requests, partner_status,
)
from services.intake.use_cases import cases


def erase_case(session, reference, status, now, key):
    """Erase the case to a tombstone (`status`: withdrawn, expired; the keyed hash of the reference and the day),
    drop what it held, its idempotency rows and its published outbox rows, and emit `complaint.withdrawn`. `key` is
    the receipt key (the tombstone's hash is keyed). The caller commits (and forgets the case's messages events)."""
    if not cases.is_erased(session, key, reference):
        session.execute(erased_cases.insert().values(reference_hash=reference_tombstone_hash(key, reference),
                                                     status=status, erased_on=now.date()))
    session.execute(delete(complaints).where(complaints.c.reference == reference))
    session.execute(delete(idempotency_keys).where(idempotency_keys.c.reference == reference))
    forget_published(session, outbox, [reference])  # complaint.received and the rest: categories, dates
    session.execute(delete(case_status).where(case_status.c.reference == reference))
    session.execute(delete(partner_status).where(partner_status.c.reference == reference))
    session.execute(delete(case_keys).where(case_keys.c.reference == reference))
    session.execute(delete(attachments).where(attachments.c.reference == reference))  # the conversation too
    session.execute(delete(messages).where(messages.c.reference == reference))
    session.execute(delete(feedback_requests).where(feedback_requests.c.reference == reference))
    emit(session, outbox, "complaint.withdrawn", {"case_ref": reference}, correlation_id=reference)


SEALED_EVENTS = (MESSAGES_EVENT, "complaint.sealed", "conversation.person_wrote")


def forget_messages_events(session, references, event_types=SEALED_EVENTS):
    """Withdrawal, retention, stopped messages: the outbox keeps published rows; drop these cases' sealed events
    (the contact for status messages, the sealed case file) in one statement for a whole retention batch."""
    if references:
        session.execute(delete(outbox).where(outbox.c.routing_key.in_(event_types), or_(*(
            outbox.c.body.contains(f'"case_ref":"{reference}"', autoescape=True) for reference in references))))
