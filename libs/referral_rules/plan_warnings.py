"""Plain-language warnings a plan carries: things the person should check or know before acting.

Each warning's code is an explanation code (explanation_texts.py), so pages can show it in the person's language.
"""
from libs.referral_rules.context import PlanContext
from libs.contracts.explanations import explain
from libs.referral_rules.plan import DEADLINE_PASSED, NOT_APPLICABLE, PlanWarning
from libs.referral_rules import channel_ids as ids


def plan_warnings(ctx: PlanContext, steps: list, signal: bool) -> list:
    facts, warnings = ctx.facts, []
    add = lambda code, **params: warnings.append(PlanWarning.of(explain(code, **params)))  # noqa: E731
    if signal:
        add("signal_not_passed_on")
    if any(s.kind == "first_line" and s.status == DEADLINE_PASSED for s in steps):
        add("conduct_older_than_a_year")
    if any(s.kind == "second_line" and s.status == DEADLINE_PASSED for s in steps):
        add("second_line_window_closed")
    if facts.institution_type == "municipality" and not signal:
        mapping = ctx.directory.municipalities.get(facts.municipality) if facts.municipality else None
        if mapping is None:
            add("municipality_unknown")
        elif not mapping.confirmed:
            add("check_with_municipality", municipality=mapping.name)
    if facts.institution_type == "municipality" and facts.issue == "permit" and not signal:
        add("decision_needs_objection")
    if facts.institution_type in ("bank", "insurer") and facts.capacity is None:
        add("capacity_unknown")
    kifid = next((s for s in steps if s.channel_id == ids.KIFID), None)
    if kifid and kifid.status == NOT_APPLICABLE:
        add("kifid_not_for_business")
    if facts.institution_type == "bank" and facts.issue == "account_refused_or_closed" \
            and facts.capacity != "business":
        add("basic_account_right")
    anonymous_no = [s for s in steps if s.status != NOT_APPLICABLE
                    and s.channel_id in (ids.AUTORITEIT_PERSOONSGEGEVENS, ids.POLITIE_KLACHTEN)]
    if anonymous_no:
        add("not_anonymous", channels=", ".join(s.channel_name for s in anonymous_no),
            channel_ids=[s.channel_id for s in anonymous_no])
    if facts.reporter_role != "sex_worker" and any(s.kind == "second_line" for s in steps):
        add("person_concerned")
    return warnings
