"""Step 1: the institution's own complaint procedure, with its answer dates.

Dates come from the directory: `conduct_limit` (older conduct may be refused), `answer` and `extension`.
"""
from datetime import timedelta

from libs.referral_rules.channel_ids import first_line_channel
from libs.referral_rules.context import PlanContext
from libs.contracts.explanations import explain
from libs.referral_rules.plan import (ANSWERED, AVAILABLE_NOW, DEADLINE_PASSED, NOT_STARTED, WAITING_FOR_ANSWER,
                                          PlanStep, StepDates)

AWB_BODIES = ("municipality", "tax_authority", "uwv", "svb", "kvk")
FINANCIAL = ("bank", "insurer")

# The proper name of each Awb body; the municipality has its own wording ("the municipality").
AWB_NAMES = {"tax_authority": "Belastingdienst", "uwv": "UWV", "svb": "SVB", "kvk": "KVK"}


def _why(institution_type: str, regime: str, answer, extension):
    if regime == "awb" and institution_type in AWB_NAMES:
        return explain("first_line.why.awb_body", who=AWB_NAMES[institution_type], answer=answer,
                       extension=extension)
    if regime == "awb":
        return explain("first_line.why.awb_municipality", answer=answer, extension=extension)
    if regime == "financial":
        return explain(f"first_line.why.{institution_type}", answer=answer)
    if regime == "care_provider":
        return explain("first_line.why.care_provider", answer=answer, extension=extension)
    return explain(f"first_line.why.{regime}")


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
    why = _why(facts.institution_type, regime, _weeks(ctx.period(channel_id, "answer")),
               _weeks(ctx.period(channel_id, "extension")))
    preconditions = []
    if regime == "awb":
        preconditions.append(explain("first_line.if.treatment_not_decisions"))
        preconditions.append(explain("first_line.if.advisory_committee"))
    if regime == "police":
        preconditions.append(explain("first_line.if.police_not_anonymous"))
    if facts.issue == "privacy":
        preconditions.append(explain("first_line.if.privacy_officer"))
    if dates.file_by:
        preconditions.append(explain("first_line.if.older_conduct"))

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
