"""Steps that come on top of the institution's route because of the issue (discrimination)."""
from libs.referral_rules import channel_ids as ids
from libs.referral_rules.context import PlanContext
from libs.contracts.explanations import explain
from libs.referral_rules.plan import AVAILABLE_NOW, NOT_APPLICABLE

GOVERNMENT = ("municipality", "police", "tax_authority", "uwv", "svb", "kvk")
# The College can judge one-sided government action only for social protection (benefits, allowances, social
# assistance) and only on race or origin (FACTS 8.1-8.3): UWV, SVB, Dienst Toeslagen, the municipality's benefits.
SOCIAL_PROTECTION = ("municipality", "tax_authority", "uwv", "svb")


def discrimination_steps(ctx: PlanContext) -> list:
    report = ctx.step(
        ids.DISCRIMINATIE_NL, explain("discrimination.why.report"), status=AVAILABLE_NOW)
    preconditions = [explain("discrimination.if.listed_grounds"), explain("discrimination.if.not_binding")]
    kind = ctx.facts.institution_type
    if kind == "police":
        college = ctx.step(
            ids.COLLEGE_RECHTEN_MENS, explain("discrimination.why.college_not_police"),
            status=NOT_APPLICABLE, preconditions=preconditions)
    else:
        if kind in SOCIAL_PROTECTION:
            preconditions.append(explain("discrimination.if.social_protection"))
        elif kind in GOVERNMENT:
            preconditions.append(explain("discrimination.if.government"))
        college = ctx.step(
            ids.COLLEGE_RECHTEN_MENS, explain("discrimination.why.college"),
            status=AVAILABLE_NOW, preconditions=preconditions,
            unconfirmed=True)  # whether stigma against sex work falls under a listed ground is not confirmed
    return [report, college]
