"""Build the evaluation report for a period: count, protect, audit."""
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from services.analytics.disclosure import DEFAULT_THRESHOLD, ReleasedBlock, check_release, protect
from services.analytics.report import indicators
from services.analytics.report.periods import quarters_between


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


def build_report(session: Session, period_from: str, period_to: str, threshold: int = DEFAULT_THRESHOLD) -> Report:
    if not isinstance(threshold, int) or threshold < 2:
        raise ValueError("the threshold must be a whole number of at least 2")
    quarters = quarters_between(period_from, period_to)
    raw_blocks = indicators.count_blocks(session, quarters, period_from, period_to)
    released = [protect(block, threshold) for block in raw_blocks]
    report = Report(period_from, period_to, threshold, quarters, released,
                    indicators.durations(session, quarters, period_from, period_to, threshold))
    report.problems = check_release(released, threshold)
    return report


def share(numerator: int | None, denominator: int | None) -> float | None:
    """A share from published counts only: a suppressed part gives no share (it would reveal the part)."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator
