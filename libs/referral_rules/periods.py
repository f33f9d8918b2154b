"""ISO 8601 periods (P6W, P3M, P1Y, P5D) as the directory writes them, and calendar-correct date arithmetic."""
import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_PERIOD = re.compile(r"^P(\d{1,3})([DWMY])$")


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

    def after(self, start: date) -> date:
        """The date one period after `start`. Months and years keep the day of month, clamped to the month's end
        (31 Jan + 1 month = 28/29 Feb), which is how Dutch law counts a term ending "on the same day"."""
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
