"""Following up a complaint with its receipt (API and follow-up page alike): see its status, report progress with
the institution, stop the status messages, withdraw it. The receipt is checked before any of these
(use_cases/receipt_check.py)."""
from datetime import datetime, timezone

from sqlalchemy import select, update

from libs.kit.outbox import emit
from services.intake.domain.complaint_events import MESSAGES_EVENT, MESSAGES_STOPPED_EVENT
from services.intake.tables import case_status, complaints, outbox, partner_status
from services.intake.use_cases import cases, feedback
from services.intake.use_cases.erasure import erase_case, forget_messages_events
from services.intake.use_cases.read_model import upsert_status


def case_view(session, reference):
    """What the person sees with their receipt: status, plan, mediation; never the sealed content."""
    case = cases.find_case(session, reference)
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
        # what the organisations the case was referred to said (codes; the page words them in the person's language)
        "partner_updates": [
            {"partner_id": row.partner_id, "status": row.status, "outcome": row.outcome,
             "changed_on": row.changed_at.date().isoformat()}
            for row in session.execute(select(partner_status).where(partner_status.c.reference == reference)
                                       .order_by(partner_status.c.partner_id)).fetchall()],
        # "did it help?" / "is it solved?" when the person is asked now (use_cases/feedback.py)
        "feedback_question": feedback.question_view(session, reference),
    }


def report_progress(session, reference, kind, on):
    add_progress(session, reference, kind, on)
    session.commit()


def add_progress(session, reference, kind, on):
    """Record a progress report in the read model and tell the other services (the caller commits)."""
    now = datetime.now(timezone.utc)
    status = session.execute(select(case_status).where(case_status.c.reference == reference)).first()
    progress = list(status.progress or []) if status else []
    progress.append({"kind": kind, "on": on.isoformat(), "reported_at": now.date().isoformat()})
    upsert_status(session, reference, progress=progress)
    emit(session, outbox, "complaint.progress_reported", {"case_ref": reference, "kind": kind, "on": on},
         correlation_id=reference)


def stop_messages(session, reference, now=None) -> bool:
    """The person withdraws consent to be contacted; the complaint stays open. Recorded in the consent (with
    when), the unpublished request with the sealed address is dropped, and notification is told to forget the
    address. False when there was no consent to withdraw (nothing changes, nothing is emitted).

    The desk's sealed copy of the contact details (casework's case file) stays until withdrawal or retention: nobody
    on the server can open it to take the address out; case handlers see the withdrawn consent next to it."""
    now = now or datetime.now(timezone.utc)
    # locked: a withdrawal at the same moment must not have its erased consent written back
    case = session.execute(select(complaints).where(complaints.c.reference == reference).with_for_update()).first()
    if case is None or case.status in cases.ERASED_STATUSES or not case.consent.get("contact"):
        return False
    consent = dict(case.consent, contact=False, contact_withdrawn_at=now.isoformat())
    session.execute(update(complaints).where(complaints.c.reference == reference).values(consent=consent))
    forget_messages_events(session, [reference], event_types=(MESSAGES_EVENT,))  # the case file must still go
    emit(session, outbox, MESSAGES_STOPPED_EVENT, {"case_ref": reference}, correlation_id=reference)
    session.commit()
    return True


def withdraw(session, reference, key):
    """Erase the case to a tombstone now (`key`: the receipt key); tell every service (and through routing, every
    partner)."""
    erase_case(session, reference, "withdrawn", datetime.now(timezone.utc), key)
    forget_messages_events(session, [reference])
    session.commit()
