"""Trafficking, exploitation and violence: signal channels only (DESIGN.md §4).

Never a municipality or a municipal ombudsman, and nothing is passed on without consent: the person is shown
the police (112 / 0900-8844), Meld Misdaad Anoniem, CoMensha and the Arbeidsinspectie, as options side by side.
"""
from services.routing.domain import channel_ids as ids
from services.routing.domain.context import PlanContext
from services.routing.domain.plan import AVAILABLE_NOW

SIGNAL_ISSUES = ("violence", "exploitation")

SIGNAL_WHY = {
    ids.POLITIE_MELDING: "In acute danger, call 112. To report violence, coercion or exploitation, call the "
                         "police on 0900-8844; they have detectives trained for human trafficking.",
    ids.MELD_MISDAAD_ANONIEM: "You can report anonymously to Meld Misdaad Anoniem on 0800-7000: your number is "
                              "not shown and calls are not recorded.",
    ids.COMENSHA: "CoMensha helps people who may be victims of human trafficking, including a safe place to "
                  "stay. Their helpdesk is open on working days.",
    ids.ARBEIDSINSPECTIE: "You can report labour exploitation to the Arbeidsinspectie on 0800-5151, also "
                          "anonymously.",
}


def is_signal(facts) -> bool:
    return facts.issue in SIGNAL_ISSUES


def signal_steps(ctx: PlanContext) -> list:
    return [ctx.step(channel_id, SIGNAL_WHY[channel_id], status=AVAILABLE_NOW,
                     preconditions=["You choose whether to contact them. The desk passes nothing on without "
                                    "your consent."])
            for channel_id in ids.SIGNAL_CHANNELS]
