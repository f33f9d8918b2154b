"""Filing, following up and withdrawing a complaint: intake's use cases, free of HTTP and nameko."""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from libs.contracts.messaging_keys import key_id, seal_contact
from libs.kit.outbox import emit
from services.intake import receipts
from services.intake.models import case_status, complaints, idempotency_keys, outbox
from services.intake.schemas import CONSENT_WORDING_VERSION
from services.intake.sealing import seal


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request body."""


@dataclass(frozen=True)
class Filed:
    reference: str
    receipt: str
    created: bool  # False when an idempotent retry returned the earlier complaint


def fingerprint(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _event_data(reference, complaint, now):
    consent = complaint["consent"]
    contact = complaint.get("contact")
    return {
        "case_ref": reference, "received_on": now.date(),
        "institution_type": complaint["institution_type"], "issue": complaint["issue"],
        "municipality": complaint.get("municipality"), "capacity": complaint.get("capacity"),
        "incident_date": complaint.get("incident_date"), "prior_complaint": complaint.get("prior_complaint"),
        "language": complaint["language"], "reporter_role": complaint["reporter_role"],
        "wants_mediation": complaint["wants_mediation"],
        "has_contact": bool(contact and contact["method"] != "none"),
        "consent": {k: consent[k] for k in ("referral", "share_description", "contact")},
    }


MESSAGES_EVENT = "complaint.messages_requested"


def _messages_event_data(reference, complaint, messaging_key):
    """Status messages to the person: only with consent to be contacted and a contact method. The e-mail
    address is sealed to notification's messaging key; a phone number is not sent at all (no SMS channel)."""
    contact = complaint.get("contact")
    if not (complaint["consent"]["contact"] and contact and contact["method"] in ("email", "phone")):
        return None
    data = {"case_ref": reference, "language": complaint["language"], "channel": contact["method"],
            "sealed_address": None, "key_id": None}
    if contact["method"] == "email":
        if messaging_key is None:
            return None
        data.update(sealed_address=seal_contact(messaging_key, reference, contact["address"].strip()),
                    key_id=key_id(messaging_key))
    return data


def _forget_messages_events(session, references):
    """Withdrawal, retention: the outbox keeps published rows; drop the (sealed) contact events of these cases
    (one statement for a whole retention batch)."""
    if references:
        session.execute(delete(outbox).where(outbox.c.routing_key == MESSAGES_EVENT, or_(*(
            outbox.c.body.contains(f'"case_ref":"{reference}"', autoescape=True) for reference in references))))


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
    emit(session, outbox, "complaint.received", _event_data(reference, complaint, now), correlation_id=reference)
    messages = _messages_event_data(reference, complaint, messaging_key)
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


def find_case(session, reference):
    return session.execute(select(complaints).where(complaints.c.reference == reference)).first()


def case_view(session, reference):
    """What the person sees with their receipt: status, plan, mediation; never the sealed content."""
    case = find_case(session, reference)
    status = session.execute(select(case_status).where(case_status.c.reference == reference)).first()
    return {
        "reference": reference,
        "status": case.status,
        "received_on": case.received_at.date().isoformat(),
        "institution_type": case.institution_type,
        "issue": case.issue,
        "wants_mediation": case.wants_mediation,
        # may the desk contact the person (status messages)? The person can withdraw this (stop_messages)
        "contact_consent": bool(case.consent.get("contact")),
        "plan": (status.plan if status else None),
        "directory_version": (status.directory_version if status else None),
        "mediator": {"assigned": bool(status and status.mediator_assigned_on),
                     "assigned_on": (status.mediator_assigned_on.isoformat()
                                     if status and status.mediator_assigned_on else None),
                     "outcome": status.mediation_outcome if status else None},
        "progress": (status.progress if status and status.progress else []),
    }


