"""When a case needs the desk: the earliest open date of the referral plan's legal clocks, and the desk's own
handling term (a first human action within `handling_days` calendar days of receipt; CASEWORK_HANDLING_DAYS).

A plan step's `answer_due` (the institution must have answered) and `escalate_by` (the last day for the next step)
count while the step is open; a step that is done or not applicable does not.
"""
from datetime import date, timedelta

DUE_SOON_DAYS = 7
# plan step statuses (libs/referral_rules/plan.py) whose dates still matter: the step can be or will be taken
OPEN_STEP_STATUSES = ("available_now", "after_previous_step")


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def next_due(received_on: date | None, first_action_on: date | None, plan_steps: list,
             handling_days: int) -> date | None:
    candidates = []
    if first_action_on is None and received_on is not None:
        candidates.append(received_on + timedelta(days=handling_days))
    for step in plan_steps or ():
        if step.get("status") in OPEN_STEP_STATUSES:
            candidates += [d for d in (_as_date(step.get("answer_due")), _as_date(step.get("escalate_by"))) if d]
    return min(candidates) if candidates else None


def urgency(due: date | None, today: date) -> str | None:
    """"overdue", "due_soon" or None."""
    if due is None:
        return None
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return None
