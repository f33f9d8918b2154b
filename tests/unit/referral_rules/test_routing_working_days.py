"""Terms in working days skip weekends and the Algemene termijnenwet's public holidays (art. 3); no Awb chapter 9
term is in working days, so the planner's clocks stay calendar terms (docs/routing.md "Counting dates")."""
from datetime import date as d

import pytest
import yaml

from libs.reference import municipalities as reference
from libs.referral_rules.directory import DATA_DIR, DirectoryError, build_directory, load_directory
from libs.referral_rules.periods import Period, add_working_days, is_working_day, public_holidays


def _kifid_with_counting(counting):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    channels = yaml.load((DATA_DIR / "channels.yaml").read_text(encoding="utf-8"), Loader=loader)
    municipalities = yaml.load((DATA_DIR / "municipalities.yaml").read_text(encoding="utf-8"), Loader=loader)
    kifid = next(entry for entry in channels["channels"] if entry["id"] == "kifid")
    kifid["deadlines"][0]["counting"] = counting  # no_answer, P8W
    return channels, municipalities, [dict(row) for row in reference.rows()]


@pytest.mark.parametrize("year, expected", [
    # Good Friday, Easter Monday, King's Day, Ascension, Whit Monday for a few years
    (2026, {d(2026, 4, 3), d(2026, 4, 6), d(2026, 4, 27), d(2026, 5, 14), d(2026, 5, 25)}),
    (2027, {d(2027, 3, 26), d(2027, 3, 29), d(2027, 4, 27), d(2027, 5, 6), d(2027, 5, 17)}),
    (2025, {d(2025, 4, 18), d(2025, 4, 21), d(2025, 4, 26), d(2025, 5, 29), d(2025, 6, 9)}),  # 27 Apr is a Sunday
])
def test_public_holidays_of_the_algemene_termijnenwet(year, expected):
    holidays = public_holidays(year)
    assert expected <= holidays
    assert {d(year, 1, 1), d(year, 5, 5), d(year, 12, 25), d(year, 12, 26)} <= holidays
    assert len(holidays) == 9


@pytest.mark.parametrize("start, count, expected", [
    (d(2026, 12, 4), 1, d(2026, 12, 7)),     # Friday + 1 working day = Monday
    (d(2026, 12, 3), 1, d(2026, 12, 4)),     # Thursday + 1 = Friday
    (d(2026, 12, 23), 5, d(2026, 12, 31)),   # over Christmas (Friday 25th) and a weekend
    (d(2027, 3, 25), 1, d(2027, 3, 30)),     # Thursday before Good Friday and Easter Monday
    (d(2026, 12, 31), 1, d(2027, 1, 4)),     # New Year's Day is a Friday in 2027
    (d(2026, 5, 4), 1, d(2026, 5, 6)),       # 5 May (Liberation Day) counts as a holiday
])
def test_adding_working_days(start, count, expected):
    assert add_working_days(start, count) == expected
    assert is_working_day(expected)


def test_a_working_days_period_counts_working_days_and_a_calendar_period_does_not():
    assert Period.parse("P5D").after(d(2026, 12, 23), working_days=True) == d(2026, 12, 31)
    assert Period.parse("P5D").after(d(2026, 12, 23)) == d(2026, 12, 28)
    with pytest.raises(ValueError):
        Period.parse("P2W").after(d(2026, 12, 23), working_days=True)


def test_directory_deadlines_in_working_days_are_counted_so():
    den_haag = load_directory().channel("ombudsman-den-haag").deadline("contact_reply")
    assert den_haag.working_days and den_haag.after(d(2026, 12, 23)) == d(2026, 12, 31)
    awb = load_directory().channel("internal:municipality")
    assert not any(deadline.working_days for deadline in awb.deadlines)  # Awb 9:11 is in weeks


def test_working_days_only_for_a_number_of_days():
    with pytest.raises(DirectoryError, match="working days"):
        build_directory(*_kifid_with_counting("working_days"))
    with pytest.raises(DirectoryError, match="counting"):
        build_directory(*_kifid_with_counting("sometimes"))
