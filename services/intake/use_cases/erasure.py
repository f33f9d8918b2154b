"""Erasing a case, the same way whether the person withdraws it or retention expires it: content, keys, receipt
and consent are dropped at once, and every service (through routing, every partner) is told."""
from sqlalchemy import delete, or_, update

from libs.kit.outbox import emit
from services.intake.domain.complaint_events import MESSAGES_EVENT
from services.intake.tables import (
    attachments, case_keys, case_status, complaints, feedback_requests, messages, outbox,
)


def erase_case(session, reference, status, now):
    """Mark the case `status` (withdrawn, expired), drop what it held and emit `complaint.withdrawn`. The caller
    commits (and forgets the case's messages events)."""
    session.execute(update(complaints).where(complaints.c.reference == reference).values(
        status=status, sealed_content=None, wrapped_keys=None, receipt_hash=None, closed_at=now, consent={}))
    session.execute(delete(case_status).where(case_status.c.reference == reference))
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
