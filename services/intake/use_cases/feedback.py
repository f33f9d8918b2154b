""""Did it help?" and "is it solved?": when intake asks the person (from other services' events) and what an
answer does. The rules: domain/feedback.py.

Asked "did it help?" when the case closes: the desk closed it (`case.status_changed` to closed), the mediator's
outcome was recorded, or the clock of the plan's last step ran out (`referral.deadline_due` for that step). Asked "is
it solved?" when the clock of an earlier step says the institution's answer is due. Each is asked once (one open
question of a kind at a time; a step's clock once); `complaint.feedback_requested` lets notification send the
content-free "did it help?" e-mail (the "is it solved?" e-mail is its deadline message, from the same clock).

An answer is accepted once, within the window: `complaint.feedback_given` carries the closed-list answers to casework
(a reopen request puts the case back in the desk's queue) and analytics; a free answer goes sealed for the desk as a
message from the person; whether the answer came is also a progress report, as if reported on the page.
"""
from datetime import datetime, timezone

from sqlalchemy import select, update

from libs.contracts import conversation as messages_format
from libs.kit.db import lock_until_commit
from libs.kit.outbox import emit
from services.intake.domain import feedback as rules
from services.intake.tables import case_status, feedback_requests, outbox
from services.intake.use_cases import cases, conversation
from services.intake.use_cases.read_model import apply_status_event

CLOSED = "closed"


def _now(now):
    return now or datetime.now(timezone.utc)


def _requests(session, reference):
    return session.execute(select(feedback_requests).where(feedback_requests.c.reference == reference)
                           .order_by(feedback_requests.c.id)).fetchall()


def _live(session, reference) -> bool:
    case = cases.find_case(session, reference)
    return case is not None and case.status not in cases.ERASED_STATUSES


def ask(session, reference, about, trigger, asked_on, channel_id=None) -> bool:
    """Open a question unless one like it is open already (a closure question) or was asked for this step's
    clock; True if asked. "Did it help?" is announced to notification for its e-mail."""
    lock_until_commit(session, "intake-feedback", reference)
    earlier = _requests(session, reference)
    if about == "closure" and any(r.about == "closure" and r.answered_at is None and r.cancelled_on is None
                                  for r in earlier):
        return False
    if about == "answer_due" and any(r.about == "answer_due" and r.channel_id == channel_id for r in earlier):
        return False
    session.execute(feedback_requests.insert().values(reference=reference, about=about, trigger=trigger,
                                                      channel_id=channel_id, asked_on=asked_on))
    if about == "closure":
        emit(session, outbox, "complaint.feedback_requested",
             {"case_ref": reference, "trigger": trigger, "asked_on": asked_on}, correlation_id=reference)
    return True


# -- events in (service.py's @consumes table) ---------------------------------------------------------------------
def on_case_status_changed(session, event, _settings):
    data = event.data
    if not _live(session, data["case_ref"]):
        return
    if data["status"] == CLOSED:
        ask(session, data["case_ref"], "closure", "closed_by_desk", data["changed_on"])
    elif data["previous_status"] == CLOSED:  # reopened: there is nothing closed to judge any more
        session.execute(update(feedback_requests).where(
            feedback_requests.c.reference == data["case_ref"], feedback_requests.c.about == "closure",
            feedback_requests.c.answered_at.is_(None), feedback_requests.c.cancelled_on.is_(None),
        ).values(cancelled_on=data["changed_on"]))


def on_mediation_outcome(session, event, settings):
    apply_status_event(session, event, settings)  # the status view shows the outcome
    if _live(session, event.data["case_ref"]):
        ask(session, event.data["case_ref"], "closure", "mediation_outcome", event.data["recorded_on"])


def on_deadline_due(session, event, _settings):
    data = event.data
    if not _live(session, data["case_ref"]):
        return
    status = session.execute(select(case_status.c.plan).where(case_status.c.reference == data["case_ref"])).first()
    steps = (status.plan if status else None) or []
    if steps and steps[-1].get("channel_id") == data["channel_id"]:
        ask(session, data["case_ref"], "closure", "plan_ended", data["due_on"])
    else:
        ask(session, data["case_ref"], "answer_due", "answer_due", data["due_on"], channel_id=data["channel_id"])


# -- the person's answer ------------------------------------------------------------------------------------------
def question_view(session, reference, today=None):
    """The open question for the status view (API and page), or None."""
    question = rules.open_question(_requests(session, reference), (today or _now(None).date()))
    if question is None:
        return None
    return {"about": question.about, "trigger": question.trigger, "asked_on": question.asked_on.isoformat(),
            "answer_by": question.answer_by.isoformat()}


def answer(session, reference, raw: dict, now=None) -> dict:
    """Take the person's answer to the open question; returns the accepted answers. Raises FeedbackRefused with
    the code (not_asked, already_given, window_closed, comment_not_possible) or with {field: error code} for bad
    answers. Nothing is stored when it raises; the caller commits."""
    from services.intake.use_cases import follow_up  # follow_up's status view imports this module

    now = _now(now)
    today = now.date()
    lock_until_commit(session, "intake-feedback", reference)  # a double submit: the second one finds it answered
    requests = _requests(session, reference)
    question = rules.open_question(requests, today)
    if question is None:
        raise rules.FeedbackRefused(rules.why_not_open(requests, today))
    answers, errors = rules.check_answers(question.about, raw)
    if errors:
        raise rules.FeedbackRefused(errors)
    try:
        comment = messages_format.clean_text(answers["comment"])
    except messages_format.TextTooLong:
        raise rules.FeedbackRefused({"comment": "too_long"}) from None
    if comment:
        try:
            conversation.seal_free_answer(session, reference, comment, now)
        except conversation.NoConversation:
            raise rules.FeedbackRefused("comment_not_possible") from None
    session.execute(update(feedback_requests).where(feedback_requests.c.id == question.id).values(answered_at=now))
    given = {"case_ref": reference, "about": question.about, "trigger": question.trigger,
             "solved": answers["solved"], "answer_came": answers["answer_came"],
             "institution_treatment": answers["institution_treatment"], "desk_treatment": answers["desk_treatment"],
             "reopen": answers["reopen"], "with_comment": bool(comment), "given_on": today}
    emit(session, outbox, "complaint.feedback_given", given, correlation_id=reference)
    if answers["answer_came"] is not None:
        follow_up.add_progress(session, reference, "answer_received" if answers["answer_came"] else "no_answer_yet",
                               today)
    return {name: value for name, value in given.items() if name != "case_ref"}
