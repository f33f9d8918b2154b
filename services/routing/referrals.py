"""Routing's use cases: plan a complaint, re-plan on progress, withdraw; partner referrals via the outbox.

Free of nameko: the service class only hands these functions a session and the event data.
"""
from datetime import date, datetime, timezone

from sqlalchemy import delete, select, update

from libs.kit import topology
from libs.contracts.envelope import make_envelope
from libs.contracts.events import ComplaintReceivedData
from libs.kit.outbox import emit, emit_external
from libs.referral_rules.clocks import due_clocks
from libs.referral_rules.facts import ComplaintFacts
from services.routing.domain.partners import partner_referrals
from libs.referral_rules.planner import make_plan
from services.routing.models import outbox, partner_cases, plans

PARTNER_SOURCE = "urn:voorportaal:routing"


def step_summary(step: dict) -> dict:
    """A plan step as it travels in `referral.planned` (channel, status, the dates that matter and why, as a
    code that intake words in the person's language)."""
    dates = step.get("dates") or {}

    def as_date(value):  # plan dicts carry ISO strings; the event schema serialises dates
        return date.fromisoformat(value) if isinstance(value, str) else value
    return {
        "channel_id": step["channel_id"], "kind": step["kind"], "status": step["status"],
        "answer_due": as_date(dates.get("answer_due")), "escalate_by": as_date(dates.get("escalate_by")),
        "why_message": step.get("why_message"),
    }


def _planned_event(case_ref, received, plan_dict):
    return {
        "case_ref": case_ref, "directory_version": plan_dict["directory_version"],
        "institution_type": received["institution_type"], "issue": received["issue"],
        "municipality": received.get("municipality"), "language": received["language"],
        "wants_mediation": received["wants_mediation"],
        "steps": [step_summary(step) for step in plan_dict["steps"]],
        "partner_referrals": [],
    }


def _publish_partner_referrals(session, case_ref, plan, consent, partners, secret, now, action):
    published = []
    for referral in partner_referrals(plan, consent, partners, case_ref, secret):
        exists = session.execute(select(partner_cases.c.case_ref).where(
            partner_cases.c.case_ref == case_ref, partner_cases.c.partner_id == referral.partner_id)).first()
        if exists is None:
            session.execute(partner_cases.insert().values(
                case_ref=case_ref, partner_id=referral.partner_id, subject=referral.subject, created_at=now))
            this_action = "created"
        else:
            this_action = action
        envelope = make_envelope(f"nl.voorportaal.referral.{this_action}.v1", PARTNER_SOURCE, referral.data,
                                 subject=referral.subject)
        emit_external(session, outbox, envelope, topology.PARTNER_EXCHANGE,
                      topology.partner_routing_key(referral.partner_id, this_action))
        published.append((referral.partner_id, this_action))
    return published


def plan_complaint(session, received: dict, raw_data: dict, partners, secret, today):
    """complaint.received → stored plan, `referral.planned`, consented partner referrals. Returns (plan, sent)."""
    now = datetime.now(timezone.utc)
    case_ref = received["case_ref"]
    plan = make_plan(ComplaintFacts.from_event_data(received), today)
    plan_dict = plan.to_dict()
    session.execute(plans.insert().values(
        case_ref=case_ref, facts={k: v for k, v in raw_data.items() if k != "consent"},
        consent=received["consent"], language=received["language"], plan=plan_dict,
        directory_version=plan_dict["directory_version"], status="open", fired_clocks=[],
        created_at=now, updated_at=now))
    sent = _publish_partner_referrals(session, case_ref, plan, received["consent"], partners, secret, now,
                                      "created")
    event = _planned_event(case_ref, received, plan_dict)
    event["partner_referrals"] = sorted({partner for partner, _ in sent})
    emit(session, outbox, "referral.planned", event, correlation_id=case_ref)
    return plan_dict, sent


def replan_on_progress(session, progress: dict, partners, secret, today):
    """complaint.progress_reported → updated facts, a new plan, `referral.planned` and partner updates."""
    row = session.execute(select(plans).where(plans.c.case_ref == progress["case_ref"])).first()
    if row is None:
        return None
    facts = dict(row.facts)
    prior = dict(facts.get("prior_complaint") or {"filed_on": None, "final_answer_on": None})
    if progress["kind"] == "filed_with_institution":
        prior["filed_on"] = progress["on"].isoformat()
    elif progress["kind"] in ("answer_received", "final_answer_received"):
        prior["final_answer_on"] = progress["on"].isoformat()
    facts["prior_complaint"] = prior
    received = ComplaintReceivedData().load(dict(facts, consent=row.consent))
    plan = make_plan(ComplaintFacts.from_event_data(received), today)
    plan_dict = plan.to_dict()
    now = datetime.now(timezone.utc)
    session.execute(update(plans).where(plans.c.case_ref == row.case_ref).values(
        facts=facts, plan=plan_dict, directory_version=plan_dict["directory_version"], updated_at=now))
    sent = _publish_partner_referrals(session, row.case_ref, plan, row.consent, partners, secret, now, "updated")
    event = _planned_event(row.case_ref, received, plan_dict)
    event["partner_referrals"] = sorted({partner for partner, _ in sent})
    emit(session, outbox, "referral.planned", event, correlation_id=row.case_ref)
    return plan_dict


def withdraw_case(session, case_ref):
    """complaint.withdrawn → erase the plan; every partner that had the case gets `withdrawn`."""
    for row in session.execute(select(partner_cases).where(partner_cases.c.case_ref == case_ref)).fetchall():
        envelope = make_envelope("nl.voorportaal.referral.withdrawn.v1", PARTNER_SOURCE, {"withdrawn": True},
                                 subject=row.subject)
        emit_external(session, outbox, envelope, topology.PARTNER_EXCHANGE,
                      topology.partner_routing_key(row.partner_id, "withdrawn"))
    session.execute(delete(partner_cases).where(partner_cases.c.case_ref == case_ref))
    session.execute(delete(plans).where(plans.c.case_ref == case_ref))


def fire_due_clocks(session, today):
    """Emit `referral.deadline_due` / `referral.escalation_available` once per clock.

    Returns ({kind: clocks fired}, overdue) where `overdue` counts open answer deadlines that have passed."""
    fired, overdue = {}, 0
    for row in session.execute(select(plans).where(plans.c.status == "open")).fetchall():
        already = set(row.fired_clocks or [])
        clocks = due_clocks(row.plan["steps"], today)
        overdue += sum(1 for clock in clocks if clock.kind == "deadline_due")
        new = [clock for clock in clocks if clock.key not in already]
        for clock in new:
            emit(session, outbox, f"referral.{clock.kind}",
                 {"case_ref": row.case_ref, "channel_id": clock.channel_id, "due_on": clock.due_on},
                 correlation_id=row.case_ref)
        if new:
            session.execute(update(plans).where(plans.c.case_ref == row.case_ref).values(
                fired_clocks=sorted(already | {clock.key for clock in new})))
            for clock in new:
                fired[clock.kind] = fired.get(clock.kind, 0) + 1
    session.commit()
    return fired, overdue
