"""Step 2 and later: the independent body after the institution's own procedure, with its time window."""
from datetime import timedelta

from services.routing.domain import channel_ids as ids
from services.routing.domain.context import PlanContext
from services.routing.domain.first_line import escalation_opens, handling_ended
from services.routing.domain.plan import (AFTER_PREVIOUS_STEP, AVAILABLE_NOW, DEADLINE_PASSED, NOT_APPLICABLE,
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
    why = ("If the answer does not solve it, or no answer comes in time, you can ask the ombudsman. "
           "This is free; the ombudsman's findings are not binding.")
    preconditions = ["Only after you have complained to the institution itself.",
                     "Ask within one year after the institution finished handling your complaint.",
                     "Not for a decision you can object to (bezwaar) or appeal.", *extra]
    return ctx.step(channel_id, why, status=window_status(ctx, opens, closes), preconditions=preconditions,
                    dates=StepDates(escalate_from=opens, escalate_by=closes),
                    unconfirmed=route_unconfirmed or ctx.unconfirmed(channel_id, "request_window"))


def municipal_ombudsman_step(ctx: PlanContext):
    mapping = ctx.directory.municipalities.get(ctx.facts.municipality) if ctx.facts.municipality else None
    if mapping is None:
        return ombudsman_step(ctx, ids.NATIONALE_OMBUDSMAN, True, extra=(
            "Many large municipalities have their own ombudsman; tell us the municipality so we can check.",))
    extra = () if mapping.confirmed else (
        f"Check with the municipality of {mapping.name} which ombudsman handles complaints about it.",)
    return ombudsman_step(ctx, mapping.ombudsman, not mapping.confirmed, extra=extra)


def kifid_step(ctx: PlanContext):
    facts = ctx.facts
    if facts.capacity == "business":
        why = ("Kifid only takes complaints from consumers. For a business, it only handles some small-business "
               "loans, so it cannot take this complaint.")
        return ctx.step(ids.KIFID, why, status=NOT_APPLICABLE,
                        preconditions=["Only for complaints as a private person (consumer)."])
    # Open on the day of the final answer, or the day after the 8 weeks have run out without one.
    no_answer_until = ctx.after(ids.KIFID, "no_answer", facts.prior_complaint_filed_on)
    opens = facts.prior_final_answer_on or (no_answer_until + timedelta(days=1) if no_answer_until else None)
    candidates = [ctx.after(ids.KIFID, "after_final_answer", facts.prior_final_answer_on),
                  ctx.after(ids.KIFID, "after_first_complaint", facts.prior_complaint_filed_on)]
    candidates = [day for day in candidates if day]
    closes = max(candidates) if candidates else None  # either limit is enough, so the later one counts
    why = ("After the firm's final answer, or 8 weeks without one, you can go to Kifid. It is free for "
           "consumers, and its ruling is usually binding.")
    preconditions = ["Within 3 months of the final answer, or within 1 year of your first complaint to the firm.",
                     "Check that the firm is a member of Kifid."]
    if facts.capacity is None:
        preconditions.insert(0, "Only if you dealt with them as a private person (consumer), not for your business.")
    return ctx.step(ids.KIFID, why, status=window_status(ctx, opens, closes), preconditions=preconditions,
                    dates=StepDates(escalate_from=opens, escalate_by=closes),
                    unconfirmed=ctx.unconfirmed(ids.KIFID, "no_answer", "after_final_answer", "after_first_complaint"))


def afm_signal_step(ctx: PlanContext):
    why = ("You can report the firm's conduct to the AFM, the supervisor. It cannot help you personally, but it "
           "uses reports in its supervision. The remaining route for a business is the court; get legal advice.")
    return ctx.step(ids.AFM, why, status=AVAILABLE_NOW)


def skgz_step(ctx: PlanContext, privacy=False):
    why = ("If your health insurer's answer does not solve it, SKGZ can help: its ombudsman mediates for free, "
           "and its committee gives a binding ruling.")
    if privacy:
        why = "Complaints about how a health insurer handles your data can also go to SKGZ."
    opens = ctx.facts.prior_final_answer_on
    return ctx.step(ids.SKGZ, why, status=window_status(ctx, opens, None),
                    preconditions=["After your health insurer has answered your complaint.",
                                   "The committee charges a fee, which you get back if you win."],
                    unconfirmed=True)  # SKGZ's time limits are not confirmed


def care_dispute_step(ctx: PlanContext):
    facts = ctx.facts
    opens = escalation_opens(ctx)
    closes = ctx.after(ids.GESCHILLENINSTANTIE_ZORG, "after_first_complaint", facts.prior_complaint_filed_on)
    why = ("If the complaint officer does not solve it, the provider's dispute body can give a binding "
           "ruling and award up to €25,000.")
    return ctx.step(ids.GESCHILLENINSTANTIE_ZORG, why, status=window_status(ctx, opens, closes),
                    preconditions=["Ask the care provider which dispute body it belongs to.",
                                   "At De Geschillencommissie Zorg: within 1 year after you complained to the "
                                   "provider; other bodies may use other limits."],
                    dates=StepDates(escalate_from=opens, escalate_by=closes),
                    unconfirmed=ctx.unconfirmed(ids.GESCHILLENINSTANTIE_ZORG, "after_first_complaint"))


def huurcommissie_step(ctx: PlanContext):
    why = ("For rent, service charges or maintenance defects, the Huurcommissie can give a ruling. Tenants pay "
           "€25, refunded if you win; on a low income you may not have to pay.")
    opens = ctx.facts.prior_final_answer_on or ctx.facts.prior_complaint_filed_on
    return ctx.step(ids.HUURCOMMISSIE, why, status=window_status(ctx, opens, None),
                    preconditions=["After you raised the problem with your landlord.",
                                   "Not for ending the contract or eviction: that goes to the kantonrechter.",
                                   "A starting rent in the free sector: within 6 months of the start of the contract."],
                    unconfirmed=True)  # scope after the Wet betaalbare huur (2024) is not confirmed


def privacy_authority_step(ctx: PlanContext):
    why = ("If you cannot sort it out with the organisation, you can complain to the Autoriteit "
           "Persoonsgegevens. It does not take anonymous complaints; an anonymous tip is possible.")
    opens = ctx.facts.prior_final_answer_on
    return ctx.step(ids.AUTORITEIT_PERSOONSGEGEVENS, why, status=window_status(ctx, opens, None),
                    preconditions=["First contact the organisation, usually its data protection officer (FG).",
                                   "A complaint cannot be anonymous."],
                    unconfirmed=True)  # the AP's own time limits are not confirmed


def arbeidsinspectie_step(ctx: PlanContext):
    why = ("You can report unsafe work or underpayment to the Arbeidsinspectie, also anonymously. It does not "
           "settle individual disputes.")
    return ctx.step(ids.ARBEIDSINSPECTIE, why, status=AVAILABLE_NOW)


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

