"""The mediator SLA: business hours in Amsterdam, then remind → reassign → coordinator, driven by a test clock."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from services.notification.domain.business_hours import add_business_hours, dutch_public_holidays
from services.notification.domain.escalation import Action, AssignmentState, SlaPolicy, next_action

AMS = ZoneInfo("Europe/Amsterdam")
HOLIDAYS_2026 = dutch_public_holidays(2026)


def ams(*args):
    return datetime(*args, tzinfo=AMS)


# --- business hours ---

@pytest.mark.parametrize("start, hours, expected", [
    (ams(2026, 11, 27, 16), 2, ams(2026, 11, 30, 10)),  # Friday 16:00 + 2h → Monday 10:00
    (ams(2026, 11, 27, 15), 2, ams(2026, 11, 27, 17)),  # ending exactly at closing time stays on Friday
    (ams(2026, 11, 28, 12), 1, ams(2026, 11, 30, 10)),  # Saturday counts from Monday's opening
    (ams(2026, 11, 30, 7), 1, ams(2026, 11, 30, 10)),  # before opening
    (ams(2026, 11, 30, 18), 1, ams(2026, 12, 1, 10)),  # after closing
    (ams(2026, 11, 30, 9), 16, ams(2026, 12, 1, 17)),  # two full days
    (ams(2026, 11, 30, 9), 0.5, ams(2026, 11, 30, 9, 30)),
    (ams(2026, 11, 28, 12), 0, ams(2026, 11, 28, 12)),  # nothing to add: unchanged
])
def test_business_hours(start, hours, expected):
    assert add_business_hours(start, hours) == expected


def test_result_is_in_amsterdam_whatever_the_input_zone():
    result = add_business_hours(datetime(2026, 11, 27, 15, tzinfo=timezone.utc), 2)  # 16:00 in Amsterdam
    assert result.tzinfo == AMS and result == ams(2026, 11, 30, 10)


@pytest.mark.parametrize("start, expected, utc_hour", [
    # summer time ends on Sunday 25 October 2026: Friday 14:00 UTC → Monday 09:00 UTC
    (ams(2026, 10, 23, 16), ams(2026, 10, 26, 10), 9),
    # summer time starts on Sunday 29 March 2026: Friday 15:00 UTC → Monday 08:00 UTC
    (ams(2026, 3, 27, 16), ams(2026, 3, 30, 10), 8),
])
def test_clock_change_keeps_wall_clock_opening_hours(start, expected, utc_hour):
    result = add_business_hours(start, 2)
    assert (result.year, result.month, result.day, result.hour) == (expected.year, expected.month, expected.day, 10)
    assert result.astimezone(timezone.utc).hour == utc_hour
    assert result.utcoffset() == expected.utcoffset() != start.utcoffset()


@pytest.mark.parametrize("start, expected", [
    (ams(2026, 5, 13, 16), ams(2026, 5, 15, 10)),  # Ascension Day (Thursday) is skipped
    (ams(2026, 4, 3, 16), ams(2026, 4, 7, 10)),  # Good Friday is open; Easter Monday is skipped
    (ams(2026, 12, 24, 16), ams(2026, 12, 28, 10)),  # both Christmas days, then the weekend
    (ams(2026, 4, 24, 16), ams(2026, 4, 28, 10)),  # King's Day on Monday 27 April
])
def test_holidays_are_skipped(start, expected):
    assert add_business_hours(start, 2, holidays=HOLIDAYS_2026) == expected
    assert add_business_hours(start, 2) != expected  # and only because of the holiday list


def test_dutch_public_holidays():
    assert HOLIDAYS_2026 == {date(2026, 1, 1), date(2026, 4, 5), date(2026, 4, 6), date(2026, 4, 27),
                             date(2026, 5, 5), date(2026, 5, 14), date(2026, 5, 24), date(2026, 5, 25),
                             date(2026, 12, 25), date(2026, 12, 26)}
    assert date(2025, 4, 26) in dutch_public_holidays(2025)  # 27 April 2025 is a Sunday
    assert date(2027, 3, 29) in dutch_public_holidays(2027)  # Easter Monday 2027


@pytest.mark.parametrize("kwargs", [
    {"start": datetime(2026, 11, 27, 16), "hours": 1},  # naive
    {"start": ams(2026, 11, 27, 16), "hours": -1},
    {"start": ams(2026, 11, 27, 16), "hours": 1, "open_hour": 17, "close_hour": 9},
    {"start": ams(2026, 11, 27, 16), "hours": 1,
     "holidays": frozenset(date(2026, 11, 27) + timedelta(days=n) for n in range(800))},
])
def test_business_hours_refuses_nonsense(kwargs):
    with pytest.raises(ValueError):
        add_business_hours(**kwargs)


# --- escalation (default policy: remind after 8, deadline after 16 business hours, 2 reassignments) ---

MONDAY_10 = ams(2026, 11, 16, 10)
TUESDAY_10 = ams(2026, 11, 17, 10)  # + 8 business hours: the reminder
WEDNESDAY_10 = ams(2026, 11, 18, 10)  # + 16 business hours: the deadline


def waiting(reminders=0, reassignments=0, assigned_at=MONDAY_10, status="requested"):
    return AssignmentState(status, assigned_at, reminders, reassignments)


@pytest.mark.parametrize("state, now, expected, due", [
    (waiting(), MONDAY_10 + timedelta(hours=1), Action("remind", TUESDAY_10), False),
    (waiting(), TUESDAY_10, Action("remind", TUESDAY_10), True),
    (waiting(reminders=1), TUESDAY_10 + timedelta(hours=1), Action("reassign", WEDNESDAY_10), False),
    (waiting(reminders=1), WEDNESDAY_10, Action("reassign", WEDNESDAY_10), True),
    (waiting(), WEDNESDAY_10 + timedelta(hours=2), Action("reassign", WEDNESDAY_10), True),  # no late reminder
    (waiting(reminders=1, reassignments=1), WEDNESDAY_10, Action("reassign", WEDNESDAY_10), True),
    (waiting(reminders=1, reassignments=2), WEDNESDAY_10, Action("to_coordinator", WEDNESDAY_10), True),
    (waiting(status="declined"), MONDAY_10 + timedelta(hours=1),
     Action("reassign", MONDAY_10 + timedelta(hours=1)), True),
    (waiting(status="declined", reassignments=2), MONDAY_10 + timedelta(hours=1),
     Action("to_coordinator", MONDAY_10 + timedelta(hours=1)), True),
    (waiting(status="accepted"), WEDNESDAY_10 + timedelta(days=30), None, None),
    (waiting(status="closed"), WEDNESDAY_10 + timedelta(days=30), None, None),
    # assigned Friday 14:00: 3 hours on Friday, the rest on Monday and Tuesday
    (waiting(assigned_at=ams(2026, 11, 20, 14)), ams(2026, 11, 21, 12), Action("remind", ams(2026, 11, 23, 14)),
     False),
    (waiting(reminders=1, assigned_at=ams(2026, 11, 20, 14)), ams(2026, 11, 23, 15),
     Action("reassign", ams(2026, 11, 24, 14)), False),
])
def test_next_action(state, now, expected, due):
    action = next_action(state, now)
    assert action == expected
    if action is not None:
        assert action.is_due(now) is due


def test_policy_without_reminder_and_with_holidays():
    policy = SlaPolicy(send_reminder=False, holidays=frozenset({date(2026, 11, 17)}))
    # Tuesday is a holiday: 16 business hours from Monday 10:00 end on Thursday 10:00
    assert next_action(waiting(), MONDAY_10, policy) == Action("reassign", ams(2026, 11, 19, 10))


def test_unknown_status_and_inconsistent_policy_are_refused():
    with pytest.raises(ValueError):
        next_action(waiting(status="lost"), MONDAY_10)
    with pytest.raises(ValueError):
        SlaPolicy(remind_after_hours=16, reaction_hours=16)
    with pytest.raises(ValueError):
        SlaPolicy(max_reassignments=-1)


def test_a_silent_case_reaches_the_coordinator_after_two_reassignments():
    """Drive the rules with a test clock, as the service's timer would: act whenever the next action is due."""
    clock = MONDAY_10
    state = waiting()
    history = []
    while clock < MONDAY_10 + timedelta(days=30):
        action = next_action(state, clock)
        if action is not None and action.is_due(clock):
            history.append((action.kind, clock))
            if action.kind == "remind":
                state = AssignmentState(state.status, state.assigned_at, state.reminders_sent + 1,
                                        state.reassignments)
            elif action.kind == "reassign":
                state = AssignmentState("requested", clock, 0, state.reassignments + 1)
            else:
                break
        clock += timedelta(minutes=30)
    assert history == [
        ("remind", ams(2026, 11, 17, 10)), ("reassign", ams(2026, 11, 18, 10)),
        ("remind", ams(2026, 11, 19, 10)), ("reassign", ams(2026, 11, 20, 10)),
        ("remind", ams(2026, 11, 23, 10)), ("to_coordinator", ams(2026, 11, 24, 10)),
    ]


def test_an_accepted_case_never_escalates():
    state = waiting(status="accepted")
    clock = MONDAY_10
    for _step in range(24 * 14):
        assert next_action(state, clock) is None
        clock += timedelta(hours=1)
