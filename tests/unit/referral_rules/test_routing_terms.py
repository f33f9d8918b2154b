"""When the institution's handling term has legally ended, and so when the ombudsman step opens and closes.

Awb 9:11 lid 1: 6 weeks, or 10 weeks where an advisory complaints committee handles the complaint; lid 2: one
extension of at most 4 weeks, notified in writing. Awb 9:24 lid 1: the ombudsman within one year after the answer,
or after the moment handling should have ended by law. Awb 9:20 lid 1 / 9:24 lid 2: where complaining first cannot
reasonably be asked, the ombudsman directly, one year from the conduct. The police's second phase is advised by a
klachtencommissie, so 10 (+4) weeks. Dates are worked out by hand in the comments (1 week = 7 days).
"""
from datetime import date as d, timedelta

import pytest

from libs.referral_rules.clocks import Clock, apply_progress, due_clocks
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.planner import make_plan

A, W, P = "available_now", "after_previous_step", "deadline_passed"
AMSTERDAM = "GM0363"  # Ombudsman Metropool Amsterdam, confirmed
OMA = "ombudsman-metropool-amsterdam"
FILED = d(2026, 10, 1)  # a Thursday
ONE_DAY = timedelta(days=1)


def plan(today, **facts):
    base = dict(institution_type="municipality", issue="rude_treatment", municipality=AMSTERDAM,
                prior_complaint_filed_on=FILED)
    return make_plan(ComplaintFacts(**{**base, **facts}), today)


def status(plan_, channel_id):
    return plan_.step_for(channel_id).status


# ---- Awb 9:11: which term, and when the ombudsman opens ----------------------------------------------------------
# plain: 1 Oct + 6 weeks = 12 Nov; extension limit 10 Dec; ombudsman 13 Nov .. 12 Nov 2027
# notified extension: term ends 10 Dec; ombudsman 11 Dec .. 10 Dec 2027
# advisory committee: 1 Oct + 10 weeks = 10 Dec (extension limit 7 Jan 2027); ombudsman 11 Dec .. 10 Dec 2027
# committee + extension: term ends 7 Jan 2027; ombudsman 8 Jan 2027 .. 7 Jan 2028
TERMS = [
    ("plain", {}, d(2026, 11, 12), d(2026, 12, 10), d(2026, 11, 13), d(2027, 11, 12)),
    ("extension-notified", dict(extension_notified=True), d(2026, 12, 10), None, d(2026, 12, 11), d(2027, 12, 10)),
    ("advisory-committee", dict(advisory_committee=True), d(2026, 12, 10), d(2027, 1, 7), d(2026, 12, 11),
     d(2027, 12, 10)),
    ("committee-and-extension", dict(advisory_committee=True, extension_notified=True), d(2027, 1, 7), None,
     d(2027, 1, 8), d(2028, 1, 7)),
]


@pytest.mark.parametrize("extra, answer_due, extension_limit, opens, closes",
                         [pytest.param(*row[1:], id=row[0]) for row in TERMS])
def test_the_ombudsman_opens_the_day_after_the_legal_term_and_closes_a_year_after_it(
        extra, answer_due, extension_limit, opens, closes):
    day_before = plan(opens - ONE_DAY, **extra)
    first = day_before.step_for("internal:municipality").dates
    assert (first.answer_due, first.extension_limit) == (answer_due, extension_limit)
    assert day_before.step_for(OMA).dates.escalate_from == opens
    assert day_before.step_for(OMA).dates.escalate_by == closes
    assert status(day_before, OMA) == W
    assert status(plan(opens, **extra), OMA) == A
    assert status(plan(closes, **extra), OMA) == A
    last_day_after = plan(closes + ONE_DAY, **extra)
    assert status(last_day_after, OMA) == P
    assert "second_line_window_closed" in {w.code for w in last_day_after.warnings}


def test_with_an_advisory_committee_the_plan_says_ten_weeks_and_drops_the_maybe():
    with_committee = plan(d(2026, 10, 2), advisory_committee=True).step_for("internal:municipality")
    assert "within 10 weeks" in with_committee.why
    assert not any("advisory committee" in text for text in with_committee.preconditions)
    unknown = plan(d(2026, 10, 2)).step_for("internal:municipality")
    assert "within 6 weeks" in unknown.why
    assert any("advisory committee the answer may take up to 10 weeks" in text for text in unknown.preconditions)
    assert plan(d(2026, 10, 2), advisory_committee=False).step_for("internal:municipality").preconditions == tuple(
        text for text in unknown.preconditions if "advisory committee" not in text)


