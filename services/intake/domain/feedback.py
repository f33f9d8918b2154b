"""The rules of "did it help?" and "is it solved?" (pure): when the person may answer, which question is open,
and what an answer must hold. The page and the API read answers through `check_answers`, so both refuse the same.

A question stays open for WINDOW_DAYS after it was asked and is answered once. A case that is reopened before the
person answered has its closure question cancelled (there is nothing closed to judge).
"""
from dataclasses import dataclass
from datetime import date, timedelta

from libs.contracts.events import FEEDBACK_ABOUT, SOLVED_ANSWERS

WINDOW_DAYS = 90
COMMENT_MAX_CHARS = 2000
TREATMENT_LEVELS = (1, 2, 3, 4, 5)
ANSWER_CAME = ("yes", "no")


class FeedbackRefused(ValueError):
    """not_asked (no question for this case), already_given, window_closed; or a bad answer (see check_answers)."""


@dataclass(frozen=True)
class Question:
    id: int
    about: str  # closure, answer_due
    trigger: str
    asked_on: date

    @property
    def answer_by(self) -> date:
        return self.asked_on + timedelta(days=WINDOW_DAYS)


def open_question(requests, today: date) -> Question | None:
    """The question the person may answer now: a closure question before an "is it solved?", the latest first."""
    waiting = [r for r in requests if r.answered_at is None and r.cancelled_on is None
               and today <= r.asked_on + timedelta(days=WINDOW_DAYS)]
    if not waiting:
        return None
    best = max(waiting, key=lambda r: (r.about == "closure", r.asked_on, r.id))
    return Question(best.id, best.about, best.trigger, best.asked_on)


def why_not_open(requests, today: date) -> str:
    """Why there is no open question, as the error code the API and the page show."""
    unanswered = [r for r in requests if r.answered_at is None and r.cancelled_on is None]
    if unanswered:
        return "window_closed"
    if any(r.answered_at is not None for r in requests):
        return "already_given"
    return "not_asked"


def check_answers(about: str, raw: dict) -> tuple[dict, dict]:
    """(answers, {field: error code}) from the page's or the API's values (strings or typed).

    `solved` is required; the two treatment scales and the free answer are optional; `answer_came` is asked (and
    required) only for "is it solved?"; `reopen` is a yes/no."""
    assert about in FEEDBACK_ABOUT
    errors, answers = {}, {}
    solved = raw.get("solved")
    if solved in SOLVED_ANSWERS:
        answers["solved"] = solved
    else:
        errors["solved"] = "required_choice" if solved in (None, "") else "invalid_choice"
    for name in ("institution_treatment", "desk_treatment"):
        value = raw.get(name)
        if value in (None, ""):
            answers[name] = None
            continue
        try:
            level = int(value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            level = None
        if level in TREATMENT_LEVELS and str(value).strip() == str(level):
            answers[name] = level
        else:
            errors[name] = "invalid_choice"
    answers["answer_came"] = None
    if about == "answer_due":
        came = raw.get("answer_came")
        came = {"yes": True, "no": False}.get(came, came) if isinstance(came, str) else came
        if isinstance(came, bool):
            answers["answer_came"] = came
        else:
            errors["answer_came"] = "required_choice" if came in (None, "") else "invalid_choice"
    reopen = raw.get("reopen", False)
    reopen = {"yes": True, "no": False, "": False}.get(reopen, reopen) if isinstance(reopen, str) else reopen
    if isinstance(reopen, bool):
        answers["reopen"] = reopen
    else:
        errors["reopen"] = "invalid_choice"
    comment = raw.get("comment") or ""
    if not isinstance(comment, str):
        errors["comment"] = "invalid"
    elif len(comment) > COMMENT_MAX_CHARS:
        errors["comment"] = "too_long"
    else:
        answers["comment"] = comment
    return answers, errors
