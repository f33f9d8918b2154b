"""Filing a complaint: seal what the person wrote, store the case and its events in one transaction, and answer
a retried request (same Idempotency-Key, same body) with the complaint it already filed. Free of HTTP and nameko."""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from libs.kit.outbox import emit
from services.intake.domain import receipts
from services.intake.domain.complaint_events import MESSAGES_EVENT, messages_event_data, received_event_data
from services.intake.domain.consent import CONSENT_WORDING_VERSION
from services.intake.domain.sealing import seal
from services.intake.tables import complaints, idempotency_keys, outbox


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request body."""


@dataclass(frozen=True)
class Filed:
    reference: str
    receipt: str
    created: bool  # False when an idempotent retry returned the earlier complaint


def fingerprint(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def file_complaint(session, complaint, receipt_key, public_keys, idempotency_key=None, now=None,
                   messaging_key=None):
    """Store a validated complaint and its `complaint.received` outbox row in one transaction (and, with
    consent and a contact method, `complaint.messages_requested`; `messaging_key` is notification's public
    messaging key)."""
    now = now or datetime.now(timezone.utc)
    key_hash = request_fp = None
    if idempotency_key:
        key_hash = hashlib.sha256(receipt_key + idempotency_key.encode()).hexdigest()
        request_fp = fingerprint(complaint)
        earlier = session.execute(select(idempotency_keys).where(idempotency_keys.c.key_hash == key_hash)).first()
        if earlier is not None:
            if earlier.request_fingerprint != request_fp:
                raise IdempotencyConflict()
            return Filed(earlier.reference, receipts.derived_receipt(receipt_key, key_hash + request_fp), False)

    receipt = receipts.derived_receipt(receipt_key, key_hash + request_fp) if key_hash else receipts.new_receipt()
    sealed, wrapped = seal({
        "description": complaint["description"], "contact": complaint.get("contact"),
        "institution_name": complaint.get("institution_name"),
    }, public_keys)
    for _attempt in range(5):  # a 40-bit reference collides rarely; try again rather than fail
        reference = receipts.new_reference()
        if session.execute(select(complaints.c.reference).where(complaints.c.reference == reference)).first() is None:
            break
    consent = dict(complaint["consent"], wording_version=CONSENT_WORDING_VERSION, given_at=now.isoformat())
    session.execute(complaints.insert().values(
        reference=reference, receipt_hash=receipts.receipt_hash(receipt_key, reference, receipt),
        status="received", institution_type=complaint["institution_type"], issue=complaint["issue"],
        municipality=complaint.get("municipality"), language=complaint["language"],
        reporter_role=complaint["reporter_role"], wants_mediation=complaint["wants_mediation"],
        consent=consent, sealed_content=sealed, wrapped_keys=wrapped, received_at=now))
    if key_hash:
        session.execute(idempotency_keys.insert().values(
            key_hash=key_hash, request_fingerprint=request_fp, reference=reference, created_at=now))
    emit(session, outbox, "complaint.received", received_event_data(reference, complaint, now),
         correlation_id=reference)
    messages = messages_event_data(reference, complaint, messaging_key)
    if messages is not None:
        emit(session, outbox, MESSAGES_EVENT, messages, correlation_id=reference)
    try:
        session.commit()
    except IntegrityError:
        # a concurrent retry with the same Idempotency-Key won the race: answer with its complaint
        session.rollback()
        if key_hash:
            return file_complaint(session, complaint, receipt_key, public_keys, idempotency_key, now,
                                  messaging_key)
        raise
    return Filed(reference, receipt, True)
