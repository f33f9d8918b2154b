"""Events become correct, de-identified facts; withdrawal erases them."""
import random
from collections import Counter
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from support.analytics_testlib import KEY, dump_tables, every_stored_value, new_session
from services.analytics.domain.pseudonyms import pseudonym
from services.analytics.tables import case_clocks_table, case_facts_table, erased_cases_table, plan_steps_table
from services.analytics.use_cases.business_metrics import monthly_counts
from services.analytics.use_cases.record import apply_event
from services.analytics.use_cases.retention import purge_clocks
from services.analytics.use_cases.synthetic import load_synthetic, synthetic_stream

REF = "VP-TEST-0001"


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T10:00:00+00:00")


def received(**changes):
    data = {"case_ref": REF, "received_on": date(2026, 3, 4), "institution_type": "bank", "issue": "privacy",
            "municipality": "GM0363", "capacity": "private", "incident_date": None, "prior_complaint": None,
            "language": "nl", "reporter_role": "sex_worker", "wants_mediation": True, "has_contact": False,
            "consent": {"referral": True, "share_description": False, "contact": False}}
    return {**data, **changes}


def planned(answer_due, status="open"):
    return {"case_ref": REF, "directory_version": "1", "institution_type": "bank", "issue": "privacy",
            "municipality": "GM0363", "language": "nl", "wants_mediation": True, "partner_referrals": [],
            "steps": [{"channel_id": "bank-internal", "kind": "internal", "status": status,
                       "answer_due": answer_due, "escalate_by": None},
                      {"channel_id": "kifid", "kind": "external", "status": "planned", "answer_due": None,
                       "escalate_by": date(2026, 8, 1)}]}


LIFE_OF_A_CASE = [
    ("complaint.received", received(), at("2026-03-04")),
    ("referral.planned", planned(date(2026, 4, 16)), at("2026-03-05")),
    ("complaint.progress_reported", {"case_ref": REF, "kind": "filed_with_institution", "on": date(2026, 3, 9)},
     at("2026-03-09")),
    ("referral.planned", planned(date(2026, 4, 20), "waiting"), at("2026-03-10")),
    ("mediation.assigned", {"case_ref": REF, "mediator_id": "m-07", "assigned_on": date(2026, 3, 12)},
     at("2026-03-12")),
    ("mediation.outcome_recorded", {"case_ref": REF, "outcome": "resolved", "satisfaction": 4,
                                    "recorded_on": date(2026, 4, 1)}, at("2026-04-01")),
    ("complaint.progress_reported", {"case_ref": REF, "kind": "final_answer_received", "on": date(2026, 4, 10)},
     at("2026-04-11")),
]


def apply_all(session, events):
    for event_type, data, occurred_at in events:
        apply_event(session, event_type, data, occurred_at, KEY)


def the_fact(session):
    return session.execute(select(case_facts_table)).mappings().one()


def test_the_life_of_one_case_gives_the_expected_fact():
    session = new_session()
    apply_all(session, LIFE_OF_A_CASE)
    fact = the_fact(session)
    assert fact["pseudonym"] == pseudonym(REF, KEY)
    assert (fact["month"], fact["quarter"], fact["province"]) == ("2026-03", "2026-Q1", "Noord-Holland")
    assert (fact["institution_type"], fact["issue"], fact["reporter_role"], fact["capacity"]) == \
        ("bank", "privacy", "sex_worker", "private")
    assert fact["days_to_referral"] == 1
    assert fact["days_to_institution_answer"] == 32          # filed 9 March, answered 10 April
    assert fact["answered_within_term"] is True              # the latest plan's term: 20 April
    assert fact["days_to_mediator"] == 8
    assert fact["days_to_outcome"] == 28                     # mediation result on 1 April comes first
    assert (fact["stage"], fact["mediation"], fact["mediation_outcome"], fact["satisfaction"]) == \
        ("final_answer", "closed", "resolved", 4)
    assert (fact["plan_count"], fact["first_plan_month"], fact["signal"]) == (2, "2026-03", False)
    steps = session.execute(select(plan_steps_table.c.channel_id, plan_steps_table.c.status)
                            .order_by(plan_steps_table.c.position)).all()
    assert steps == [("bank-internal", "waiting"), ("kifid", "planned")]


