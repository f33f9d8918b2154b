"""Plain-language warnings a plan carries: things the person should check or know before acting.

Each warning's code is an explanation code (explanation_texts.py), so pages can show it in the person's language.
"""
from libs.referral_rules.context import PlanContext
from libs.contracts.explanations import explain
from libs.referral_rules.plan import DEADLINE_PASSED, NOT_APPLICABLE, PlanWarning
from libs.referral_rules import channel_ids as ids


def _named(steps):
    return {"channels": ", ".join(s.channel_name for s in steps), "channel_ids": [s.channel_id for s in steps]}


def _municipal_route(facts, signal: bool) -> bool:
    """The plan has the municipality's complaint route (also for violence by a municipal boa)."""
    return facts.institution_type == "municipality" and (not signal or facts.issue == "violence")


def plan_warnings(ctx: PlanContext, steps: list, signal: bool) -> list:
    facts, warnings = ctx.facts, []
    add = lambda code, **params: warnings.append(PlanWarning.of(explain(code, **params)))  # noqa: E731
    open_steps = [s for s in steps if s.status != NOT_APPLICABLE]
    if signal:
        add("signal_not_passed_on")
        if any(s.kind == "first_line" for s in steps):
            add("report_may_pause_complaint")  # Awb 9:8 lid 1 f: a criminal investigation may pause the complaint
    if any(s.kind == "first_line" and s.status == DEADLINE_PASSED for s in steps):
        add("conduct_older_than_a_year")
    if any(s.kind == "second_line" and s.status == DEADLINE_PASSED for s in steps):
        add("second_line_window_closed")
    if _municipal_route(facts, signal):
        mapping = ctx.directory.municipalities.get(facts.municipality) if facts.municipality else None
        if mapping is None:
            add("municipality_unknown")
        elif not mapping.confirmed:
            add("check_with_municipality", municipality=mapping.name,
                body=ctx.directory.channel(mapping.ombudsman).name)
    if facts.institution_type == "municipality" and facts.issue == "permit" and not signal:
        add("decision_needs_objection")
    if facts.institution_type in ("bank", "insurer") and facts.capacity is None:
        add("capacity_unknown")
    kifid = next((s for s in steps if s.channel_id == ids.KIFID), None)
    if kifid and kifid.status == NOT_APPLICABLE:
        add("kifid_not_for_business")
    if facts.capacity == "business":
        add("juridisch_loket_not_for_business")
    if facts.institution_type == "bank" and facts.issue == "account_refused_or_closed" \
            and facts.capacity != "business":
        add("basic_account_right")
    anonymous_no = [s for s in open_steps if s.channel_id in (ids.AUTORITEIT_PERSOONSGEGEVENS, ids.POLITIE_KLACHTEN)]
    if anonymous_no:
        add("not_anonymous", **_named(anonymous_no))
    awb = [s for s in open_steps if s.channel_id in ids.AWB_FIRST_LINE]
    if awb:  # Awb 9:4 / 9:8: a government body may refuse a written complaint without name and address
        add("awb_anonymous", **_named(awb))
    if awb or any(s.channel_id == ids.POLITIE_KLACHTEN for s in open_steps):
        add("anonymous_help")
    if facts.reporter_role != "sex_worker" and any(s.kind == "second_line" for s in steps):
        add("person_concerned")
    return warnings
