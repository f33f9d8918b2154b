"""The case fact, folded from events: pure functions, no database, no framework.

A case's state is a plain dict. `fold(state, event_type, data, occurred_at)` adds one event; `fact_row`,
`clock_row` and `step_rows` split the state into what the store keeps: the de-identified fact row (month,
province, categories, durations in days), the clock row (the few dates needed to compute durations from later
events) and the plan's steps (directory codes only); `state_from_rows` reads them back. The result does not
depend on the order the events arrive in: every date is kept as "earliest seen" or "latest plan wins", so a
redelivered or late event gives the same facts.
"""
from datetime import date, datetime

from libs.contracts.events import ISSUES, SOLVED_ANSWERS
from libs.reference.municipalities import province_of
from services.analytics.domain.codes import directory_code

# A trafficking or acute-danger signal. The events carry no signal flag, so the evaluation derives it from the
# issue, the same closed list the intake form uses; docs/indicators.md states this definition.
SIGNAL_ISSUES = ("violence", "exploitation")
assert set(SIGNAL_ISSUES) <= set(ISSUES)

# Where a case stands at the institution's own step (the first line). Order = precedence when deriving.
STAGES = ("final_answer", "escalation_available", "answered", "filed_waiting", "not_filed")
MEDIATION_STATES = ("not_requested", "waiting", "unmatched", "assigned", "closed")

# "Did it help?": a treatment answer of 4 or 5 (well, very well) counts as treated with respect
RESPECTED_FROM = 4
assert set(SOLVED_ANSWERS) == {"yes", "partly", "no"}

CLOCK_FIELDS = (
    "received_on", "first_plan_on", "filed_on", "answer_on", "final_answer_on", "answer_due", "plan_as_of",
    "escalation_on", "assigned_on", "outcome_on", "last_event_on",
    "first_desk_action_on", "closed_on", "feedback_on",
)


def new_state() -> dict:
    state = {name: None for name in CLOCK_FIELDS}
    state.update(received=False, institution_type=None, issue=None, province=None, reporter_role=None,
                 capacity=None, had_prior_complaint=None, wants_mediation=False, plan_count=0,
                 deadline_due_count=0, mediation_unmatched=False,
                 mediation_outcome=None, satisfaction=None, steps=[],
                 solved=None, institution_respect=None, desk_respect=None, reopen_requested=False)
    return state


def _earliest(current: date | None, new: date | None) -> date | None:
    if new is None:
        return current
    return new if current is None or new < current else current


def _on_received(state, data, _day):
    state["received"] = True
    state["received_on"] = data["received_on"]
    for name in ("institution_type", "issue", "reporter_role", "capacity"):
        state[name] = data[name]
    state["province"] = province_of(data.get("municipality"))
    state["wants_mediation"] = state["wants_mediation"] or data["wants_mediation"]
    prior = data.get("prior_complaint") or {}
    state["had_prior_complaint"] = prior.get("filed_on") is not None
    state["filed_on"] = _earliest(state["filed_on"], prior.get("filed_on"))
    if prior.get("final_answer_on") is not None:
        state["answer_on"] = _earliest(state["answer_on"], prior["final_answer_on"])
        state["final_answer_on"] = _earliest(state["final_answer_on"], prior["final_answer_on"])


def _on_progress(state, data, _day):
    kind, on = data["kind"], data["on"]
    if kind == "filed_with_institution":
        state["filed_on"] = _earliest(state["filed_on"], on)
    elif kind == "answer_received":
        state["answer_on"] = _earliest(state["answer_on"], on)
    elif kind == "final_answer_received":
        state["answer_on"] = _earliest(state["answer_on"], on)
        state["final_answer_on"] = _earliest(state["final_answer_on"], on)
    # "no_answer_yet" changes no fact: the waiting shows as a missing answer date