def test_a_late_answer_and_an_escalation_are_recorded_as_such():
    session = new_session()
    apply_all(session, LIFE_OF_A_CASE[:4] + [
        ("referral.deadline_due", {"case_ref": REF, "channel_id": "bank-internal", "due_on": date(2026, 4, 20)},
         at("2026-04-20")),
        ("referral.escalation_available", {"case_ref": REF, "channel_id": "bank-internal",
                                           "due_on": date(2026, 5, 4)}, at("2026-05-04")),
        ("complaint.progress_reported", {"case_ref": REF, "kind": "final_answer_received", "on": date(2026, 5, 20)},
         at("2026-05-20")),
    ])
    fact = the_fact(session)
    assert (fact["stage"], fact["answered_within_term"], fact["deadline_due_count"]) == \
        ("escalation_available", False, 1)


def test_arrival_order_does_not_change_the_facts():
    events = synthetic_stream(150, seed=21)
    in_order, shuffled = new_session(), new_session()
    apply_all(in_order, events)
    mixed = [e for e in events if e[0] != "complaint.withdrawn"]  # withdrawal is last by nature
    random.Random(1).shuffle(mixed)
    apply_all(shuffled, mixed + [e for e in events if e[0] == "complaint.withdrawn"])
    assert dump_tables(in_order) == dump_tables(shuffled)


def test_withdrawal_erases_the_case_and_a_late_event_cannot_bring_it_back():
    session = new_session()
    other = received(case_ref="VP-OTHER-0002")
    apply_all(session, LIFE_OF_A_CASE + [("complaint.received", other, at("2026-03-04"))])
    apply_event(session, "complaint.withdrawn", {"case_ref": REF}, at("2026-04-12"), KEY)
    apply_event(session, "complaint.withdrawn", {"case_ref": REF}, at("2026-04-12"), KEY)  # idempotent
    apply_event(session, "mediation.assigned", {"case_ref": REF, "mediator_id": "m-1",
                                                "assigned_on": date(2026, 4, 13)}, at("2026-04-13"), KEY)
    tables = dump_tables(session)
    gone = pseudonym(REF, KEY)
    for name in ("analytics_case_facts", "analytics_case_clocks", "analytics_plan_steps"):
        assert all(row[0] != gone for row in tables[name]), name
    assert tables["analytics_erased_cases"] == [(gone,)]
    assert [row[0] for row in tables["analytics_case_facts"]] == [pseudonym("VP-OTHER-0002", KEY)]


def test_canary_case_references_and_municipalities_never_reach_the_store():
    canary = "CANARY7QX"
    session = new_session()
    events = synthetic_stream(200, seed=5, case_ref_prefix=canary)
    apply_all(session, events)
    refs = {data["case_ref"] for _type, data, _at in events}
    municipalities = {data.get("municipality") for _type, data, _at in events} - {None}
    stored = [str(value) for value in every_stored_value(session)]
    assert stored
    assert not [value for value in stored if canary.lower() in value.lower()]
    assert not refs & set(stored)
    assert not municipalities & set(stored)
    assert not [value for value in stored if value.startswith("GM")]
    assert not [value for value in stored if "m-" in value]  # mediator ids


def test_free_text_in_a_channel_code_is_not_stored():
    session = new_session()
    plan = planned(None)
    plan["steps"][0]["channel_id"] = "Mevrouw Jansen, Kerkstraat 1"
    apply_all(session, [("referral.planned", plan, at("2026-03-05"))])
    assert session.execute(select(plan_steps_table.c.channel_id).order_by(plan_steps_table.c.position)) \
        .scalars().all() == ["unrecognised", "kifid"]


def test_the_bulk_loader_and_apply_event_store_the_same_facts():
    by_event, in_bulk = new_session(), new_session()
    apply_all(by_event, synthetic_stream(250, seed=13))
    load_synthetic(in_bulk, 250, seed=13, pseudonym_key=KEY)
    assert dump_tables(by_event) == dump_tables(in_bulk)


def test_monthly_counts_match_the_events():
    session = new_session()
    events = synthetic_stream(250, seed=17)
    apply_all(session, events)
    withdrawn = {d["case_ref"] for t, d, _ in events if t == "complaint.withdrawn"}
    month = "2027-06"
    expected_complaints = Counter(d["institution_type"] for t, d, _ in events if t == "complaint.received"
                                  and d["case_ref"] not in withdrawn and d["received_on"].strftime("%Y-%m") == month)
    first_plan = {}
    for t, d, occurred_at in events:
        if t == "referral.planned" and d["case_ref"] not in withdrawn:
            first_plan.setdefault(d["case_ref"], (d["institution_type"], occurred_at.strftime("%Y-%m")))
    expected_plans = Counter(kind for kind, plan_month in first_plan.values() if plan_month == month)
    counts = monthly_counts(session, month)
    assert sum(expected_complaints.values()) > 0
    assert {k: v for k, v in counts["complaints"].items() if v} == dict(expected_complaints)
    assert {k: v for k, v in counts["referral_plans"].items() if v} == dict(expected_plans)
    assert set(counts["complaints"]) == set(counts["referral_plans"])  # every type present, zeros included


