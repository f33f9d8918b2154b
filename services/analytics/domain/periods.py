"""Report periods: whole calendar quarters only.

A period that starts or ends inside a quarter would publish part of that quarter, and differencing it with a
release of the whole quarter would disclose the rest (docs/analytics.md, "Disclosure control"). So the period
must start in January, April, July or October and end in March, June, September or December.
"""
import re

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PeriodError(ValueError):
    """A report period the report cannot be built for; the message is meant for the person who asked."""


def parse_month(text: str, what: str) -> tuple[int, int]:
    match = MONTH_PATTERN.match(text or "")
    if not match:
        raise PeriodError(f"{what} must be a month written as YYYY-MM, e.g. 2026-01 (got {text!r})")
    return int(match.group(1)), int(match.group(2))


def quarters_between(period_from: str, period_to: str) -> list[str]:
    """['2026-Q1', ...] for a period of whole quarters; PeriodError otherwise."""
    year_from, month_from = parse_month(period_from, "--from")
    year_to, month_to = parse_month(period_to, "--to")
    if (month_from - 1) % 3:
        raise PeriodError(f"--from must be the first month of a quarter (01, 04, 07 or 10), got {period_from}")
    if month_to % 3:
        raise PeriodError(f"--to must be the last month of a quarter (03, 06, 09 or 12), got {period_to}")
    if (year_to, month_to) < (year_from, month_from):
        raise PeriodError(f"--to ({period_to}) is before --from ({period_from})")
    quarters = []
    year, quarter = year_from, (month_from - 1) // 3 + 1
    while (year, quarter) <= (year_to, (month_to - 1) // 3 + 1):
        quarters.append(f"{year}-Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    if len(quarters) > 40:
        raise PeriodError("a report covers at most 40 quarters")
    return quarters


def quarter_before(quarter: str) -> str:
    """'2026-Q1' -> '2025-Q4'."""
    year, number = int(quarter[:4]), int(quarter[-1])
    return f"{year - 1}-Q4" if number == 1 else f"{year}-Q{number - 1}"


def first_month(quarter: str) -> str:
    """'2026-Q2' -> '2026-04'."""
    return f"{quarter[:4]}-{3 * int(quarter[-1]) - 2:02d}"


def last_month(quarter: str) -> str:
    """'2026-Q2' -> '2026-06'."""
    return f"{quarter[:4]}-{3 * int(quarter[-1]):02d}"
