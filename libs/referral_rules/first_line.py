"""Step 1: the institution's own complaint procedure, with its answer dates.

Dates come from the directory: `conduct_limit` (older conduct may be refused), `answer` (or
`answer_with_committee` where an advisory complaints committee handles it: 10 instead of 6 weeks, Awb 9:11 lid 1)
and `extension` (once, at most 4 weeks, in writing: Awb 9:11 lid 2). The handling term ends by law on
`answer_due` (the extended date once the institution notified the extension); the next step opens the day after
that, or on the day of the final answer if that came first.
"""
from datetime import timedelta

from libs.referral_rules import channel_ids as ids
from libs.referral_rules.channel_ids import first_line_channel
from libs.referral_rules.context import PlanContext
from libs.contracts.explanations import explain
from libs.referral_rules.plan import (ANSWERED, AVAILABLE_NOW, DEADLINE_PASSED, NOT_STARTED, WAITING_FOR_ANSWER,
                                          PlanStep, StepDates)

AWB_BODIES = ("municipality", "tax_authority", "uwv", "svb", "kvk")
FINANCIAL = ("bank", "insurer")

# The proper name of each Awb body; the municipality has its own wording ("the municipality").
AWB_NAMES = {"tax_authority": "Belastingdienst", "uwv": "UWV", "svb": "SVB", "kvk": "KVK", "ggd": "GGD"}


def is_public_care_provider(facts) -> bool:
    """A care provider that is also a government body (a GGD): its care falls under the Wkkgz, its other conduct
    under Awb chapter 9 (FACTS 7.1, 7.2)."""
    return facts.institution_type == "care_provider" and facts.public_body


def care_routes(facts) -> tuple:
    """(care route, Awb route) for a care provider: a GGD gets the route that fits `about_care`, both if unknown."""
    if facts.institution_type != "care_provider":
        return False, False
    if not is_public_care_provider(facts):
        return True, False
    return facts.about_care is not False, facts.about_care is not True


def kind_is_municipal_violence(facts) -> bool:
    """Violence by a municipal enforcement officer (boa, handhaver) is the municipality's conduct (Awb 9:1 lid 2)."""
    return facts.institution_type == "municipality" and facts.issue == "violence"


def first_line_id(facts) -> str:
    """The channel of the first step: a GGD's conduct that is not care goes through its Awb procedure."""
    care, awb = care_routes(facts)
    if awb and not care:
        return ids.GGD
    return first_line_channel(facts.institution_type)


def _kind(channel_id: str) -> str:
    return "police" if channel_id == ids.POLITIE_KLACHTEN else channel_id.removeprefix(ids.INTERNAL_PREFIX)


def _regime(kind: str) -> str:
    if kind in AWB_BODIES or kind == "ggd":
        return "awb"
    if kind in FINANCIAL:
        return "financial"
    return kind


def _weeks(period):
    return period.amount if period and period.unit == "W" else "?"


def _answer_key(ctx: PlanContext, channel_id: str) -> str:
    """Awb 9:11 lid 1: 10 weeks where an advisory complaints committee (afdeling 9.1.3) handles the complaint."""
    if ctx.facts.advisory_committee and ctx.has(channel_id, "answer_with_committee"):
        return "answer_with_committee"
    return "answer"


def _why(ctx: PlanContext, channel_id: str):
    kind = _kind(channel_id)
    regime = _regime(kind)
    answer = _weeks(ctx.period(channel_id, _answer_key(ctx, channel_id)))
    extension = _weeks(ctx.period(channel_id, "extension"))
    if regime == "awb" and kind in AWB_NAMES:
        return explain("first_line.why.awb_body", who=AWB_NAMES[kind], answer=answer, extension=extension)
    if regime == "awb":
        return explain("first_line.why.awb_municipality", answer=answer, extension=extension)
    if regime == "financial":
        return explain(f"first_line.why.{kind}", answer=answer)
    if regime in ("care_provider", "police"):
        return explain(f"first_line.why.{kind}", answer=answer, extension=extension)
    if regime == "health_insurer":
        return explain("first_line.why.health_insurer", answer=answer)
    return explain(f"first_line.why.{regime}")


