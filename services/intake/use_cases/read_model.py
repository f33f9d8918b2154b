"""Intake's read model of what routing and notification did with a case (the plan, the mediator, the outcome),
fed by their events: the person's status view never calls another service on their request."""
from datetime import datetime, timezone

from sqlalchemy import select, update

from libs.kit.db import upsert
from services.intake.tables import case_status, complaints, partner_status
from services.intake.use_cases import cases


def upsert_status(session, reference, **values):
    values["updated_at"] = datetime.now(timezone.utc)
    upsert(session, case_status, {"reference": reference}, values)


def apply_status_event(session, event, _settings):
    """The handler of `referral.planned`, `mediation.assigned` and `mediation.outcome_recorded` (service.py's
    event table): keep the read model in step (called once per event id)."""
    event_type, data = event.type, event.data
    reference = data["case_ref"]
    # erased cases (withdrawn, or expired by retention) get no new status: nothing to show and nothing to keep.
    # Without this, a plan event arriving after the purge set an expired case back to "planned", and the next
    # purge erased and announced it a second time.
    if event_type == "referral.planned":
        # the status and the check in one statement: no row updated, no case to keep a plan for
        if session.execute(update(complaints).where(
                complaints.c.reference == reference, complaints.c.status.not_in(cases.ERASED_STATUSES),
        ).values(status="planned").returning(complaints.c.reference)).first() is None:
            return
        plan = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in step.items()}
                for step in data["steps"]]
        upsert_status(session, reference, plan=plan, directory_version=data["directory_version"])
        return
    case = cases.find_case(session, reference)
    if case is None or case.status in cases.ERASED_STATUSES:
        return
    if event_type == "mediation.assigned":
        upsert_status(session, reference, mediator_assigned_on=data["assigned_on"])
    elif event_type == "mediation.outcome_recorded":
        upsert_status(session, reference, mediation_outcome=data["outcome"])


def apply_partner_status(session, event, _settings):
    """The handler of `referral.partner_status_changed`: the latest status each partner gave, for the follow-up
    page. An update older than the one shown (a late redelivery) does not replace it."""
    data = event.data
    reference = data["case_ref"]
    case = cases.find_case(session, reference)
    if case is None or case.status in cases.ERASED_STATUSES:
        return
    values = {"status": data["status"], "outcome": data["outcome"], "changed_at": data["changed_at"]}
    current = session.execute(select(partner_status.c.changed_at).where(
        partner_status.c.reference == reference, partner_status.c.partner_id == data["partner_id"])).first()
    if current is None:
        session.execute(partner_status.insert().values(reference=reference, partner_id=data["partner_id"], **values))
    elif _aware(current.changed_at) <= data["changed_at"]:
        session.execute(update(partner_status).where(partner_status.c.reference == reference,
                                                     partner_status.c.partner_id == data["partner_id"]).values(**values))


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite returns naive UTC
