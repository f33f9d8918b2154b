"""Business-hours arithmetic in Europe/Amsterdam, for the mediators' reaction deadlines (plain Python).

Opening hours are wall-clock hours ("9 to 17 in Amsterdam"), so a working day is the same length in summer and
winter and the clock changes (at 02:00/03:00 on a Sunday) never shift a deadline. Weekends and the given
holidays are closed all day.
"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# a holiday list that closes every day is a configuration error, not a deadline
MAX_CLOSED_DAYS_IN_A_ROW = 366


def _is_open_day(day: date, holidays) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_business_hours(start: datetime, hours: float, open_hour: int = 9, close_hour: int = 17,
                       holidays=frozenset()) -> datetime:
    """`start` plus `hours` counted only while the desk is open; returns an aware Amsterdam datetime.

    A start outside opening hours counts from the next opening. A deadline that lands exactly on closing time
    stays there (Friday 15:00 + 2h is Friday 17:00, not Monday 09:00).
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if hours < 0:
        raise ValueError("hours must not be negative")
    if not 0 <= open_hour < close_hour <= 24:
        raise ValueError("need 0 <= open_hour < close_hour <= 24")
    # wall-clock arithmetic on naive local times; the zone is attached again at the end
    current = start.astimezone(AMSTERDAM).replace(tzinfo=None)
    remaining = timedelta(hours=hours)
    if not remaining:
        return start.astimezone(AMSTERDAM)
    closed_days = 0
    while True:
        opens = datetime.combine(current.date(), time(open_hour))
        closes = datetime.combine(current.date(), time()) + timedelta(hours=close_hour)
        if not _is_open_day(current.date(), holidays) or current >= closes:
            closed_days += 1
            if closed_days > MAX_CLOSED_DAYS_IN_A_ROW:
                raise ValueError("no opening hours within a year; check the holiday list")
            current = datetime.combine(current.date() + timedelta(days=1), time(open_hour))
            continue
        closed_days = 0
        current = max(current, opens)
        if remaining <= closes - current:
            return (current + remaining).replace(tzinfo=AMSTERDAM)
        remaining -= closes - current
        current = closes


def _easter_sunday(year: int) -> date:
    """The Gregorian Easter date (the anonymous Gregorian algorithm, a.k.a. Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month = (h + weekday_shift - 7 * m + 114) // 31
    day = (h + weekday_shift - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def dutch_public_holidays(year: int) -> frozenset:
    """The generally recognised holidays of the Algemene termijnenwet (art. 3(1)), plus Easter and Whit Sunday.

    That list: New Year's Day, Easter Monday, Whit Monday, both Christmas days, Ascension Day, King's Day and
    5 May (every year, whether or not employers give the day off). Good Friday is not on it. Adding the two
    Sundays changes nothing (weekends are closed) but makes the set read like a calendar.
    """
    easter = _easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to Saturday the 26th
        kings_day = date(year, 4, 26)
    return frozenset({
        date(year, 1, 1), easter, easter + timedelta(days=1), kings_day, date(year, 5, 5),
        easter + timedelta(days=39), easter + timedelta(days=49), easter + timedelta(days=50),
        date(year, 12, 25), date(year, 12, 26),
    })
