"""Step 2 and later: the independent body after the institution's own procedure, with its time window."""
from datetime import timedelta

from libs.referral_rules import channel_ids as ids
from libs.referral_rules.context import PlanContext
from libs.contracts.explanations import explain
from libs.referral_rules.first_line import escalation_opens, handling_ended
from libs.referral_rules.plan import (AFTER_PREVIOUS_STEP, AVAILABLE_NOW, DEADLINE_PASSED, NOT_APPLICABLE,
                                          StepDates)

NATIONAL_BODIES = ("tax_authority", "uwv", "svb", "kvk", "police")


def window_status(ctx: PlanContext, opens, closes) -> str:
    """Open from `opens` through `closes` (both inclusive); before the institution was asked, it waits."""
    if not ctx.facts.filed_with_institution or opens is None or ctx.today < opens:
        return AFTER_PREVIOUS_STEP
    if closes is not None and ctx.today > closes:
        return DEADLINE_PASSED
    return AVAILABLE_NOW


def ombudsman_step(ctx: PlanContext, channel_id: str, route_unconfirmed: bool, extra=()):
    """Awb 9:20 (institution first) and 9:24 (within a year of the end of its handling)."""
    opens = escalation_opens(ctx)
    ended = handling_ended(ctx)
    closes = ctx.after(channel_id, "request_window", ended)
    why = explain("ombudsman.why")
    preconditions = [explain("ombudsman.if.institution_first"), explain("ombudsman.if.within_a_year"),
                     explain("ombudsman.if.not_for_decisions"), *extra]
    return ctx.step(channel_id, why, status=window_status(ctx, opens, closes), preconditions=preconditions,
                    dates=StepDates(escalate_from=opens, escalate_by=closes),
                    unconfirmed=route_unconfirmed or ctx.unconfirmed(channel_id, "request_window"))


def municipal_ombudsman_step(ctx: PlanContext):
    mapping = ctx.directory.municipalities.get(ctx.facts.municipality) if ctx.facts.municipality else None
    if mapping is None:
        return ombudsman_step(ctx, ids.NATIONALE_OMBUDSMAN, True,
                              extra=(explain("ombudsman.if.name_the_municipality"),))
    extra = () if mapping.confirmed else (
        explain("ombudsman.if.check_with_municipality", municipality=mapping.name),)
    return ombudsman_step(ctx, mapping.ombudsman, not mapping.confirmed, extra=extra)


def kifid_step(ctx: PlanContext):
    facts = ctx.facts
    if facts.capacity == "business":
        return ctx.step(ids.KIFID, explain("kifid.why.not_for_business"), status=NOT_APPLICABLE,
                        preconditions=[explain("kifid.if.consumer")])
    # Open on the day of the final answer, or the day after the 8 weeks have run out without one.
    no_answer_until = ctx.after(ids.KIFID, "no_answer", facts.prior_complaint_filed_on)
    opens = facts.prior_final_answer_on or (no_answer_until + timedelta(days=1) if no_answer_until else None)
    candidates = [ctx.after(ids.KIFID, "after_final_answer", facts.prior_final_answer_on),
                  ctx.after(ids.KIFID, "after_first_complaint", facts.prior_complaint_filed_on)]
    candidates = [day for day in candidates if day]
    closes = max(candidates) if candidates else None  # either limit is enough, so the later one counts
    why = explain("kifid.why")
    preconditions = [explain("kifid.if.time_limits"), explain("kifid.if.member")]
    if facts.capacity is None:
        preconditions.insert(0, explain("kifid.if.private_not_business"))
    return ctx.step(ids.KIFID, why, status=window_status(ctx, opens, closes), preconditions=preconditions,
                    dates=StepDates(escalate_from=opens, escalate_by=closes),
                    unconfirmed=ctx.unconfirmed(ids.KIFID, "no_answer", "after_final_answer", "after_first_complaint"))


def afm_signal_step(ctx: PlanContext):
    return ctx.step(ids.AFM, explain("afm.why"), status=AVAILABLE_NOW)


def skgz_step(ctx: PlanContext, privacy=False):
    why = explain("skgz.why.privacy" if privacy else "skgz.why")
    opens = ctx.facts.prior_final_answer_on
    return ctx.step(ids.SKGZ, why, status=window_status(ctx, opens, None),
                    preconditions=[explain("skgz.if.after_answer"), explain("skgz.if.fee")],
                    unconfirmed=True)  # SKGZ's time limits are not confirmed


def care_dispute_step(ctx: PlanContext):
    facts = ctx.facts
    opens = escalation_opens(ctx)
    closes = ctx.after(ids.GESCHILLENINSTANTIE_ZORG, "after_first_complaint", facts.prior_complaint_filed_on)
    why = explain("care_dispute.why")
    return ctx.step(ids.GESCHILLENINSTANTIE_ZORG, why, status=window_status(ctx, opens, closes),
                    preconditions=[explain("care_dispute.if.which_body"), explain("care_dispute.if.time_limit")],
                    dates=StepDates(escalate_from=opens, escalate_by=closes),
                    unconfirmed=ctx.unconfirmed(ids.GESCHILLENINSTANTIE_ZORG, "after_first_complaint"))


def huurcommissie_step(ctx: PlanContext):
    why = explain("huurcommissie.why")
    opens = ctx.facts.prior_final_answer_on or ctx.facts.prior_complaint_filed_on
    return ctx.step(ids.HUURCOMMISSIE, why, status=window_status(ctx, opens, None),
                    preconditions=[explain("huurcommissie.if.after_landlord"),
                                   explain("huurcommissie.if.not_eviction"),
                                   explain("huurcommissie.if.starting_rent")],
                    unconfirmed=True)  # scope after the Wet betaalbare huur (2024) is not confirmed


def privacy_authority_step(ctx: PlanContext):
    why = explain("privacy_authority.why")
    opens = ctx.facts.prior_final_answer_on
    return ctx.step(ids.AUTORITEIT_PERSOONSGEGEVENS, why, status=window_status(ctx, opens, None),
                    preconditions=[explain("privacy_authority.if.organisation_first"),
                                   explain("privacy_authority.if.not_anonymous")],
                    unconfirmed=True)  # the AP's own time limits are not confirmed


def arbeidsinspectie_step(ctx: PlanContext):
    return ctx.step(ids.ARBEIDSINSPECTIE, explain("arbeidsinspectie.why"), status=AVAILABLE_NOW)


def second_line_steps(ctx: PlanContext) -> list:
    kind, issue = ctx.facts.institution_type, ctx.facts.issue
    if issue == "privacy":
        steps = [privacy_authority_step(ctx)]
        if kind == "health_insurer":
            steps.append(skgz_step(ctx, privacy=True))
        return steps
    if kind == "municipality":
        return [municipal_ombudsman_step(ctx)]
    if kind in NATIONAL_BODIES:
        return [ombudsman_step(ctx, ids.NATIONALE_OMBUDSMAN, False)]
    if kind in ("bank", "insurer"):
        step = kifid_step(ctx)
        return [step, afm_signal_step(ctx)] if step.status == NOT_APPLICABLE else [step]
    if kind == "health_insurer":
        return [skgz_step(ctx)]
    if kind == "care_provider":
        return [care_dispute_step(ctx)]
    if kind == "landlord":
        return [] if issue == "discrimination" else [huurcommissie_step(ctx)]
    if kind == "employer_or_operator":
        return [arbeidsinspectie_step(ctx)]
    return []