def report_progress(session, reference, kind, on):
    now = datetime.now(timezone.utc)
    status = session.execute(select(case_status).where(case_status.c.reference == reference)).first()
    progress = list(status.progress or []) if status else []
    progress.append({"kind": kind, "on": on.isoformat(), "reported_at": now.date().isoformat()})
    _upsert_status(session, reference, progress=progress)
    emit(session, outbox, "complaint.progress_reported", {"case_ref": reference, "kind": kind, "on": on},
         correlation_id=reference)
    session.commit()


ERASED_STATUSES = ("withdrawn", "expired")
MESSAGES_STOPPED_EVENT = "complaint.messages_stopped"


def stop_messages(session, reference, now=None) -> bool:
    """The person withdraws consent to be contacted; the complaint stays open. Recorded in the consent (with
    when), the unpublished request with the sealed address is dropped, and notification is told to forget the
    address. False when there was no consent to withdraw (nothing changes, nothing is emitted).

    The desk's sealed copy of the contact details stays until withdrawal or retention: intake holds public keys
    only and cannot open it to take the address out; case handlers see the withdrawn consent next to it."""
    now = now or datetime.now(timezone.utc)
    # locked: a withdrawal at the same moment must not have its erased consent written back
    case = session.execute(select(complaints).where(complaints.c.reference == reference).with_for_update()).first()
    if case is None or case.status in ERASED_STATUSES or not case.consent.get("contact"):
        return False
    consent = dict(case.consent, contact=False, contact_withdrawn_at=now.isoformat())
    session.execute(update(complaints).where(complaints.c.reference == reference).values(consent=consent))
    _forget_messages_events(session, [reference])
    emit(session, outbox, MESSAGES_STOPPED_EVENT, {"case_ref": reference}, correlation_id=reference)
    session.commit()
    return True


def withdraw(session, reference):
    """Erase content and receipt now; tell every service (and through routing, every partner)."""
    now = datetime.now(timezone.utc)
    session.execute(update(complaints).where(complaints.c.reference == reference).values(
        status="withdrawn", sealed_content=None, wrapped_keys=None, receipt_hash=None, closed_at=now,
        consent={}))
    session.execute(delete(case_status).where(case_status.c.reference == reference))
    _forget_messages_events(session, [reference])
    emit(session, outbox, "complaint.withdrawn", {"case_ref": reference}, correlation_id=reference)
    session.commit()


def _upsert_status(session, reference, **values):
    values["updated_at"] = datetime.now(timezone.utc)
    result = session.execute(update(case_status).where(case_status.c.reference == reference).values(**values))
    if result.rowcount == 0:
        session.execute(case_status.insert().values(reference=reference, **values))


def apply_status_event(session, event, _settings):
    """Keep intake's read model in step with routing and notification (called once per event id)."""
    event_type, data = event.type, event.data
    reference = data["case_ref"]
    case = find_case(session, reference)
    if case is None or case.status in ERASED_STATUSES:
        # erased cases (withdrawn, or expired by retention) get no new status: nothing to show and nothing to keep.
        # Without this, a plan event arriving after the purge set an expired case back to "planned", and the next
        # purge erased and announced it a second time.
        return
    if event_type == "referral.planned":
        plan = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in step.items()}
                for step in data["steps"]]
        _upsert_status(session, reference, plan=plan, directory_version=data["directory_version"])
        session.execute(update(complaints).where(complaints.c.reference == reference).values(status="planned"))
    elif event_type == "mediation.assigned":
        _upsert_status(session, reference, mediator_assigned_on=data["assigned_on"])
    elif event_type == "mediation.outcome_recorded":
        _upsert_status(session, reference, mediation_outcome=data["outcome"])


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
        session.execute(update(complaints).where(complaints.c.reference == reference).values(
            status="expired", sealed_content=None, wrapped_keys=None, receipt_hash=None, closed_at=now,
            consent={}))
        session.execute(delete(case_status).where(case_status.c.reference == reference))
        emit(session, outbox, "complaint.withdrawn", {"case_ref": reference}, correlation_id=reference)
    _forget_messages_events(session, references)
    session.execute(delete(idempotency_keys).where(idempotency_keys.c.created_at < now - timedelta(days=1)))
    session.commit()
    return len(references)
