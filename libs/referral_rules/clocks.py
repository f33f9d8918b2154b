"""Clocks: the moments a plan step needs attention, and progress that moves a plan forward.

`due_clocks` is pure: the adapter calls it daily with the stored plan and remembers which clock keys already fired,
so each clock fires once. It reads dates, not the stored statuses, because those were computed on planning day.
"""
from dataclasses import dataclass, replace
from datetime import date

from libs.contracts.events import PROGRESS_KINDS
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.plan import ANSWERED, NOT_APPLICABLE, PlanStep

DEADLINE_DUE = "deadline_due"  # the institution's answer is due today or earlier
ESCALATION_AVAILABLE = "escalation_available"  # the next step's window is open
CLOCK_KINDS = (DEADLINE_DUE, ESCALATION_AVAILABLE)


@dataclass(frozen=True)
class Clock:
    kind: str
    channel_id: str
    due_on: date

    @property
    def key(self) -> str:
        """Stable identity for "fire once" bookkeeping."""
        return f"{self.kind}:{self.channel_id}:{self.due_on.isoformat()}"


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _step_view(step):
    """(channel_id, status, progress, dates dict) from a PlanStep, its to_dict(), or a flat step summary."""
    if isinstance(step, PlanStep):
        return step.channel_id, step.status, step.progress, step.dates.to_dict()
    dates = step.get("dates") or {key: step.get(key) for key in ("answer_due", "escalate_from", "escalate_by")}
    return step["channel_id"], step.get("status"), step.get("progress"), dates


def due_clocks(steps, today: date) -> list:
    """Every clock due on or before `today`, oldest first."""
    clocks = []
    for step in steps:
        channel_id, status, progress, dates = _step_view(step)
        if status == NOT_APPLICABLE:
            continue
        answer_due = _as_date(dates.get("answer_due"))
        if answer_due and answer_due <= today and progress != ANSWERED:
            clocks.append(Clock(DEADLINE_DUE, channel_id, answer_due))
        opens, closes = _as_date(dates.get("escalate_from")), _as_date(dates.get("escalate_by"))
        if opens and opens <= today and (closes is None or today <= closes):
            clocks.append(Clock(ESCALATION_AVAILABLE, channel_id, opens))
    return sorted(clocks, key=lambda clock: (clock.due_on, clock.kind, clock.channel_id))


# A plan with no clock left to fire: a date (not NULL, which means "not computed yet") so that the timer's index
# never selects it again
NO_CLOCK_LEFT = date(9999, 12, 31)


def clock_schedule(steps, fired_keys, today: date) -> tuple[date, int]:
    """(the first day a clock of this plan that has not fired yet comes due, or NO_CLOCK_LEFT; how many open answer
    deadlines have passed by `today`). The clock timer looks at a plan only from that day on, through an index,
    instead of reading every open plan every minute (make bench with a million stored: 1.7 s of reading and many
    seconds of Python each minute, the routing process stalled meanwhile). An escalation window that closed before
    `today` cannot fire any more, as in `due_clocks`."""
    candidates, overdue = [], 0
    for step in steps:
        channel_id, status, progress, dates = _step_view(step)
        if status == NOT_APPLICABLE:
            continue
        answer_due = _as_date(dates.get("answer_due"))
        if answer_due and progress != ANSWERED:
            overdue += answer_due <= today
            if Clock(DEADLINE_DUE, channel_id, answer_due).key not in fired_keys:
                candidates.append(answer_due)
        opens, closes = _as_date(dates.get("escalate_from")), _as_date(dates.get("escalate_by"))
        if opens and (closes is None or today <= closes) and \
                Clock(ESCALATION_AVAILABLE, channel_id, opens).key not in fired_keys:
            candidates.append(opens)
    return (min(candidates) if candidates else NO_CLOCK_LEFT), overdue


# The institution wrote that it takes up to 4 more weeks (Awb 9:11 lid 2), which moves the end of its term and so
# the next step (docs/routing.md).
EXTENSION_NOTIFIED = "extension_notified"


def apply_progress(facts: ComplaintFacts, kind: str, on: date) -> ComplaintFacts:
    """The facts after the person reports progress (events.PROGRESS_KINDS)."""
    if kind not in PROGRESS_KINDS:
        raise ValueError(f"unknown progress kind {kind!r}")
    if kind == EXTENSION_NOTIFIED:
        return replace(facts, extension_notified=True)
    if kind == "filed_with_institution":
        return replace(facts, prior_complaint_filed_on=on)
    if kind in ("answer_received", "final_answer_received"):
        return replace(facts, prior_final_answer_on=on)
    return facts  # no_answer_yet: nothing changes; the clocks already count from the filing date