def _on_planned(state, data, day):
    state["plan_count"] += 1
    state["first_plan_on"] = _earliest(state["first_plan_on"], day)
    if not state["received"]:  # complaint.received not seen yet: the plan carries the same categories
        state["institution_type"] = state["institution_type"] or data["institution_type"]
        state["issue"] = state["issue"] or data["issue"]
        state["province"] = state["province"] or province_of(data.get("municipality"))
    state["wants_mediation"] = state["wants_mediation"] or data["wants_mediation"]
    if state["plan_as_of"] is not None and day < state["plan_as_of"]:
        return  # an older plan arriving late: the newer one stays
    state["steps"] = [{"channel_id": step["channel_id"], "kind": step["kind"], "status": step["status"]}
                      for step in data["steps"]]
    dues = [step["answer_due"] for step in data["steps"] if step.get("answer_due") is not None]
    state["answer_due"] = dues[0] if dues else None
    state["plan_as_of"] = day


def _on_deadline_due(state, data, _day):
    # per case, not per step: a clock can arrive before the plan it belongs to, and the step statuses of the
    # latest plan already tell which step is open
    state["deadline_due_count"] += 1


def _on_escalation_available(state, data, _day):
    state["escalation_on"] = _earliest(state["escalation_on"], data["due_on"])


def _on_assigned(state, data, _day):
    state["assigned_on"] = _earliest(state["assigned_on"], data["assigned_on"])


def _on_unmatched(state, _data, _day):
    state["mediation_unmatched"] = True  # the reason is free-ish text: never kept


def _on_outcome(state, data, _day):
    if state["outcome_on"] is None or data["recorded_on"] >= state["outcome_on"]:
        state["mediation_outcome"] = data["outcome"]
        state["satisfaction"] = data.get("satisfaction")
        state["outcome_on"] = data["recorded_on"]


def _on_status_changed(state, data, _day):
    # every change is the desk at work, and the first is away from `new`: the first human contact (the events carry
    # no separate contact date); the first closure ends the desk's handling (a reopen does not move it)
    state["first_desk_action_on"] = _earliest(state["first_desk_action_on"], data["changed_on"])
    if data["status"] == "closed":
        state["closed_on"] = _earliest(state["closed_on"], data["changed_on"])


def _respected(treatment):
    return None if treatment is None else treatment >= RESPECTED_FROM


def _on_feedback(state, data, _day):
    # the latest answer speaks for the case; a reopen request, once made, stays counted (once per case)
    state["reopen_requested"] = state["reopen_requested"] or data["reopen"]
    if state["feedback_on"] is not None and data["given_on"] < state["feedback_on"]:
        return
    state["feedback_on"] = data["given_on"]
    state["solved"] = data["solved"]
    state["institution_respect"] = _respected(data.get("institution_treatment"))
    state["desk_respect"] = _respected(data.get("desk_treatment"))


FOLDERS = {
    "complaint.received": _on_received,
    "complaint.progress_reported": _on_progress,
    "referral.planned": _on_planned,
    "referral.deadline_due": _on_deadline_due,
    "referral.escalation_available": _on_escalation_available,
    "mediation.assigned": _on_assigned,
    "mediation.unmatched": _on_unmatched,
    "mediation.outcome_recorded": _on_outcome,
    "case.status_changed": _on_status_changed,
    "complaint.feedback_given": _on_feedback,
}
ERASING_EVENTS = ("complaint.withdrawn",)


def fold(state: dict, event_type: str, data: dict, occurred_at: datetime) -> dict:
    """Add one validated event to a case's state (mutates and returns it)."""
    day = occurred_at.date()
    FOLDERS[event_type](state, data, day)
    state["last_event_on"] = max(day, state["last_event_on"] or day)
    return state


def days_between(start: date | None, end: date | None) -> int | None:
    """Whole days from start to end; None when a date is missing or the dates contradict each other."""
    if start is None or end is None or end < start:
        return None
    return (end - start).days


def month_of(day: date | None) -> str | None:
    return f"{day.year:04d}-{day.month:02d}" if day else None


