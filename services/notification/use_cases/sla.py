"""Acting on the reaction SLA (domain/escalation.py decides, this module does): remind, reassign, hand to the
coordinator.

`check_open_assignments` is what the service's timer calls; it takes `now` from the caller, so tests pass any
moment. The service's clock is `settings.now()`: NOTIFICATION_NOW pins it (tests, demos); the policy is
`settings.policy_from_env()`.
"""
from collections import Counter

from sqlalchemy import select, update

from libs.kit.outbox import emit
from libs.reference.municipalities import province_of
from services.notification.domain.deliveries import COORDINATOR, delivery_key
from services.notification.domain.escalation import (
    REASSIGN, REMIND, TO_COORDINATOR, AssignmentState, SlaPolicy, next_action,
)
from services.notification.domain.matching import choose_mediator
from services.notification.domain.timestamps import aware, utc
from services.notification.tables import assignments, outbox
from services.notification.use_cases import registry
from services.notification.use_cases.assignment import case_facts, get_assignment, load_and_recency, queue_request
from services.notification.use_cases.deliveries import queue_message

WATCHED_STATUSES = ("requested", "declined")  # the statuses escalation.next_action can still act on
COORDINATOR_STATUS = "coordinator"


def to_coordinator(session, row, now, why) -> str:
    """The case leaves the round of mediators and waits for the desk's coordinator (one e-mail per case)."""
    session.execute(update(assignments).where(assignments.c.case_ref == row.case_ref).values(
        status=COORDINATOR_STATUS))
    queue_message(session, delivery_key("coordinator-handover", row.case_ref), row.case_ref, COORDINATOR, "email",
                  "coordinator_handover", {**case_facts(row), "why": why}, now)
    emit(session, outbox, "mediation.unmatched", {"case_ref": row.case_ref, "reason": f"coordinator: {why}"},
         correlation_id=row.case_ref)
    return TO_COORDINATOR


def reassign(session, row, mediators, policy, now, why) -> str:
    """To the best-fitting mediator who has not had this case; to the coordinator when there is none."""
    now = utc(now)
    had_it = list(row.previous_mediators or []) + [row.mediator_id]
    load, recency = load_and_recency(session)
    candidates = [m for m in mediators if m.id not in had_it]
    match = choose_mediator(candidates, row.language, province_of(row.municipality), row.institution_type,
                            load, recency)
    if match.mediator is None:
        return to_coordinator(session, row, now, f"{why}; no other mediator fits")
    mediator = match.mediator
    session.execute(update(assignments).where(assignments.c.case_ref == row.case_ref).values(
        mediator_id=mediator.id, status="requested", assigned_on=now.date(), assigned_at=now, reminders_sent=0,
        reassignments=row.reassignments + 1, previous_mediators=had_it, reacted_at=None))
    queue_request(session, get_assignment(session, row.case_ref), mediator, now, policy)
    emit(session, outbox, "mediation.assigned",
         {"case_ref": row.case_ref, "mediator_id": mediator.id, "assigned_on": now.date()},
         correlation_id=row.case_ref)
    return REASSIGN


def act_on(session, row, mediators, policy: SlaPolicy, now) -> str | None:
    """Carry out the SLA's next step for one assignment if it is due; returns what was done, or None."""
    now = utc(now)
    state = AssignmentState(row.status, aware(row.assigned_at), row.reminders_sent or 0, row.reassignments or 0)
    action = next_action(state, now, policy)
    if action is None or not action.is_due(now):
        return None
    why = "declined" if row.status == "declined" else "no reaction in time"
    if action.kind == REMIND:
        mediator = next((m for m in mediators if m.id == row.mediator_id), None)
        if mediator is not None:
            queue_request(session, row, mediator, now, policy, template="mediation_reminder")
        session.execute(update(assignments).where(assignments.c.case_ref == row.case_ref).values(
            reminders_sent=(row.reminders_sent or 0) + 1))
        return REMIND
    if action.kind == TO_COORDINATOR:
        return to_coordinator(session, row, now, f"{why}; {row.reassignments} reassignments already")
    return reassign(session, row, mediators, policy, now, why)


def check_open_assignments(session, policy: SlaPolicy, now, batch=100) -> Counter:
    """Evaluate every waiting or declined assignment once; one commit per case. Returns counts per action."""
    done = Counter()
    query = select(assignments.c.case_ref).where(assignments.c.status.in_(WATCHED_STATUSES)) \
        .order_by(assignments.c.assigned_at).limit(batch)
    mediators = registry.all_mediators(session)
    for case_ref in session.execute(query).scalars().all():
        row = get_assignment(session, case_ref, lock=True)
        if row is None or row.status not in WATCHED_STATUSES:
            session.rollback()
            continue
        kind = act_on(session, row, mediators, policy, now)
        session.commit()
        if kind:
            done[kind] += 1
    return done
