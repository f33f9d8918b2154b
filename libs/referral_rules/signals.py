"""Trafficking, exploitation and violence: signal channels (docs/privacy.md).

The signal channels never include a municipality or a municipal ombudsman, and nothing is passed on without
consent: the person is shown the police (112 / 0900-8844), Meld Misdaad Anoniem, CoMensha and the
Arbeidsinspectie, as options side by side. The planner adds a complaint route only where the violence is the
institution's own conduct: the police's, or a municipal boa's (Awb 9:1 lid 2), never for exploitation.
"""
from libs.referral_rules import channel_ids as ids
from libs.referral_rules.context import PlanContext
from libs.contracts.explanations import explain
from libs.referral_rules.plan import AVAILABLE_NOW

SIGNAL_ISSUES = ("violence", "exploitation")

SIGNAL_WHY = {
    ids.POLITIE_MELDING: "signal.why.police",
    ids.MELD_MISDAAD_ANONIEM: "signal.why.meld_misdaad_anoniem",
    ids.COMENSHA: "signal.why.comensha",
    ids.ARBEIDSINSPECTIE: "signal.why.arbeidsinspectie",
}


def is_signal(facts) -> bool:
    return facts.issue in SIGNAL_ISSUES


def signal_steps(ctx: PlanContext) -> list:
    return [ctx.step(channel_id, explain(SIGNAL_WHY[channel_id]), status=AVAILABLE_NOW,
                     preconditions=[explain("signal.if.your_choice")])
            for channel_id in ids.SIGNAL_CHANNELS]
