"""Notification's use cases: assign a mediator when a plan asks for mediation; queue the message."""
import json
from datetime import datetime, timezone

from sqlalchemy import func, select

from services.common.municipalities import province_of
from services.common.outbox import emit
from services.notification.mediators import choose_mediator
from services.notification.models import assignments, deliveries, outbox

OPEN_STATUSES = ("requested", "accepted")


def _load_and_recency(session):
    rows = session.execute(
        select(assignments.c.mediator_id, func.count(), func.max(assignments.c.assigned_at))
        .where(assignments.c.status.in_(OPEN_STATUSES)).group_by(assignments.c.mediator_id)).fetchall()
    recency = session.execute(select(assignments.c.mediator_id, func.max(assignments.c.assigned_at))
                              .group_by(assignments.c.mediator_id)).fetchall()
    return ({row[0]: row[1] for row in rows}, {row[0]: row[1].isoformat() for row in recency})


def on_referral_planned(session, plan: dict, mediators, now=None):
    """Returns the Match, or None when the case did not ask for mediation or already has a mediator."""
    if not plan["wants_mediation"]:
        return None
    case_ref = plan["case_ref"]
    if session.execute(select(assignments.c.case_ref).where(assignments.c.case_ref == case_ref)).first():
        return None  # a re-plan after progress keeps the mediator the case already has
    now = now or datetime.now(timezone.utc)
    load, recency = _load_and_recency(session)
    match = choose_mediator(mediators, plan["language"], province_of(plan.get("municipality")),
                            plan["institution_type"], load, recency)
    if match.mediator is None:
        emit(session, outbox, "mediation.unmatched", {"case_ref": case_ref, "reason": match.reason},
             correlation_id=case_ref)
        return match
    mediator = match.mediator
    session.execute(assignments.insert().values(
        case_ref=case_ref, mediator_id=mediator.id, status="requested", institution_type=plan["institution_type"],
        assigned_on=now.date(), assigned_at=now))
    first_step = plan["steps"][0] if plan["steps"] else {}
    context = {"reference": case_ref, "institution_type": plan["institution_type"], "issue": plan["issue"],
               "answer_due": first_step.get("answer_due") and first_step["answer_due"].isoformat()}
    session.execute(deliveries.insert().values(
        idempotency_key=f"mediation-request:{case_ref}:{mediator.id}", case_ref=case_ref, channel="email",
        recipient_id=mediator.id, template="mediation_request", context=json.dumps(context),
        status="pending", attempts=0, next_attempt_at=now))
    emit(session, outbox, "mediation.assigned",
         {"case_ref": case_ref, "mediator_id": mediator.id, "assigned_on": now.date()}, correlation_id=case_ref)
    return match
