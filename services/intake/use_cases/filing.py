"""Filing a complaint: seal what the person wrote for the desk, store the case and its events in one transaction,
and answer a retried request (same Idempotency-Key, same body) with the reference of the complaint it already filed,
never its receipt again: the receipt is shown once (issue 19, finding 8). Free of HTTP and nameko.

The sealed case file (domain/case_file.py) goes to casework in `complaint.sealed`; intake keeps only the case's
public key and its receipt-wrapped private key. Without the desk's key directory nothing can be sealed for anyone,
so the complaint is refused (NoKeyDirectory: the API answers 503) rather than stored unreadable."""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from libs.kit.outbox import emit
from services.intake.domain import receipts
from services.intake.domain.case_file import NoKeyDirectory, seal_case_file
from services.intake.domain.complaint_events import (
    MESSAGES_EVENT, messages_event_data, received_event_data, sealed_event_data,
)
from services.intake.domain.consent import CONSENT_WORDING_VERSION
from services.intake.tables import case_keys, complaints, idempotency_keys, outbox
from services.intake.use_cases import cases, key_directory

__all__ = ("IdempotencyConflict", "NoKeyDirectory", "Filed", "file_complaint")


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request body."""


@dataclass(frozen=True)
class Filed:
    reference: str
    receipt: str | None  # None when an idempotent retry answered: the receipt was shown once, with the first answer
    created: bool  # False when an idempotent retry returned the earlier complaint


def fingerprint(payload: dict, key: bytes) -> str:
    """Keyed with the receipt key (issue 19): the stored fingerprint must not be a plain hash of the description."""
    return receipts.request_fingerprint(key, json.dumps(payload, sort_keys=True, default=str))


def legacy_fingerprint(payload: dict) -> str:
    """The unkeyed fingerprint of idempotency rows written before issue 19; only compared, never stored. Remove one
    day after the release (idempotency rows are kept a day: use_cases/retention.py)."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


# built once: SQLAlchemy then reuses the compiled statements (building `.values(...)` per filing cost more)
_INSERT_COMPLAINT = complaints.insert()
_INSERT_CASE_KEYS = case_keys.insert()


def file_complaint(session, complaint, receipt_key, idempotency_key=None, now=None, messaging_key=None):
    """Store a validated complaint with its `complaint.received` and `complaint.sealed` outbox rows in one
    transaction (and, with consent and a contact method, `complaint.messages_requested`; `messaging_key` is
    notification's public messaging key). Raises NoKeyDirectory before anything is stored when intake does not
    know the desk's keys yet."""
    now = now or datetime.now(timezone.utc)
    directory = key_directory.latest(session)
    if directory is None:
        raise NoKeyDirectory()
    directory_version, directory_keys = directory
    key_hash = request_fp = None
    if idempotency_key:
        key_hash = hashlib.sha256(receipt_key + idempotency_key.encode()).hexdigest()
        request_fp = fingerprint(complaint, receipt_key)
        earlier = session.execute(select(idempotency_keys).where(idempotency_keys.c.key_hash == key_hash)).first()
        if earlier is not None:
            # a row stored before the fingerprints were keyed (kept one day at most) still matches its retry
            if earlier.request_fingerprint not in (request_fp, legacy_fingerprint(complaint)):
                raise IdempotencyConflict()
            return Filed(earlier.reference, None, False)

    receipt = receipts.new_receipt()  # random even with an Idempotency-Key: a retry never needs it again
    for _attempt in range(5):  # a 40-bit reference collides rarely; try again rather than fail
        reference = receipts.new_reference()
        if not cases.reference_used(session, receipt_key, reference):  # an erased reference is never reused
            break
    sealed = seal_case_file(reference, receipt, complaint, directory_keys)
    consent = dict(complaint["consent"], wording_version=CONSENT_WORDING_VERSION, given_at=now.isoformat())
    session.execute(_INSERT_COMPLAINT, dict(
        reference=reference, receipt_hash=receipts.receipt_hash(receipt_key, reference, receipt),
        status="received", institution_type=complaint["institution_type"], issue=complaint["issue"],
        municipality=complaint.get("municipality"), language=complaint["language"],
        reporter_role=complaint["reporter_role"], wants_mediation=complaint["wants_mediation"],
        consent=consent, sealed_content=None, wrapped_keys=None, received_at=now))
    session.execute(_INSERT_CASE_KEYS, dict(reference=reference, case_public_key=sealed.case_public_key,
                                            receipt_wrap=sealed.receipt_wrap, created_at=now))
    if key_hash:
        session.execute(idempotency_keys.insert().values(
            key_hash=key_hash, request_fingerprint=request_fp, reference=reference, created_at=now))
    received = received_event_data(reference, complaint, now)
    emit(session, outbox, "complaint.received", received, correlation_id=reference)
    emit(session, outbox, "complaint.sealed", sealed_event_data(received, sealed, directory_version),
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
            return file_complaint(session, complaint, receipt_key, idempotency_key, now, messaging_key)
        raise
    return Filed(reference, receipt, True)
