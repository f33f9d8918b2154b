"""What the options and follow-up pages show, shaped from the use cases' answers: every channel with its name
from the directory (the pages translate names and sentences: plan_texts.py)."""
from datetime import date

from libs.referral_rules.directory import load_directory
from services.intake.use_cases.route_explorer import plan_for


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


def _partner_name(directory, partner_id):
    """A partner's name as the person knows it: its channel in the directory (partner ids are channel ids)."""
    channel = directory.channels.get(partner_id)
    return channel.name if channel else partner_id


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
            "partner_updates": [dict(update, name=_partner_name(directory, update["partner_id"]))
                                for update in view.get("partner_updates") or []],
            "contact_consent": view.get("contact_consent", False),
            "feedback_question": view.get("feedback_question")}
