"""Plain-language warnings a plan carries: things the person should check or know before acting."""
from services.routing.domain.context import PlanContext
from services.routing.domain.plan import DEADLINE_PASSED, NOT_APPLICABLE, PlanWarning
from services.routing.domain import channel_ids as ids


def plan_warnings(ctx: PlanContext, steps: list, signal: bool) -> list:
    facts, warnings = ctx.facts, []
    add = lambda code, message: warnings.append(PlanWarning(code, message))  # noqa: E731
    if signal:
        add("signal_not_passed_on", "Your safety comes first. The desk does not pass this on to the municipality "
            "or anyone else without your consent.")
    if any(s.kind == "first_line" and s.status == DEADLINE_PASSED for s in steps):
        add("conduct_older_than_a_year", "This happened more than a year ago, so the institution may refuse to "
            "handle your complaint. You can still try.")
    if any(s.kind == "second_line" and s.status == DEADLINE_PASSED for s in steps):
        add("second_line_window_closed", "The usual time limit for the next step has passed. The body may still "
            "take your complaint; ask them.")
    if facts.institution_type == "municipality" and not signal:
        mapping = ctx.directory.municipalities.get(facts.municipality) if facts.municipality else None
        if mapping is None:
            add("municipality_unknown", "We do not know the municipality, so we show the Nationale ombudsman. "
                "Some municipalities have their own ombudsman.")
        elif not mapping.confirmed:
            add("check_with_municipality", f"We could not confirm which ombudsman handles complaints about "
                f"{mapping.name}. Please check with the municipality.")
    if facts.institution_type == "municipality" and facts.issue == "permit" and not signal:
        add("decision_needs_objection", "If you disagree with a decision, such as a permit refusal, you object "
            "(bezwaar) within 6 weeks of the decision. That is a different procedure from a complaint.")
    if facts.institution_type in ("bank", "insurer") and facts.capacity is None:
        add("capacity_unknown", "Kifid only handles complaints from private persons. Tell us whether this was "
            "private or for your business.")
    kifid = next((s for s in steps if s.channel_id == ids.KIFID), None)
    if kifid and kifid.status == NOT_APPLICABLE:
        add("kifid_not_for_business", "Kifid does not handle business accounts (except some small-business "
            "loans). Legal advice can help you find another route.")
    if facts.institution_type == "bank" and facts.issue == "account_refused_or_closed" \
            and facts.capacity != "business":
        add("basic_account_right", "Most people have a legal right to a basic payment account; a bank may refuse "
            "or close it only on grounds set in the law.")
    anonymous_no = [s.channel_name for s in steps if s.status != NOT_APPLICABLE
                    and s.channel_id in (ids.AUTORITEIT_PERSOONSGEGEVENS, ids.POLITIE_KLACHTEN)]
    if anonymous_no:
        add("not_anonymous", "These do not take anonymous complaints: " + ", ".join(anonymous_no) + ".")
    if facts.reporter_role != "sex_worker" and any(s.kind == "second_line" for s in steps):
        add("person_concerned", "An ombudsman may refuse a complaint that is not made by the person concerned. "
            "The person can file it, with your help.")
    return warnings
