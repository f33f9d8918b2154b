"""Clocks fire when an answer is due and when the next step opens; progress moves the facts forward."""
from datetime import date as d, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from libs.referral_rules.clocks import NO_CLOCK_LEFT, Clock, apply_progress, clock_schedule, due_clocks
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.planner import make_plan

# Amsterdam, filed 1 Oct 2026: answer due 12 Nov; ombudsman opens 13 Nov and closes 12 Nov 2027.
FILED = ComplaintFacts("municipality", "rude_treatment", "GM0363", prior_complaint_filed_on=d(2026, 10, 1))
ANSWER_DUE = Clock("deadline_due", "internal:municipality", d(2026, 11, 12))
OMBUDSMAN_OPENS = Clock("escalation_available", "ombudsman-metropool-amsterdam", d(2026, 11, 13))


def steps(facts, planned_on=d(2026, 10, 2)):
    return make_plan(facts, planned_on).steps


@pytest.mark.parametrize("today, expected", [
    (d(2026, 11, 11), []),
    (d(2026, 11, 12), [ANSWER_DUE]),
    (d(2026, 11, 13), [ANSWER_DUE, OMBUDSMAN_OPENS]),
    (d(2027, 11, 12), [ANSWER_DUE, OMBUDSMAN_OPENS]),
    (d(2027, 11, 13), [ANSWER_DUE]),  # the ombudsman window has closed: no "you can go on" any more
])
def test_clocks_of_a_waiting_complaint(today, expected):
    assert due_clocks(steps(FILED), today) == expected


def test_stored_plan_dicts_give_the_same_clocks_as_steps():
    plan_dict = make_plan(FILED, d(2026, 10, 2)).to_dict()
    assert due_clocks(plan_dict["steps"], d(2026, 11, 20)) == due_clocks(steps(FILED), d(2026, 11, 20))


def test_flat_step_summaries_are_accepted():
    summary = [{"channel_id": "internal:municipality", "kind": "first_line", "status": "available_now",
                "answer_due": "2026-11-12", "escalate_by": None}]
    assert due_clocks(summary, d(2026, 11, 12)) == [ANSWER_DUE]


def test_no_answer_clock_once_the_answer_came():
    answered = apply_progress(FILED, "final_answer_received", d(2026, 11, 2))
    assert due_clocks(steps(answered), d(2026, 11, 20)) == [
        Clock("escalation_available", "ombudsman-metropool-amsterdam", d(2026, 11, 2))]


def test_not_applicable_steps_never_fire():
    business = ComplaintFacts("bank", "refused_service", capacity="business", prior_complaint_filed_on=d(2026, 1, 1))
    assert [c.channel_id for c in due_clocks(steps(business), d(2026, 11, 28))] == ["internal:bank"]


def test_clock_keys_are_stable_and_distinct():
    assert ANSWER_DUE.key == "deadline_due:internal:municipality:2026-11-12"
    assert ANSWER_DUE.key != OMBUDSMAN_OPENS.key


@pytest.mark.parametrize("kind, field", [
    ("filed_with_institution", "prior_complaint_filed_on"),
    ("answer_received", "prior_final_answer_on"),
    ("final_answer_received", "prior_final_answer_on"),
])
def test_progress_sets_the_right_date(kind, field):
    facts = ComplaintFacts("uwv", "other")
    updated = apply_progress(facts, kind, d(2026, 5, 1))
    assert getattr(updated, field) == d(2026, 5, 1)
    assert getattr(facts, field) is None  # facts are immutable; a new value comes back


def test_no_answer_yet_changes_nothing_and_unknown_kinds_are_refused():
    assert apply_progress(FILED, "no_answer_yet", d(2026, 11, 1)) == FILED
    with pytest.raises(ValueError):
        apply_progress(FILED, "gave_up", d(2026, 11, 1))


def test_progress_moves_the_plan_forward():
    facts = ComplaintFacts("svb", "rude_treatment")
    assert [s.status for s in make_plan(facts, d(2026, 11, 28)).steps] == ["available_now", "after_previous_step"]
    facts = apply_progress(facts, "filed_with_institution", d(2026, 9, 1))
    facts = apply_progress(facts, "final_answer_received", d(2026, 10, 1))
    plan = make_plan(facts, d(2026, 11, 28))
    assert [s.status for s in plan.steps] == ["available_now", "available_now"]
    assert plan.steps[0].progress == "answered"


from tests.unit.referral_rules.test_routing_properties import complaint_facts, days  # noqa: E402


# -- the schedule: the day the timer looks at a plan again (issue 21) ---------------------------------------------
def test_the_schedule_names_the_next_clock_and_the_overdue_deadlines():
    plan = steps(FILED)
    assert clock_schedule(plan, set(), d(2026, 10, 2)) == (d(2026, 11, 12), 0)
    assert clock_schedule(plan, {ANSWER_DUE.key}, d(2026, 11, 12)) == (d(2026, 11, 13), 1)
    assert clock_schedule(plan, {ANSWER_DUE.key, OMBUDSMAN_OPENS.key}, d(2026, 11, 13)) == (NO_CLOCK_LEFT, 1)
    # the ombudsman's window closed without the timer seeing it open: nothing left that could fire
    assert clock_schedule(plan, {ANSWER_DUE.key}, d(2027, 11, 13)) == (NO_CLOCK_LEFT, 1)


def test_an_answered_step_has_no_deadline_left():
    answered = steps(apply_progress(FILED, "answer_received", d(2026, 11, 1)), d(2026, 11, 2))
    next_on, overdue = clock_schedule(answered, set(), d(2026, 11, 20))
    assert overdue == 0 and all(clock.kind != "deadline_due" for clock in due_clocks(answered, d(2026, 11, 20)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(complaint_facts(), days, st.integers(min_value=0, max_value=30))
def test_a_timer_that_waits_for_the_schedule_fires_what_a_daily_timer_fires(facts, planned_on, gap):
    """Looking at a plan only from its scheduled day on fires the same clocks, on the same days, as looking every
    day (two years, the timer down for `gap` days once in a while)."""
    plan = make_plan(facts, planned_on).steps
    every_day, scheduled = {}, {}
    fired_daily, fired_scheduled = set(), set()
    next_on = clock_schedule(plan, set(), planned_on)[0]
    for offset in range(0, 800, 1):
        today = planned_on + timedelta(days=offset)
        if gap and offset % 97 < gap:
            continue  # routing was down: neither timer ran
        for clock in due_clocks(plan, today):
            if clock.key not in fired_daily:
                fired_daily.add(clock.key)
                every_day[clock.key] = today
        if today >= next_on:
            for clock in due_clocks(plan, today):
                if clock.key not in fired_scheduled:
                    fired_scheduled.add(clock.key)
                    scheduled[clock.key] = today
            next_on = clock_schedule(plan, fired_scheduled, today)[0]
            assert next_on > today
    assert scheduled == every_day
