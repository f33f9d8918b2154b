"""Step 2 and later: the independent body after the institution's own procedure, with its time window."""
from datetime import timedelta

from libs.referral_rules import channel_ids as ids
from libs.referral_rules.context import PlanContext
from libs.contracts.explanations import explain
from libs.referral_rules.first_line import (AWB_BODIES, care_routes, escalation_opens, first_line_id,
                                            first_line_step, handling_ended, is_public_care_provider)
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


def _direct_status(ctx: PlanContext, opens, closes) -> str:
    """A step the person may take without asking the institution first (Awb 9:20 lid 1)."""
    if opens is not None and ctx.today < opens:
        return AFTER_PREVIOUS_STEP  # conduct dated after today: nothing to ask about yet
    if closes is not None and ctx.today > closes:
        return DEADLINE_PASSED
    return AVAILABLE_NOW


def _opens_without_answer(ctx: PlanContext, channel_id: str, key: str):
    """The day of the final answer, or the day after the body's own "no answer" term ran out, whichever is first."""
    facts = ctx.facts
    no_answer_until = ctx.after(channel_id, key, facts.prior_complaint_filed_on)
    late = no_answer_until + timedelta(days=1) if no_answer_until else None
    if facts.prior_final_answer_on and late:
        return min(facts.prior_final_answer_on, late)
    return facts.prior_final_answer_on or late


def ombudsman_step(ctx: PlanContext, channel_id: str, route_unconfirmed: bool, extra=(), first_line=None):
    """Awb 9:20 (the institution first, unless that cannot reasonably be asked) and 9:24 (within a year of the
    end of its handling, or of the conduct itself when the person goes directly)."""
    facts = ctx.facts
    first_line = first_line or first_line_id(facts)
    if facts.goes_directly_to_ombudsman:
        # Awb 9:24 lid 2: the year runs from the conduct; the ombudsman judges whether asking first was unreasonable
        opens = facts.incident_date
        closes = ctx.after(channel_id, "request_window", facts.incident_date)
        return ctx.step(channel_id, explain("ombudsman.why.direct"), status=_direct_status(ctx, opens, closes),
                        preconditions=[explain("ombudsman.if.year_from_conduct"),
                                       explain("ombudsman.if.not_for_decisions"), *extra],
                        dates=StepDates(escalate_from=opens, escalate_by=closes),
                        unconfirmed=route_unconfirmed or ctx.unconfirmed(channel_id, "request_window"))
    opens = escalation_opens(ctx, first_line)
    closes = ctx.after(channel_id, "request_window", handling_ended(ctx, first_line))
    preconditions = [explain("ombudsman.if.institution_first"), explain("ombudsman.if.within_a_year"),
                     explain("ombudsman.if.not_for_decisions")]
    if not facts.filed_with_institution:
        preconditions.append(explain("ombudsman.if.unless_unreasonable"))
    return ctx.step(channel_id, explain("ombudsman.why"), status=window_status(ctx, opens, closes),
                    preconditions=[*preconditions, *extra],
                    dates=StepDates(escalate_from=opens, escalate_by=closes),
                    unconfirmed=route_unconfirmed or ctx.unconfirmed(channel_id, "request_window"))


def municipal_ombudsman_step(ctx: PlanContext):
    mapping = ctx.directory.municipalities.get(ctx.facts.municipality) if ctx.facts.municipality else None
    if mapping is None:
        return ombudsman_step(ctx, ids.NATIONALE_OMBUDSMAN, True,
                              extra=(explain("ombudsman.if.name_the_municipality"),))
    body = ctx.directory.channel(mapping.ombudsman).name
    extra = () if mapping.confirmed else (
        explain("ombudsman.if.check_with_municipality", municipality=mapping.name, body=body),)
    return ombudsman_step(ctx, mapping.ombudsman, not mapping.confirmed, extra=extra)


def ggd_ombudsman_step(ctx: PlanContext):
    """A GGD's second line follows its member municipalities' arrangement, not always the Nationale ombudsman
    (FACTS 7.3); which one is not recorded per GGD, so the step names the likely body and asks the person to check."""
    mapping = ctx.directory.municipalities.get(ctx.facts.municipality) if ctx.facts.municipality else None
    channel_id = mapping.ombudsman if mapping else ids.NATIONALE_OMBUDSMAN
    body = ctx.directory.channel(channel_id).name
    return ombudsman_step(ctx, channel_id, True, extra=(explain("ombudsman.if.check_with_ggd", body=body),),
                          first_line=ids.GGD)


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
    """SKGZ also when the insurer never answered (FACTS 3.1): it opens the day after the insurer's 6 weeks (3.2).
    It closes 1 year after the insurer's decision (3.4); without a decision no limit is confirmed (3.5)."""
    answered = ctx.facts.prior_final_answer_on
    opens = escalation_opens(ctx, "internal:health_insurer")
    closes = ctx.after(ids.SKGZ, "after_decision", answered)
    why = explain("skgz.why.privacy" if privacy else "skgz.why")
    return ctx.step(ids.SKGZ, why, status=window_status(ctx, opens, closes),
                    preconditions=[explain("skgz.if.after_answer"), explain("skgz.if.time_limit"),
                                   explain("skgz.if.fee")],
                    dates=StepDates(escalate_from=opens, escalate_by=closes),
                    unconfirmed=answered is None or ctx.unconfirmed(ids.SKGZ, "after_decision"))


