"""Notification's use cases on routing's events: assign a mediator when a plan asks for mediation, tell the
assigned mediator when a referral clock fires; queue every message in the delivery table (idempotency key)."""
from datetime import datetime

from sqlalchemy import delete, func, select

from libs.kit.outbox import emit
from libs.reference.municipalities import province_of
from services.notification.domain.deliveries import delivery_key
from services.notification.domain.escalation import SlaPolicy
from services.notification.domain.matching import choose_mediator
from services.notification.domain.timestamps import aware, utc
from services.notification.tables import assignments, deliveries, outbox
from services.notification.use_cases.deliveries import queue_message

OPEN_STATUSES = ("requested", "accepted")
CLOCK_TEMPLATES = {"referral.deadline_due": "deadline_due",
                   "referral.escalation_available": "escalation_available"}


def load_and_recency(session):
    rows = session.execute(
        select(assignments.c.mediator_id, func.count(), func.max(assignments.c.assigned_at))
        .where(assignments.c.status.in_(OPEN_STATUSES)).group_by(assignments.c.mediator_id)).fetchall()
    recency = session.execute(select(assignments.c.mediator_id, func.max(assignments.c.assigned_at))
                              .group_by(assignments.c.mediator_id)).fetchall()
    return ({row[0]: row[1] for row in rows}, {row[0]: row[1].isoformat() for row in recency})


def case_facts(row) -> dict:
    """The categories and date every message about an assignment may carry (never text, never contact)."""
    return {"reference": row.case_ref, "institution_type": row.institution_type, "issue": row.issue,
            "answer_due": row.answer_due and row.answer_due.isoformat(), "language": row.language}


def queue_request(session, row, mediator, now, policy: SlaPolicy, template="mediation_request"):
    """The request (or reminder) with accept/decline links; they expire a day after the reaction deadline."""
    respond_by = policy.after(aware(row.assigned_at), policy.reaction_hours)
    context = {**case_facts(row), "respond_by": respond_by.isoformat(timespec="minutes")}
    kind = "mediation-request" if template == "mediation_request" else "mediation-reminder"
    return queue_message(session, delivery_key(kind, row.case_ref, mediator.id), row.case_ref, mediator.id,
                         mediator.channel, template, context, now)


def get_assignment(session, case_ref, lock=False):
    query = select(assignments).where(assignments.c.case_ref == case_ref)
    if lock and session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    return session.execute(query).first()


def assign_mediator(session, plan: dict, mediators, now=None, policy: SlaPolicy = SlaPolicy()):
    """`referral.planned` → a mediator for a case that asked for mediation, their request queued and
    `mediation.assigned` (or `mediation.unmatched`) emitted. Returns the Match, or None when the case did not ask
    for mediation or already has a mediator."""
    if not plan["wants_mediation"]:
        return None
    case_ref = plan["case_ref"]
    if get_assignment(session, case_ref):
        return None  # a re-plan after progress keeps the mediator the case already has
    now = utc(now)
    load, recency = load_and_recency(session)
    match = choose_mediator(mediators, plan["language"], province_of(plan.get("municipality")),
                            plan["institution_type"], load, recency)
    if match.mediator is None:
        emit(session, outbox, "mediation.unmatched", {"case_ref": case_ref, "reason": match.reason},
             correlation_id=case_ref)
        return match
    mediator = match.mediator
    first_step = plan["steps"][0] if plan["steps"] else {}
    session.execute(assignments.insert().values(
        case_ref=case_ref, mediator_id=mediator.id, status="requested", institution_type=plan["institution_type"],
        assigned_on=now.date(), assigned_at=now, issue=plan["issue"], language=plan["language"],
        municipality=plan.get("municipality"), answer_due=first_step.get("answer_due"),
        reminders_sent=0, reassignments=0, previous_mediators=[]))
    queue_request(session, get_assignment(session, case_ref), mediator, now, policy)
    emit(session, outbox, "mediation.assigned",
         {"case_ref": case_ref, "mediator_id": mediator.id, "assigned_on": now.date()}, correlation_id=case_ref)
    return match


def tell_mediator_of_clock(session, event_type, data: dict, mediators_by_id, now=None):
    """`referral.deadline_due` / `referral.escalation_available` → a message to the case's current mediator.
    Returns the mediator id told, or None (no mediation, closed, or handed to the coordinator)."""
    row = get_assignment(session, data["case_ref"])
    if row is None or row.status not in OPEN_STATUSES:
        return None
    mediator = mediators_by_id.get(row.mediator_id)
    if mediator is None:
        return None
    template = CLOCK_TEMPLATES[event_type]
    due_on = data["due_on"].isoformat()
    # the webhook payload's date field is `answer_due`: here, the date that is due
    context = {**case_facts(row), "channel_id": data["channel_id"], "due_on": due_on, "answer_due": due_on}
    key = delivery_key(template, row.case_ref, data["channel_id"], due_on, mediator.id)
    queue_message(session, key, row.case_ref, mediator.id, mediator.channel, template, context, utc(now))
    return mediator.id


def erase_case(session, case_ref) -> int:
    """`complaint.withdrawn` (withdrawal or retention): forget the assignment and every message about the case,
    sent or not; its links stop working (no assignment, so nothing to accept). Returns rows removed."""
    removed = session.execute(delete(deliveries).where(deliveries.c.case_ref == case_ref)).rowcount
    return removed + session.execute(delete(assignments).where(assignments.c.case_ref == case_ref)).rowcount


def open_count(session) -> int:
    """Open mediation assignments (the `voorportaal_mediations_open` gauge)."""
    return session.execute(select(func.count()).select_from(assignments)
                           .where(assignments.c.status.in_(OPEN_STATUSES))).scalar()