def test_the_same_terms_hold_for_the_national_bodies():
    uwv = make_plan(ComplaintFacts("uwv", "refused_service", prior_complaint_filed_on=FILED,
                                   advisory_committee=True), d(2026, 12, 11))
    assert uwv.step_for("internal:uwv").dates.answer_due == d(2026, 12, 10)
    assert (uwv.step_for("nationale-ombudsman").status, uwv.step_for("nationale-ombudsman").dates.escalate_from) == (
        A, d(2026, 12, 11))


def test_a_late_answer_does_not_close_what_was_open_and_restarts_the_year():
    # term ended 12 Nov; the answer came on 1 Dec: the step stays open from 13 Nov, one year from the answer
    late = plan(d(2026, 12, 2), prior_final_answer_on=d(2026, 12, 1)).step_for(OMA)
    assert (late.dates.escalate_from, late.dates.escalate_by, late.status) == (d(2026, 11, 13), d(2027, 12, 1), A)
    # an answer within the term opens the step on the day it came
    early = plan(d(2026, 10, 21), prior_final_answer_on=d(2026, 10, 20)).step_for(OMA)
    assert (early.dates.escalate_from, early.dates.escalate_by) == (d(2026, 10, 20), d(2027, 10, 20))


# ---- the police: 10 weeks (klachtencommissie in the second phase) + 4 ---------------------------------------------
# filed 1 Oct: answer due 10 Dec, 14 weeks = 7 Jan 2027; the Nationale ombudsman opens 11 Dec (8 Jan if extended)
@pytest.mark.parametrize("extra, answer_due, opens", [
    ({}, d(2026, 12, 10), d(2026, 12, 11)),
    (dict(extension_notified=True), d(2027, 1, 7), d(2027, 1, 8)),
])
def test_the_police_complaint_takes_ten_weeks_and_four_more_if_extended(extra, answer_due, opens):
    facts = ComplaintFacts("police", "rude_treatment", prior_complaint_filed_on=FILED, **extra)
    day_before = make_plan(facts, opens - ONE_DAY)
    police = day_before.step_for("politie-klachten")
    assert police.dates.answer_due == answer_due and police.unconfirmed  # the 2025 regulation was not seen
    assert "10 weeks" in police.why and "4 weeks more" in police.why
    assert status(day_before, "nationale-ombudsman") == W
    on_the_day = make_plan(facts, opens)
    assert status(on_the_day, "nationale-ombudsman") == A
    assert on_the_day.step_for("nationale-ombudsman").dates.escalate_by == answer_due.replace(year=answer_due.year + 1)


def test_the_police_clocks_fire_on_the_legal_dates():
    facts = ComplaintFacts("police", "rude_treatment", prior_complaint_filed_on=FILED)
    steps = make_plan(facts, d(2026, 10, 2)).steps
    assert due_clocks(steps, d(2026, 12, 9)) == []
    assert due_clocks(steps, d(2026, 12, 10)) == [Clock("deadline_due", "politie-klachten", d(2026, 12, 10))]
    assert Clock("escalation_available", "nationale-ombudsman", d(2026, 12, 11)) in due_clocks(steps, d(2026, 12, 11))


# ---- a notified extension as progress -----------------------------------------------------------------------------
def test_a_notified_extension_moves_the_answer_clock_and_the_next_step():
    facts = ComplaintFacts("municipality", "rude_treatment", AMSTERDAM, prior_complaint_filed_on=FILED)
    extended = apply_progress(facts, "extension_notified", d(2026, 11, 5))
    assert extended.extension_notified and not facts.extension_notified
    steps = make_plan(extended, d(2026, 11, 6)).steps
    assert due_clocks(steps, d(2026, 12, 9)) == []  # no "answer due" on 12 Nov any more
    assert due_clocks(steps, d(2026, 12, 11)) == [Clock("deadline_due", "internal:municipality", d(2026, 12, 10)),
                                                  Clock("escalation_available", OMA, d(2026, 12, 11))]


