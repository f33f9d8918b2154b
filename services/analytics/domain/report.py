"""The evaluation report as a value: per quarter, the disclosure-controlled counts and the duration statistics.

Built by use_cases/reports.py (count, protect, audit); rendered by render.py. A report with `problems` is never
published.
"""
from dataclasses import dataclass, field

from services.analytics.domain.disclosure import ReleasedBlock


@dataclass
class Report:
    period_from: str
    period_to: str
    threshold: int
    quarters: list[str]
    blocks: list[ReleasedBlock]          # one per quarter, after disclosure control
    durations: dict                      # {quarter: {measure: {"median": int|None, "p90": int|None}}}
    problems: list[str] = field(default_factory=list)  # from check_release; a report with problems is not published

    def block(self, quarter: str) -> ReleasedBlock:
        return self.blocks[self.quarters.index(quarter)]

    def cell(self, quarter: str, key: str) -> int | None:
        return self.block(quarter).cells[key]


def share(numerator: int | None, denominator: int | None) -> float | None:
    """A share from published counts only: a suppressed part gives no share (it would reveal the part)."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator
