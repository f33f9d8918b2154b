"""The person's answer to "did it help?" / "is it solved?" (`complaint.feedback_given`, from intake's follow-up
page): the desk sees it in the case's history, and a request to reopen puts a closed case back in the queue.

Only closed-list answers arrive here; a free answer comes sealed as a conversation message (conversation.py), so
the desk reads it with the case key like any message from the person.
"""
from datetime import datetime, timezone

from sqlalchemy import update

from libs.kit.outbox import emit
from services.casework import metrics
from services.casework.domain import statuses
from services.casework.tables import cases, outbox
from services.casework.use_cases.case_events import event_case, note_history, per_case

ANSWERS = ("about", "trigger", "solved", "answer_came", "institution_treatment", "desk_treatment", "reopen",
           "with_comment")


@per_case
def on_feedback_given(session, event, _settings):
    data, now = event.data, datetime.now(timezone.utc)
    row = event_case(session, data["case_ref"], now)
    if row is None:
        return  # erased (withdrawn): nothing to reopen, nothing to keep
    note_history(session, row.case_ref, "feedback.given", now, **{name: data[name] for name in ANSWERS})
    if data["reopen"]:
        reopen(session, row, now)


def reopen(session, row, now):
    """Back in the desk's queue: a closed case goes to in progress; either way it is due today, so it shows in the
    lists of what needs attention now (due soon, the handler's own) until someone acts on it."""
    values = {"next_due": now.date(), "updated_at": now}
    if row.status == statuses.CLOSED:
        statuses.check_transition(row.status, statuses.IN_PROGRESS, None)
        values.update(status=statuses.IN_PROGRESS, closure_reason=None, closed_on=None)
        emit(session, outbox, "case.status_changed", {
            "case_ref": row.case_ref, "status": statuses.IN_PROGRESS, "previous_status": row.status,
            "closure_reason": None, "changed_on": now.date()}, correlation_id=row.case_ref)
        metrics.STATUS_CHANGES.labels(metrics.SERVICE, statuses.IN_PROGRESS).inc()
    session.execute(update(cases).where(cases.c.case_ref == row.case_ref).values(**values))
    note_history(session, row.case_ref, "case.reopen_requested", now, previous=row.status)