def test_purge_keeps_facts_but_drops_the_working_dates_of_quiet_cases():
    session = new_session()
    apply_all(session, LIFE_OF_A_CASE)
    assert purge_clocks(session, date(2026, 4, 1)) == 0
    assert purge_clocks(session, date(2027, 1, 1)) == 1
    assert session.execute(select(case_clocks_table)).first() is None
    assert session.execute(select(case_facts_table)).first() is not None
    assert session.execute(select(erased_cases_table)).first() is None


def test_an_event_outside_the_catalogue_is_refused():
    with pytest.raises(ValueError):
        apply_event(new_session(), "complaint.deleted", {"case_ref": REF}, datetime.now(timezone.utc), KEY)


def test_events_read_back_from_broker_envelopes_give_the_same_facts():
    from libs.contracts.events import internal_event, read_internal_event
    direct, via_envelopes = new_session(), new_session()
    apply_all(direct, LIFE_OF_A_CASE)
    for event_type, data, occurred_at in LIFE_OF_A_CASE:
        loaded_type, loaded = read_internal_event(internal_event(event_type, data))
        apply_event(via_envelopes, loaded_type, loaded, occurred_at, KEY)
    assert dump_tables(direct) == dump_tables(via_envelopes)


def test_live_counts_are_zero_or_a_multiple_of_the_threshold():
    """Issue 19, finding 13: the live business metrics obey the report's rule 1 (0 or >= 10) and move only once
    per ten cases."""
    from services.analytics.domain.disclosure import coarse_live_count
    assert [coarse_live_count(n) for n in (0, 1, 9, 10, 11, 19, 20, 137)] == [0, 0, 0, 10, 10, 10, 20, 130]
    assert coarse_live_count(7, threshold=5) == 5
    with pytest.raises(ValueError):
        coarse_live_count(-1)


def partner_status(status, changed, outcome=None, partner="kifid"):
    return {"case_ref": REF, "partner_id": partner, "status": status, "outcome": outcome,
            "changed_at": at(changed), "referred_on": date(2026, 3, 5)}


def test_a_partners_first_answer_becomes_days_to_answer_and_is_erased_with_the_case():
    from services.analytics.tables import partner_answers_table

    session = new_session()
    apply_event(session, "complaint.received", received(), at("2026-03-04"), KEY)
    for status, day in (("received", "2026-03-06"), ("answered", "2026-03-25"), ("closed", "2026-04-30")):
        apply_event(session, "referral.partner_status_changed",
                    partner_status(status, day, outcome="settled" if status == "closed" else None), at(day), KEY)
    rows = session.execute(select(partner_answers_table)).fetchall()
    assert [(row.pseudonym, row.partner, row.days_to_answer) for row in rows] == [(pseudonym(REF, KEY), "kifid", 20)]
    apply_event(session, "complaint.withdrawn", {"case_ref": REF}, at("2026-05-01"), KEY)
    assert session.execute(select(partner_answers_table)).fetchall() == []
    apply_event(session, "referral.partner_status_changed", partner_status("answered", "2026-05-02"),
                at("2026-05-02"), KEY)  # late: the case stays erased
    assert session.execute(select(partner_answers_table)).fetchall() == []



def test_an_event_writes_only_the_tables_it_changes():
    """_save_state compares with the stored rows (issue 21: statements per event): the same plan again counts a
    plan (facts) but leaves its steps alone; a progress report does not touch the steps; a changed plan does."""
    from sqlalchemy import event as sa_event

    session = new_session()
    apply_all(session, LIFE_OF_A_CASE[:2])
    written = []

    @sa_event.listens_for(session.get_bind(), "before_cursor_execute")
    def note(_conn, _cursor, statement, *_args):
        words = statement.split()
        if words[0].upper() in ("INSERT", "DELETE"):
            written.append(words[2])  # INSERT INTO t / DELETE FROM t
        elif words[0].upper() == "UPDATE":
            written.append(words[1])

    apply_event(session, "referral.planned", planned(date(2026, 4, 16)), at("2026-03-06"), KEY)
    assert "analytics_case_facts" in written and "analytics_plan_steps" not in written, written
    written.clear()
    apply_event(session, *LIFE_OF_A_CASE[2][:2], LIFE_OF_A_CASE[2][2], KEY)
    assert written and "analytics_plan_steps" not in written, written
    written.clear()
    apply_event(session, "referral.planned", planned(date(2026, 4, 20), "waiting"), at("2026-03-10"), KEY)
    assert "analytics_plan_steps" in written, written