def quarter_of_month(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def stage_of(state: dict) -> str:
    final, escalation = state["final_answer_on"], state["escalation_on"]
    if final is not None and (escalation is None or final <= escalation):
        return "final_answer"
    if escalation is not None:
        return "escalation_available"
    if state["answer_on"] is not None:
        return "answered"
    return "filed_waiting" if state["filed_on"] is not None else "not_filed"


def mediation_state_of(state: dict) -> str:
    if state["mediation_outcome"] is not None:
        return "closed"
    if state["assigned_on"] is not None:
        return "assigned"
    if state["mediation_unmatched"]:
        return "unmatched"
    return "waiting" if state["wants_mediation"] else "not_requested"


def outcome_on(state: dict) -> date | None:
    """The first outcome after the person came to the desk: the institution's final answer or a mediation result."""
    received = state["received_on"]
    candidates = [d for d in (state["final_answer_on"], state["outcome_on"])
                  if d is not None and received is not None and d >= received]
    return min(candidates) if candidates else None


def answered_within_term(state: dict) -> bool | None:
    if state["answer_on"] is None or state["answer_due"] is None:
        return None
    return state["answer_on"] <= state["answer_due"]


def fact_row(state: dict) -> dict:
    """The de-identified fact: categories, month, quarter, durations in days. No dates, no references."""
    month = month_of(state["received_on"])
    return {
        "received": state["received"],
        "month": month,
        "quarter": quarter_of_month(month) if month else None,
        "province": state["province"],
        "institution_type": state["institution_type"],
        "issue": state["issue"],
        "reporter_role": state["reporter_role"],
        "capacity": state["capacity"],
        "had_prior_complaint": state["had_prior_complaint"],
        "signal": state["issue"] in SIGNAL_ISSUES,
        "wants_mediation": state["wants_mediation"],
        "plan_count": state["plan_count"],
        "first_plan_month": month_of(state["first_plan_on"]),
        "deadline_due_count": state["deadline_due_count"],
        "stage": stage_of(state),
        "answered_within_term": answered_within_term(state),
        "mediation": mediation_state_of(state),
        "mediation_unmatched": state["mediation_unmatched"],
        "mediation_outcome": state["mediation_outcome"],
        "satisfaction": state["satisfaction"],
        "days_to_referral": days_between(state["received_on"], state["first_plan_on"]),
        "days_to_institution_answer": days_between(state["filed_on"], state["answer_on"]),
        "days_to_mediator": days_between(state["received_on"], state["assigned_on"]),
        "days_to_outcome": days_between(state["received_on"], outcome_on(state)),
        "solved": state["solved"],
        "institution_respect": state["institution_respect"],
        "desk_respect": state["desk_respect"],
        "reopen_requested": state["reopen_requested"],
        "days_to_first_response": days_between(state["received_on"], state["first_desk_action_on"]),
        "days_to_closure": days_between(state["received_on"], state["closed_on"]),
    }


def clock_row(state: dict) -> dict:
    return {name: state[name] for name in CLOCK_FIELDS}


def step_rows(key: str, state: dict) -> list[dict]:
    """The latest plan's steps as stored rows: directory codes only, under the case's pseudonym `key`."""
    return [{"pseudonym": key, "position": position, "channel_id": directory_code(step["channel_id"]),
             "kind": directory_code(step["kind"]), "status": directory_code(step["status"])}
            for position, step in enumerate(state["steps"])]


def state_from_rows(facts: dict | None, clocks: dict | None, steps: list[dict]) -> dict:
    """Rebuild the working state from stored rows (inverse of fact_row/clock_row for what fold needs)."""
    state = new_state()
    if clocks:
        state.update({name: clocks[name] for name in CLOCK_FIELDS})
    if facts:
        for name in ("received", "institution_type", "issue", "province", "reporter_role", "capacity",
                     "had_prior_complaint", "wants_mediation", "plan_count", "deadline_due_count",
                     "mediation_unmatched", "mediation_outcome", "satisfaction", "solved", "institution_respect",
                     "desk_respect", "reopen_requested"):
            state[name] = facts[name]
    state["steps"] = [dict(step) for step in steps]
    return state
