"""What a mediator does through a signed link: accept, decline, record the outcome.

The token says who and which case; these functions check that the case is *still* that mediator's and in the
right state, and are idempotent: a second press of the same button changes nothing and says so.
Each returns a short code; the caller commits.
"""
from sqlalchemy import update

from libs.kit.outbox import emit
from services.notification.domain.business_hours import AMSTERDAM
from services.notification.domain.deliveries import delivery_key
from services.notification.domain.outcomes import OUTCOME_EVENT, OutcomeSchema, outcome_event_data
from services.notification.domain.timestamps import utc
from services.notification.tables import assignments, outbox
from services.notification.use_cases import complainant_messages, registry, sla
from services.notification.use_cases.assignment import case_facts, get_assignment
from services.notification.use_cases.deliveries import queue_message

DONE, ALREADY_DONE, STALE, NOT_ACCEPTED = "done", "already_done", "stale", "not_accepted"


def state_for(session, case_ref, mediator_id, action) -> str:
    """What pressing the button would do now (for the confirmation page; changes nothing)."""
    row = get_assignment(session, case_ref)
    if row is None:
        return STALE
    if row.mediator_id != mediator_id:
        return ALREADY_DONE if action == "decline" and mediator_id in (row.previous_mediators or []) else STALE
    if action == "accept":
        return {"requested": DONE, "accepted": ALREADY_DONE, "closed": ALREADY_DONE}.get(row.status, STALE)
    if action == "decline":
        return {"requested": DONE, "declined": ALREADY_DONE}.get(row.status, STALE)
    return {"accepted": DONE, "closed": ALREADY_DONE, "requested": NOT_ACCEPTED}.get(row.status, STALE)


def accept(session, case_ref, mediator_id, now) -> str:
    now = utc(now)
    row = get_assignment(session, case_ref, lock=True)
    code = state_for(session, case_ref, mediator_id, "accept")
    if code != DONE:
        return code
    session.execute(update(assignments).where(assignments.c.case_ref == case_ref).values(
        status="accepted", reacted_at=now))
    # the confirmation carries the outcome link
    queue_message(session, delivery_key("mediation-accepted", case_ref, mediator_id), case_ref, mediator_id,
                  _channel(session, mediator_id), "mediation_accepted", case_facts(row), now)
    complainant_messages.on_mediator_accepted(session, case_ref, now)  # if the person asked for messages
    return DONE


def decline(session, case_ref, mediator_id, now, policy) -> tuple[str, str | None]:
    """Returns (code, what happened to the case: reassign / to_coordinator)."""
    now = utc(now)
    get_assignment(session, case_ref, lock=True)
    code = state_for(session, case_ref, mediator_id, "decline")
    if code != DONE:
        return code, None
    session.execute(update(assignments).where(assignments.c.case_ref == case_ref).values(
        status="declined", reacted_at=now))
    # a decline is handed over at once (escalation.next_action: due now), not at the next timer tick
    handed = sla.act_on(session, get_assignment(session, case_ref), registry.all_mediators(session), policy, now)
    return DONE, handed


def record_outcome(session, case_ref, mediator_id, form: dict, now) -> str:
    """Validates `form` with OutcomeSchema (raises marshmallow.ValidationError), closes the assignment and
    emits `mediation.outcome_recorded` through the outbox."""
    now = utc(now)
    get_assignment(session, case_ref, lock=True)
    code = state_for(session, case_ref, mediator_id, "outcome")
    if code != DONE:
        return code
    recorded = OutcomeSchema().load(form)
    session.execute(update(assignments).where(assignments.c.case_ref == case_ref).values(
        status="closed", closed_at=now))
    emit(session, outbox, OUTCOME_EVENT,
         outcome_event_data(case_ref, recorded, now.astimezone(AMSTERDAM).date()), correlation_id=case_ref)
    return DONE


def _channel(session, mediator_id):
    mediator = next((m for m in registry.all_mediators(session) if m.id == mediator_id), None)
    return mediator.channel if mediator else "email"
