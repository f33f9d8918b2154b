"""Routing's use cases: plan a complaint, re-plan on progress, withdraw; partner referrals via the outbox.

Free of nameko: the `on_*` handlers at the end are what the service's event table names; each runs in the
transaction that also records the event in the inbox and its outgoing events in the outbox.
"""
from datetime import date, datetime, timezone

from sqlalchemy import delete, select, update

from libs.contracts.events import ComplaintReceivedData, make_envelope
from libs.kit import metrics as kit_metrics
from libs.kit import topology
from libs.kit.db import insert_for
from libs.kit.logs import get_logger
from libs.kit.outbox import emit, emit_external, forget_published
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.planner import make_plan
from services.routing import metrics
from services.routing.use_cases.clocks import schedule_values
from services.routing.domain.partners import partner_referrals
from services.routing.tables import outbox, partner_cases, partner_updates, plans, withdrawn_cases

log = get_logger()

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
        # first referral of this case to this partner, or a known one: one statement that inserts or finds
        created = session.execute(insert_for(session, partner_cases).values(
            case_ref=case_ref, partner_id=referral.partner_id, subject=referral.subject, created_at=now,
        ).on_conflict_do_nothing().returning(partner_cases.c.case_ref)).first()
        this_action = "created" if created is not None else action
        envelope = make_envelope(f"nl.voorportaal.referral.{this_action}.v1", PARTNER_SOURCE, referral.data,
                                 subject=referral.subject)
        emit_external(session, outbox, envelope, topology.PARTNER_EXCHANGE,
                      topology.partner_routing_key(referral.partner_id, this_action))
        published.append((referral.partner_id, this_action))
    return published


_INSERT_PLAN = plans.insert()  # built once: SQLAlchemy reuses its compiled form for every plan


def plan_complaint(session, received: dict, raw_data: dict, partners, secret, today):
    """complaint.received → stored plan, `referral.planned`, consented partner referrals. Returns (plan, sent)."""
    now = datetime.now(timezone.utc)
    case_ref = received["case_ref"]
    plan = make_plan(ComplaintFacts.from_event_data(received), today)
    plan_dict = plan.to_dict()
    session.execute(_INSERT_PLAN, dict(
        case_ref=case_ref, facts={k: v for k, v in raw_data.items() if k != "consent"},
        consent=received["consent"], language=received["language"], plan=plan_dict,
        directory_version=plan_dict["directory_version"], status="open", fired_clocks=[],
        created_at=now, updated_at=now, **schedule_values(plan_dict["steps"], [], today)))
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
    elif progress["kind"] == "extension_notified":   # the answer may now take four weeks longer (Awb 9:11)
        prior["extension_notified"] = True
    facts["prior_complaint"] = prior
    received = ComplaintReceivedData().load(dict(facts, consent=row.consent))
    plan = make_plan(ComplaintFacts.from_event_data(received), today)
    plan_dict = plan.to_dict()
    now = datetime.now(timezone.utc)
    session.execute(update(plans).where(plans.c.case_ref == row.case_ref).values(
        facts=facts, plan=plan_dict, directory_version=plan_dict["directory_version"], updated_at=now,
        **schedule_values(plan_dict["steps"], row.fired_clocks or [], today)))
    sent = _publish_partner_referrals(session, row.case_ref, plan, row.consent, partners, secret, now, "updated")
    event = _planned_event(row.case_ref, received, plan_dict)
    event["partner_referrals"] = sorted({partner for partner, _ in sent})
    emit(session, outbox, "referral.planned", event, correlation_id=row.case_ref)
    return plan_dict


def is_withdrawn(session, case_ref) -> bool:
    return session.execute(select(withdrawn_cases.c.case_ref).where(withdrawn_cases.c.case_ref == case_ref)
                           ).first() is not None


def withdraw_case(session, case_ref, today=None):
    """complaint.withdrawn → erase the plan and remember the withdrawal (a tombstone: reference and day); every
    partner that had the case gets `withdrawn`."""
    if not is_withdrawn(session, case_ref):
        session.execute(withdrawn_cases.insert().values(
            case_ref=case_ref, withdrawn_on=today or datetime.now(timezone.utc).date()))
    partner_rows = session.execute(select(partner_cases).where(partner_cases.c.case_ref == case_ref)).fetchall()
    # the published events of the case go at once (referral.planned names it, partner referrals its subjects)
    forget_published(session, outbox, [case_ref, *(row.subject for row in partner_rows)])
    for row in partner_rows:
        envelope = make_envelope("nl.voorportaal.referral.withdrawn.v1", PARTNER_SOURCE, {"withdrawn": True},
                                 subject=row.subject)
        emit_external(session, outbox, envelope, topology.PARTNER_EXCHANGE,
                      topology.partner_routing_key(row.partner_id, "withdrawn"))
    session.execute(delete(partner_cases).where(partner_cases.c.case_ref == case_ref))
    session.execute(delete(partner_updates).where(partner_updates.c.case_ref == case_ref))
    session.execute(delete(plans).where(plans.c.case_ref == case_ref))


# -- the event handlers (services/routing/service.py wires them) ----------------------------------------------
def dropped_for_withdrawn_case(session, event) -> bool:
    """True (counted and logged, without the reference) when the event concerns a withdrawn case: it is then
    acknowledged and has no effect."""
    if not is_withdrawn(session, event.data["case_ref"]):
        return False
    kit_metrics.WITHDRAWN_EVENTS_DROPPED.labels(metrics.SERVICE, event.type).inc()
    log.info("event.dropped_withdrawn_case", event_type=event.type, event_id=event.id)
    return True


def on_complaint_received(session, event, settings):
    if dropped_for_withdrawn_case(session, event):
        return
    _plan, sent = plan_complaint(session, event.data, event.raw_data, settings.partners, settings.partner_secret,
                                 settings.today())
    metrics.PLANS.inc()
    for partner, action in sent:
        metrics.PARTNER_REFERRALS.labels(metrics.SERVICE, partner, action).inc()
    log.info("referral.planned", case_ref=event.data["case_ref"], partner_referrals=len(sent))


def on_progress_reported(session, event, settings):
    if dropped_for_withdrawn_case(session, event):
        return
    replan_on_progress(session, event.data, settings.partners, settings.partner_secret, settings.today())


def on_complaint_withdrawn(session, event, settings):
    withdraw_case(session, event.data["case_ref"], settings.today())
