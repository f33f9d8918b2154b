"""ISO 8601 periods (P6W, P3M, P1Y, P5D) as the directory writes them, and calendar-correct date arithmetic.

Most terms are calendar terms (every Awb chapter 9 term is in weeks or a year). A few bodies promise something in
working days ("within 5 working days"); the directory marks those deadlines `counting: working_days`, and they
skip Saturdays, Sundays and the days the Algemene termijnenwet (art. 3) recognises as public holidays.
"""
import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

_PERIOD = re.compile(r"^P(\d{1,3})([DWMY])$")


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday) // 433
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset:
    """Algemene termijnenwet art. 3: New Year's Day, Good Friday (lid 2), Easter Monday, Ascension Day, Whit
    Monday, both Christmas days, King's Day (27 April, or the 26th when the 27th is a Sunday) and 5 May.
    Days assimilated by royal decree (art. 3 lid 3, e.g. the Friday after Ascension) are not included."""
    easter = _easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    return frozenset({
        date(year, 1, 1), easter - timedelta(days=2), easter + timedelta(days=1), easter + timedelta(days=39),
        easter + timedelta(days=50), date(year, 12, 25), date(year, 12, 26), kings_day, date(year, 5, 5),
    })


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (the start day itself does not count)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str  # D, W, M or Y

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = _PERIOD.match(text or "")
        if not match:
            raise ValueError(f"not a simple ISO 8601 period like P6W, P3M or P1Y: {text!r}")
        return cls(int(match.group(1)), match.group(2))

    def after(self, start: date, working_days: bool = False) -> date:
        """The date one period after `start`. Months and years keep the day of month, clamped to the month's end
        (31 Jan + 1 month = 28/29 Feb), which is how Dutch law counts a term ending "on the same day".
        With `working_days` (only for days: P5D), count working days instead of calendar days."""
        if working_days:
            if self.unit != "D":
                raise ValueError(f"only a period in days can count working days, not {self}")
            return add_working_days(start, self.amount)
        if self.unit == "D":
            return start + timedelta(days=self.amount)
        if self.unit == "W":
            return start + timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit == "Y" else 1)
        year, month0 = divmod(start.month - 1 + months, 12)
        year += start.year
        day = min(start.day, calendar.monthrange(year, month0 + 1)[1])
        return date(year, month0 + 1, day)

    def __str__(self):
        return f"P{self.amount}{self.unit}"
