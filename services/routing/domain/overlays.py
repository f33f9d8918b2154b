"""Steps that come on top of the institution's route because of the issue (discrimination)."""
from services.routing.domain import channel_ids as ids
from services.routing.domain.context import PlanContext
from services.routing.domain.plan import AVAILABLE_NOW, NOT_APPLICABLE

GOVERNMENT = ("municipality", "police", "tax_authority", "uwv", "svb", "kvk")


def discrimination_steps(ctx: PlanContext) -> list:
    report = ctx.step(
        ids.DISCRIMINATIE_NL,
        "You can report discrimination to Discriminatie.nl. The anti-discrimination service near you helps "
        "for free and registers it, whatever else you do.",
        status=AVAILABLE_NOW)
    preconditions = ["Only for grounds in equal-treatment law, such as sex, race, nationality, religion, sexual "
                     "orientation or disability. Sex work itself is not a listed ground.",
                     "Its judgment is not binding, but a court must explain if it decides otherwise."]
    if ctx.facts.institution_type == "police":
        college = ctx.step(
            ids.COLLEGE_RECHTEN_MENS,
            "The College voor de Rechten van de Mens mostly does not handle discrimination by the police, "
            "such as ethnic profiling. Use the police complaint procedure instead.",
            status=NOT_APPLICABLE, preconditions=preconditions)
    else:
        if ctx.facts.institution_type in GOVERNMENT:
            preconditions.append("Most complaints about discrimination by government bodies are outside its scope.")
        college = ctx.step(
            ids.COLLEGE_RECHTEN_MENS,
            "The College voor de Rechten van de Mens can judge whether this was discrimination. It is free and "
            "takes at most 6 months.",
            status=AVAILABLE_NOW, preconditions=preconditions,
            unconfirmed=True)  # whether stigma against sex work falls under a listed ground is not confirmed
    return [report, college]