def care_dispute_step(ctx: PlanContext):
    facts = ctx.facts
    opens = escalation_opens(ctx, "internal:care_provider")
    closes = ctx.after(ids.GESCHILLENINSTANTIE_ZORG, "after_first_complaint", facts.prior_complaint_filed_on)
    preconditions = [explain("care_dispute.if.which_body"), explain("care_dispute.if.time_limit"),
                     explain("care_dispute.if.fee")]
    if is_public_care_provider(facts) and facts.about_care is None:
        preconditions.insert(0, explain("ggd.if.about_care"))
    return ctx.step(ids.GESCHILLENINSTANTIE_ZORG, explain("care_dispute.why"), status=window_status(ctx, opens, closes),
                    preconditions=preconditions, dates=StepDates(escalate_from=opens, escalate_by=closes),
                    unconfirmed=ctx.unconfirmed(ids.GESCHILLENINSTANTIE_ZORG, "after_first_complaint"))


def huurcommissie_step(ctx: PlanContext):
    """Scope after the Wet betaalbare huur (FACTS 5.9-5.11): regulated and middle rents fully; in the free sector
    the starting rent within 6 months, other disputes only as advice and only if both sides agreed."""
    why = explain("huurcommissie.why")
    opens = ctx.facts.prior_final_answer_on or ctx.facts.prior_complaint_filed_on
    return ctx.step(ids.HUURCOMMISSIE, why, status=window_status(ctx, opens, None),
                    preconditions=[explain("huurcommissie.if.after_landlord"),
                                   explain("huurcommissie.if.not_eviction"),
                                   explain("huurcommissie.if.starting_rent"),
                                   explain("huurcommissie.if.free_sector_advice")],
                    unconfirmed=ctx.unconfirmed(ids.HUURCOMMISSIE, "starting_rent"))


def corporation_committee_step(ctx: PlanContext):
    """Housing corporations must have an independent complaints committee (Woningwet art. 55b; FACTS 5.6-5.8).
    Its terms differ per committee (6 weeks at most, 3 in Arnhem), so the step opens after the usual 6 weeks and
    has no closing date."""
    facts = ctx.facts
    channel_id = ids.KLACHTENCOMMISSIE_WONINGCORPORATIE
    opens = _opens_without_answer(ctx, channel_id, "no_answer")
    preconditions = [explain("klachtencommissie.if.terms")]
    if facts.housing_corporation is None:
        preconditions.insert(0, explain("klachtencommissie.if.corporation_only"))
    return ctx.step(channel_id, explain("klachtencommissie.why"), status=window_status(ctx, opens, None),
                    preconditions=preconditions, dates=StepDates(escalate_from=opens),
                    unconfirmed=ctx.unconfirmed(channel_id, "no_answer"))


def meldpunt_step(ctx: PlanContext):
    """Wet goed verhuurderschap: every municipality has had a reporting point since 1 January 2024 (FACTS 5.1-5.5).
    A signal channel: the person's own municipality, anonymous reports possible, no individual dispute settled."""
    facts = ctx.facts
    mapping = ctx.directory.municipalities.get(facts.municipality) if facts.municipality else None
    preconditions = [explain("meldpunt.if.find_it_in", municipality=mapping.name) if mapping
                     else explain("meldpunt.if.find_it")]
    if facts.housing_corporation is not False:
        preconditions.append(explain("meldpunt.if.corporation"))
    return ctx.step(ids.MELDPUNT_VERHUURDERSCHAP, explain("meldpunt.why"), status=AVAILABLE_NOW,
                    preconditions=preconditions)


def privacy_authority_step(ctx: PlanContext):
    """The AP also when the organisation never answered (FACTS 4.3): the day after its 1 month (4.1). No time limit
    for the complainant was found (4.6). A government body's answer is a decision (UAVG art. 34; 4.8, weak)."""
    facts = ctx.facts
    channel_id = ids.AUTORITEIT_PERSOONSGEGEVENS
    opens = _opens_without_answer(ctx, channel_id, "no_answer")
    preconditions = [explain("privacy_authority.if.organisation_first"), explain("privacy_authority.if.one_month"),
                     explain("privacy_authority.if.not_anonymous")]
    government = facts.institution_type in AWB_BODIES or is_public_care_provider(facts)
    if government:
        preconditions.append(explain("privacy_authority.if.government_decision"))
    return ctx.step(channel_id, explain("privacy_authority.why"), status=window_status(ctx, opens, None),
                    preconditions=preconditions, dates=StepDates(escalate_from=opens),
                    unconfirmed=government or ctx.unconfirmed(channel_id, "no_answer"))


def arbeidsinspectie_step(ctx: PlanContext):
    return ctx.step(ids.ARBEIDSINSPECTIE, explain("arbeidsinspectie.why"), status=AVAILABLE_NOW)


def landlord_steps(ctx: PlanContext) -> list:
    facts, steps = ctx.facts, []
    if facts.housing_corporation is not False:
        steps.append(corporation_committee_step(ctx))
    if facts.issue not in ("discrimination", "rude_treatment"):  # rent, service costs, defects: not treatment
        steps.append(huurcommissie_step(ctx))
    steps.append(meldpunt_step(ctx))
    return steps


def care_provider_steps(ctx: PlanContext) -> list:
    """Care: the dispute body. A GGD's other conduct: its own Awb procedure, then an ombudsman (FACTS 7.1-7.3)."""
    care, awb = care_routes(ctx.facts)
    steps = [care_dispute_step(ctx)] if care else []
    if awb:
        if care:  # both routes: the Awb one needs its own first step
            steps.append(first_line_step(ctx, ids.GGD))
        steps.append(ggd_ombudsman_step(ctx))
    return steps


def second_line_steps(ctx: PlanContext) -> list:
    """The steps after the first: independent bodies, reporting points, and for a GGD of unknown kind, its second
    route (own Awb procedure + ombudsman) after the care route."""
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
        return care_provider_steps(ctx)
    if kind == "landlord":
        return landlord_steps(ctx)
    if kind == "employer_or_operator":
        return [arbeidsinspectie_step(ctx)]
    return []