def first_line_dates(ctx: PlanContext, channel_id: str | None = None) -> StepDates:
    """`answer_due` is the end of the institution's term; `extension_limit` the end if it extends once. Once it
    has notified the extension (Awb 9:11 lid 2), the answer is due on the extended date and there is no further
    extension (only with the person's written consent, lid 3), so `extension_limit` is None."""
    channel_id = channel_id or first_line_id(ctx.facts)
    facts = ctx.facts
    answer_due = ctx.after(channel_id, _answer_key(ctx, channel_id), facts.prior_complaint_filed_on)
    extension_limit = ctx.after(channel_id, "extension", answer_due)
    if facts.extension_notified and extension_limit:
        answer_due, extension_limit = extension_limit, None
    return StepDates(
        file_by=ctx.after(channel_id, "conduct_limit", facts.incident_date),
        answer_due=answer_due,
        extension_limit=extension_limit,
    )


def term_ends(ctx: PlanContext, channel_id: str | None = None):
    """The day the institution's handling term ends by law (Awb 9:24 lid 1 b): the answer date, extended when the
    institution notified it. Without that fact we take the earlier date, so nobody misses a window by counting on
    an extension."""
    return first_line_dates(ctx, channel_id).answer_due


def escalation_opens(ctx: PlanContext, channel_id: str | None = None):
    """When the next step opens: the day after the term ended without an answer, or the day of the final answer
    if that came first (an answer after the term does not close what was already open)."""
    ends = term_ends(ctx, channel_id)
    late = ends + timedelta(days=1) if ends else None
    answered = ctx.facts.prior_final_answer_on
    if answered and late:
        return min(answered, late)
    return answered or late


def handling_ended(ctx: PlanContext, channel_id: str | None = None):
    """Awb 9:24 lid 1: the institution's notice of its findings, or the moment handling should have ended by law."""
    return ctx.facts.prior_final_answer_on or term_ends(ctx, channel_id)


def _preconditions(ctx: PlanContext, channel_id: str, regime: str, dates: StepDates) -> list:
    facts = ctx.facts
    preconditions = []
    if channel_id == ids.GGD:
        preconditions.append(explain("ggd.if.not_about_care"))
    elif regime == "care_provider" and is_public_care_provider(facts) and facts.about_care is None:
        preconditions.append(explain("ggd.if.about_care"))
    if regime == "awb":
        preconditions.append(explain("first_line.if.treatment_not_decisions"))
        if facts.advisory_committee is None:
            preconditions.append(explain("first_line.if.advisory_committee"))
    if kind_is_municipal_violence(facts) and channel_id == "internal:municipality":
        preconditions.append(explain("first_line.if.boa"))
    if regime == "police":
        preconditions.append(explain("first_line.if.police_not_anonymous"))
    if facts.goes_directly_to_ombudsman and regime in ("awb", "police"):
        preconditions.append(explain("first_line.if.may_skip"))
    if facts.issue == "privacy":
        preconditions.append(explain("first_line.if.privacy_officer"))
    if dates.file_by:
        preconditions.append(explain("first_line.if.older_conduct"))
    return preconditions


def first_line_step(ctx: PlanContext, channel_id: str | None = None) -> PlanStep:
    facts = ctx.facts
    channel_id = channel_id or first_line_id(facts)
    regime = _regime(_kind(channel_id))
    dates = first_line_dates(ctx, channel_id)
    if facts.prior_final_answer_on:
        progress, status = ANSWERED, AVAILABLE_NOW
    elif facts.filed_with_institution:
        progress, status = WAITING_FOR_ANSWER, AVAILABLE_NOW
    else:
        progress = NOT_STARTED
        status = DEADLINE_PASSED if dates.file_by and ctx.today > dates.file_by else AVAILABLE_NOW
    unconfirmed = ctx.unconfirmed(channel_id, _answer_key(ctx, channel_id)) or (
        (dates.extension_limit is not None or (facts.extension_notified and dates.answer_due is not None))
        and ctx.unconfirmed(channel_id, "extension"))
    return ctx.step(channel_id, _why(ctx, channel_id), status=status,
                    preconditions=_preconditions(ctx, channel_id, regime, dates), dates=dates,
                    unconfirmed=unconfirmed, progress=progress)
