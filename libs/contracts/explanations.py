"""Explanations in a plan: a stable code plus parameters, with the English wording kept alongside.

Every sentence the planner shows a person (why a step, its conditions, support, warnings) is made with
`explain(code, **params)`. The plan keeps the English text (the API has always carried it) and adds the code and
parameters, so a page can show the sentence in the person's language: intake's message catalogues translate the
English wording of each code (`ENGLISH`). Parameters are numbers or proper names, never text the person typed.
"""
from dataclasses import dataclass

from libs.contracts.explanation_texts import ENGLISH


@dataclass(frozen=True)
class Explanation:
    code: str
    params: tuple = ()  # sorted (name, value) pairs, so an Explanation stays hashable

    @property
    def text(self) -> str:
        return ENGLISH[self.code] % dict(self.params)

    def to_dict(self) -> dict:
        return {"code": self.code, "params": {name: list(value) if isinstance(value, tuple) else value
                                              for name, value in self.params}}


def explain(code: str, **params) -> Explanation:
    if code not in ENGLISH:
        raise KeyError(f"no wording for explanation code {code!r}")
    params = {name: tuple(value) if isinstance(value, list) else value for name, value in params.items()}
    explanation = Explanation(code, tuple(sorted(params.items())))
    explanation.text  # noqa: B018 - fail here, not on a page, when a parameter is missing
    return explanation
