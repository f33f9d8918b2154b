""""What are my options?": a referral plan for given facts, computed with routing's rule engine.

Intake runs the same plain-Python engine and directory as routing (services/routing/domain) instead of calling
routing over the broker: the answer needs no stored data, so there is no reason to put a network hop and a
timeout on the person's request path. Nothing is stored and nothing is emitted.
"""
from datetime import date

from marshmallow import RAISE, Schema, fields, validate, validates, ValidationError

from libs.contracts.events import CAPACITIES, INSTITUTION_TYPES, ISSUES, REPORTER_ROLES
from libs.reference.municipalities import municipalities
from libs.referral_rules.directory import load_directory
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.planner import make_plan


class _Prior(Schema):
    class Meta:
        unknown = RAISE
    filed_on = fields.Date(allow_none=True, load_default=None)
    final_answer_on = fields.Date(allow_none=True, load_default=None)


class RouteQuery(Schema):
    class Meta:
        unknown = RAISE

    institution_type = fields.String(required=True, validate=validate.OneOf(INSTITUTION_TYPES))
    issue = fields.String(required=True, validate=validate.OneOf(ISSUES))
    municipality = fields.String(allow_none=True, load_default=None)
    capacity = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(CAPACITIES))
    incident_date = fields.Date(allow_none=True, load_default=None)
    prior_complaint = fields.Nested(_Prior, allow_none=True, load_default=None)
    reporter_role = fields.String(load_default="sex_worker", validate=validate.OneOf(REPORTER_ROLES))

    @validates("municipality")
    def known_municipality(self, value, **_kwargs):
        if value is not None and value not in municipalities():
            raise ValidationError("Not a municipality code of 2025 (GM followed by four digits).")


def plan_for(query: dict, today: date | None = None) -> dict:
    """`query` as loaded by RouteQuery (or parsed by the form); returns the plan as a JSON-ready dict."""
    plan = make_plan(ComplaintFacts.from_event_data(query), today or date.today()).to_dict()
    for step in plan["steps"]:
        step.setdefault("name", step.get("channel_name"))  # the form's templates call it `name`
    return plan


def plan_for_page(query: dict, today: date | None = None) -> dict:
    """The plan shaped for the options page: every channel with a `name`; warnings keep their code and
    parameters (the page translates them), and a warning that lists channels by id gets their names too."""
    plan = plan_for(query, today)
    directory = load_directory()
    for warning in plan.get("warnings") or []:
        ids = (warning.get("params") or {}).get("channel_ids")
        if ids:
            warning["params"]["channel_names"] = [directory.channel(channel_id).name for channel_id in ids]
    for item in plan.get("support") or []:
        item.setdefault("name", item.get("channel_name"))
    return plan


def follow_up_status(view: dict) -> dict:
    """intake's case view shaped for the follow-up page: plan steps with their channel's name, the mediator and
    what the person reported. (The read model keeps no messages to the person.)"""
    directory = load_directory()
    steps = []
    for step in view.get("plan") or []:
        channel = directory.channels.get(step["channel_id"])
        steps.append(dict(step, channel_name=channel.name if channel else step["channel_id"]))
    return {"reference": view["reference"], "status": view["status"], "steps": steps,
            "mediator": view["mediator"], "progress": view.get("progress") or [], "messages": [],
            "contact_consent": view.get("contact_consent", False)}


def public_channels() -> dict:
    return load_directory().public_channels()
