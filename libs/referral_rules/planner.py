"""make_plan: from complaint facts and today's date to an explainable referral plan."""
from dataclasses import replace
from datetime import date

from libs.referral_rules import channel_ids as ids
from libs.referral_rules.context import PlanContext
from libs.referral_rules.directory import Directory, load_directory
from libs.contracts.explanations import explain
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.first_line import care_routes, first_line_step, kind_is_municipal_violence
from libs.referral_rules.overlays import discrimination_steps
from libs.referral_rules.plan import PlanBasis, ReferralPlan
from libs.referral_rules.second_line import municipal_ombudsman_step, ombudsman_step, second_line_steps
from libs.referral_rules.signals import is_signal, signal_steps
from libs.referral_rules.plan_warnings import plan_warnings


def _route_steps(ctx: PlanContext, signal: bool) -> list:
    facts = ctx.facts
    if signal:
        steps = signal_steps(ctx)
        if facts.institution_type == "police":
            # Violence by the police is also a complaint about the police; that route involves no municipality.
            steps += [first_line_step(ctx), ombudsman_step(ctx, ids.NATIONALE_OMBUDSMAN, False)]
        elif kind_is_municipal_violence(facts):
            # Violence by a municipal boa or handhaver is the municipality's own conduct (Awb 9:1 lid 2): the
            # complaint route stays in view as the person's choice. The signal itself still goes nowhere (and
            # never to the municipality) without consent; trafficking and exploitation plans stay signal-only.
            steps += [first_line_step(ctx), municipal_ombudsman_step(ctx)]
        return steps
    steps = [first_line_step(ctx), *second_line_steps(ctx)]
    if facts.issue == "discrimination":
        steps += discrimination_steps(ctx)
    return steps


def _support(ctx: PlanContext, signal: bool) -> list:
    facts = ctx.facts
    options = []
    if facts.capacity != "business":  # the Juridisch Loket does not advise on a person's own business (FACTS 6.1)
        options.append(ctx.support(ids.JURIDISCH_LOKET, explain("support.juridisch_loket")))
    care, _awb = care_routes(facts)
    if care:
        options.append(ctx.support(ids.KLACHTENLOKET_ZORG, explain("support.klachtenloket_zorg")))
        options.append(ctx.support(ids.LANDELIJK_MELDPUNT_ZORG, explain("support.landelijk_meldpunt_zorg")))
    if facts.institution_type == "employer_or_operator" or facts.issue == "exploitation":
        options.append(ctx.support(ids.FAIRWORK, explain("support.fairwork")))
    return options


def _basis(ctx: PlanContext) -> PlanBasis:
    facts = ctx.facts
    return PlanBasis(facts.institution_type, facts.issue, ctx.directory.province_of(facts.municipality),
                     facts.capacity, facts.incident_date.strftime("%Y-%m") if facts.incident_date else None,
                     facts.language, facts.wants_mediation)


def make_plan(facts: ComplaintFacts, today: date, directory: Directory | None = None) -> ReferralPlan:
    ctx = PlanContext(facts, today, directory or load_directory())
    signal = is_signal(facts)
    steps = [replace(step, order=number) for number, step in enumerate(_route_steps(ctx, signal), start=1)]
    return ReferralPlan(directory_version=ctx.directory.version, steps=tuple(steps),
                        support=tuple(_support(ctx, signal)),
                        warnings=tuple(plan_warnings(ctx, steps, signal)), signal=signal,
                        basis=_basis(ctx))