# ---- Awb 9:20 lid 1 / 9:24 lid 2: directly to the ombudsman, one year from the conduct ----------------------------
CONDUCT = d(2026, 1, 5)


def direct(today, **extra):
    facts = dict(institution_type="municipality", issue="rude_treatment", municipality=AMSTERDAM,
                 incident_date=CONDUCT, first_complaint_unreasonable=True)
    return make_plan(ComplaintFacts(**{**facts, **extra}), today)


@pytest.mark.parametrize("today, expected", [
    (d(2026, 1, 4), W),   # the day before the conduct: nothing to ask about yet
    (d(2026, 1, 5), A),   # the day of the conduct
    (d(2027, 1, 5), A),   # one year later: the last day
    (d(2027, 1, 6), P),   # the day after the year
])
def test_directly_to_the_ombudsman_within_a_year_of_the_conduct(today, expected):
    step = direct(today).step_for(OMA)
    assert step.status == expected
    assert (step.dates.escalate_from, step.dates.escalate_by) == (CONDUCT, d(2027, 1, 5))
    assert step.why_message.code == "ombudsman.why.direct"
    assert [m.code for m in step.precondition_messages][:2] == ["ombudsman.if.year_from_conduct",
                                                                 "ombudsman.if.not_for_decisions"]


def test_the_first_step_says_it_may_be_skipped_and_stays_first():
    plan_ = direct(d(2026, 3, 1))
    assert plan_.steps[0].channel_id == "internal:municipality" and plan_.steps[0].status == A
    assert "first_line.if.may_skip" in [m.code for m in plan_.steps[0].precondition_messages]


def test_the_direct_route_also_for_the_police_and_national_bodies():
    for kind in ("police", "uwv", "tax_authority"):
        step = make_plan(ComplaintFacts(kind, "rude_treatment", incident_date=CONDUCT,
                                        first_complaint_unreasonable=True), d(2026, 6, 1)).step_for(
            "nationale-ombudsman")
        assert (step.status, step.dates.escalate_by, step.why_message.code) == (A, d(2027, 1, 5),
                                                                               "ombudsman.why.direct")


def test_without_a_date_of_the_conduct_the_direct_step_is_open_without_dates():
    step = direct(d(2026, 6, 1), incident_date=None).step_for(OMA)
    assert (step.status, step.dates.escalate_from, step.dates.escalate_by) == (A, None, None)


def test_once_the_person_did_complain_the_ordinary_year_applies():
    # Awb 9:24 lid 1 again: filed 1 Oct, answered 20 Oct -> one year from the answer, not from the conduct
    step = direct(d(2026, 10, 21), prior_complaint_filed_on=FILED, prior_final_answer_on=d(2026, 10, 20)).step_for(OMA)
    assert step.why_message.code == "ombudsman.why" and step.dates.escalate_by == d(2027, 10, 20)


def test_the_ordinary_plan_tells_about_the_exception_until_the_person_complained():
    not_filed = make_plan(ComplaintFacts("municipality", "rude_treatment", AMSTERDAM), d(2026, 6, 1))
    assert "ombudsman.if.unless_unreasonable" in [m.code for m in not_filed.step_for(OMA).precondition_messages]
    filed = plan(d(2026, 10, 2))
    assert "ombudsman.if.unless_unreasonable" not in [m.code for m in filed.step_for(OMA).precondition_messages]


def test_the_fact_travels_in_event_data_and_defaults_to_no():
    data = {"institution_type": "municipality", "issue": "rude_treatment",
            "prior_complaint": {"filed_on": None, "final_answer_on": None, "advisory_committee": True,
                                "extension_notified": True},
            "first_complaint_unreasonable": True, "public_body": False, "about_care": None,
            "housing_corporation": None}
    facts = ComplaintFacts.from_event_data(data)
    assert (facts.first_complaint_unreasonable, facts.advisory_committee, facts.extension_notified) == (True, True, True)
    older = ComplaintFacts.from_event_data({"institution_type": "municipality", "issue": "rude_treatment"})
    assert (older.first_complaint_unreasonable, older.advisory_committee, older.extension_notified,
            older.public_body, older.about_care, older.housing_corporation) == (False, None, False, False, None, None)
    with pytest.raises(ValueError):
        ComplaintFacts("municipality", "other", first_complaint_unreasonable="yes")
