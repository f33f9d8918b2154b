"""A referral plan in the page's language.

The routing engine explains every step with a code and parameters next to its English text (see
services/routing/domain/explanations.py). Here each code's English wording is looked up in this package's
catalogues, so the person reads the plan in the language of the page. Channel names are translated the same way.
A plan without codes (an older stored plan, or a hand-made one) keeps its text as given.
"""
from libs.contracts.explanation_texts import ENGLISH

from .catalogues import translations_for


class PlanTexts:
    def __init__(self, lang):
        self.gettext = translations_for(lang).gettext

    def name(self, name):
        return self.gettext(name) if name else name

    def sentence(self, coded, fallback):
        """The coded explanation in this language; `fallback` (as given) when there is no usable code."""
        if not isinstance(coded, dict) or coded.get("code") not in ENGLISH:
            return fallback
        params = dict(coded.get("params") or {})
        if params.get("channel_names"):
            params["channels"] = ", ".join(self.name(name) for name in params["channel_names"])
        try:
            return self.gettext(ENGLISH[coded["code"]]) % params
        except (KeyError, TypeError, ValueError):
            return fallback

    def step(self, step):
        coded = step.get("precondition_messages") or []
        preconditions = list(step.get("preconditions") or [])
        if len(coded) == len(preconditions):
            preconditions = [self.sentence(c, text) for c, text in zip(coded, preconditions)]
        return dict(step, name=self.name(step.get("name") or step.get("channel_name")),
                    channel_name=self.name(step.get("channel_name") or step.get("name")),
                    why=self.sentence(step.get("why_message"), step.get("why")), preconditions=preconditions)

    def support(self, item):
        if not isinstance(item, dict):
            return item
        return dict(item, name=self.name(item.get("name") or item.get("channel_name")),
                    why=self.sentence(item.get("why_message"), item.get("why")))

    def warning(self, warning):
        if not isinstance(warning, dict):
            return warning
        return self.sentence(warning, warning.get("message", ""))


def localised_plan(plan, lang):
    """The plan dict with every name and sentence in `lang` (statuses and dates are translated by the templates)."""
    texts = PlanTexts(lang)
    return dict(plan, steps=[texts.step(step) for step in plan.get("steps") or []],
                support=[texts.support(item) for item in plan.get("support") or []],
                warnings=[texts.warning(warning) for warning in plan.get("warnings") or []])
