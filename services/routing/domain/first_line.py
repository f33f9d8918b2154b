"""Step 1: the institution's own complaint procedure, with its answer dates.

Dates come from the directory: `conduct_limit` (older conduct may be refused), `answer` and `extension`.
"""
from datetime import timedelta

from services.routing.domain.channel_ids import first_line_channel
from services.routing.domain.context import PlanContext
from services.routing.domain.plan import (ANSWERED, AVAILABLE_NOW, DEADLINE_PASSED, NOT_STARTED, WAITING_FOR_ANSWER,
                                          PlanStep, StepDates)

AWB_BODIES = ("municipality", "tax_authority", "uwv", "svb", "kvk")
FINANCIAL = ("bank", "insurer")

WHY = {
    "awb": "Complain to the {who} itself first. By law it must answer within {answer} weeks; it may take "
           "{extension} more weeks if it tells you so in writing.",
    "police": "Complain to the police first: online, in writing, or by appointment via 0900-8844. If the first "
              "talk does not solve it, the police chief decides after advice from an independent committee.",
    "financial": "Complain in writing to the {who} first, through its complaint procedure. It should answer "
                 "within {answer} weeks.",
    "care_provider": "Talk to the care provider's complaint officer (klachtenfunctionaris) first; this is free. "
                     "They must answer within {answer} weeks, or {extension} weeks later if they extend once.",
    "health_insurer": "Complain to your health insurer first.",
    "landlord": "Raise the problem with your landlord first, in writing if you can.",
    "employer_or_operator": "If it feels safe, raise it with the operator or employer. You do not have to.",
    "other": "Complain to the organisation itself first, through its own complaint procedure.",
}
WHO = {"municipality": "municipality", "tax_authority": "Belastingdienst", "uwv": "UWV", "svb": "SVB",
       "kvk": "KVK", "bank": "bank", "insurer": "insurer"}


def _regime(institution_type: str) -> str:
    if institution_type in AWB_BODIES:
        return "awb"
    if institution_type in FINANCIAL:
        return "financial"
    return institution_type


def _weeks(period):
    return period.amount if period and period.unit == "W" else "?"


def first_line_dates(ctx: PlanContext) -> StepDates:
    channel_id = first_line_channel(ctx.facts.institution_type)
    facts = ctx.facts
    answer_due = ctx.after(channel_id, "answer", facts.prior_complaint_filed_on)
    return StepDates(
        file_by=ctx.after(channel_id, "conduct_limit", facts.incident_date),
        answer_due=answer_due,
        extension_limit=ctx.after(channel_id, "extension", answer_due),
    )


def escalation_opens(ctx: PlanContext):
    """When the next step opens: the day of the final answer, or the day after the answer was due without one."""
    if ctx.facts.prior_final_answer_on:
        return ctx.facts.prior_final_answer_on
    due = first_line_dates(ctx).answer_due
    return due + timedelta(days=1) if due else None


def handling_ended(ctx: PlanContext):
    """Awb 9:24: the end of complaint handling, or the moment it should have ended by law (we take the
    earliest such moment, the plain answer date, so that nobody misses a window by counting on an extension)."""
    return ctx.facts.prior_final_answer_on or first_line_dates(ctx).answer_due


def first_line_step(ctx: PlanContext) -> PlanStep:
    facts = ctx.facts
    channel_id = first_line_channel(facts.institution_type)
    regime = _regime(facts.institution_type)
    dates = first_line_dates(ctx)
    why = WHY[regime].format(who=WHO.get(facts.institution_type, "organisation"),
                             answer=_weeks(ctx.period(channel_id, "answer")),
                             extension=_weeks(ctx.period(channel_id, "extension")))
    preconditions = []
    if regime == "awb":
        preconditions.append("This is for how you were treated. A decision (for example about a permit) is "
                             "challenged with an objection (bezwaar) instead.")
        preconditions.append("With an advisory committee the answer may take up to 10 weeks.")
    if regime == "police":
        preconditions.append("The police do not handle anonymous complaints.")
    if facts.issue == "privacy":
        preconditions.append("For a privacy complaint, ask for the organisation's data protection officer (FG).")
    if dates.file_by:
        preconditions.append("Things that happened more than a year before you complain may be refused.")

    if facts.prior_final_answer_on:
        progress, status = ANSWERED, AVAILABLE_NOW
    elif facts.filed_with_institution:
        progress, status = WAITING_FOR_ANSWER, AVAILABLE_NOW
    else:
        progress = NOT_STARTED
        status = DEADLINE_PASSED if dates.file_by and ctx.today > dates.file_by else AVAILABLE_NOW
    unconfirmed = ctx.unconfirmed(channel_id, "answer") or (
        dates.extension_limit is not None and ctx.unconfirmed(channel_id, "extension"))
    return ctx.step(channel_id, why, status=status, preconditions=preconditions, dates=dates,
                    unconfirmed=unconfirmed, progress=progress)
