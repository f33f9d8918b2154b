"""Intake's read model of what routing and notification did with a case (the plan, the mediator, the outcome),
fed by their events: the person's status view never calls another service on their request."""
from datetime import datetime, timezone

from sqlalchemy import update

from services.intake.tables import case_status, complaints
from services.intake.use_cases import cases


def upsert_status(session, reference, **values):
    values["updated_at"] = datetime.now(timezone.utc)
    result = session.execute(update(case_status).where(case_status.c.reference == reference).values(**values))
    if result.rowcount == 0:
        session.execute(case_status.insert().values(reference=reference, **values))


def apply_status_event(session, event, _settings):
    """The handler of `referral.planned`, `mediation.assigned` and `mediation.outcome_recorded` (service.py's
    event table): keep the read model in step (called once per event id)."""
    event_type, data = event.type, event.data
    reference = data["case_ref"]
    case = cases.find_case(session, reference)
    if case is None or case.status in cases.ERASED_STATUSES:
        # erased cases (withdrawn, or expired by retention) get no new status: nothing to show and nothing to keep.
        # Without this, a plan event arriving after the purge set an expired case back to "planned", and the next
        # purge erased and announced it a second time.
        return
    if event_type == "referral.planned":
        plan = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in step.items()}
                for step in data["steps"]]
        upsert_status(session, reference, plan=plan, directory_version=data["directory_version"])
        session.execute(update(complaints).where(complaints.c.reference == reference).values(status="planned"))
    elif event_type == "mediation.assigned":
        upsert_status(session, reference, mediator_assigned_on=data["assigned_on"])
    elif event_type == "mediation.outcome_recorded":
        upsert_status(session, reference, mediation_outcome=data["outcome"])
