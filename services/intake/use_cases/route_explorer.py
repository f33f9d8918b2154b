""""What are my options?": a referral plan for given facts, computed with the referral rules routing plans with.

Intake runs the same plain-Python engine and directory as routing (libs/referral_rules) instead of calling
routing over the broker: the answer needs no stored data, so there is no reason to put a network hop and a
timeout on the person's request path. Nothing is stored and nothing is emitted.
"""
from datetime import date

from libs.referral_rules.directory import load_directory
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.planner import make_plan


def plan_for(query: dict, today: date | None = None) -> dict:
    """`query` as loaded by RouteQuery (or parsed by the form); returns the plan as a JSON-ready dict."""
    plan = make_plan(ComplaintFacts.from_event_data(query), today or date.today()).to_dict()
    for step in plan["steps"]:
        step.setdefault("name", step.get("channel_name"))  # the form's templates call it `name`
    return plan


def public_channels() -> dict:
    return load_directory().public_channels()
