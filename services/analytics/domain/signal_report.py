"""The signal report as a value: per sector and quarter, the disclosure-controlled counts (read from the same
protected block as the evaluation), the institutions' answer times, which issues grow, and the desk's own
observations.

Everything shown is a published cell of a protected block or follows from published cells alone (a growth is the
difference of two published counts; a suppressed count gives no growth). Built by use_cases/signal_reports.py;
rendered by render_signals*.py. A report with `problems` is never published.
"""
from dataclasses import dataclass, field

from libs.contracts.events import ISSUES
from services.analytics.domain.disclosure import ReleasedBlock
from services.analytics.domain.facts import STAGES
from services.analytics.domain.sectors import SECTORS
from services.analytics.domain.signal_tables import SECOND_LINE_STAGE, TERM_STATES, cell_key, total_key

TITLE = "Voorportaal signal report"
METHOD = ("Complaints received per quarter about each sector, counted from the desk's de-identified evaluation "
          "facts. A published count is 0 or at least the threshold; a hidden count (null, ×) is small or could "
          "otherwise be worked out from the totals, in this report or together with the evaluation report (both "
          "come from one suppression per quarter). 'Second line' = the institution's own complaint procedure did "
          "not settle the complaint in time, so the ombudsman or disputes committee is open. Answer times are "
          "nearest-rank median and 90th percentile in days from filing to the institution's answer, shown when at "
          "least the threshold number of complaints has one. A growth compares two published counts only.")


class NothingToReport(ValueError):
    """The period holds no complaints at all: there is no signal report to publish."""


@dataclass
class SignalReport:
    period_from: str
    period_to: str
    threshold: int
    quarters: list[str]                   # the reported quarters
    previous_quarter: str                 # the quarter before the first, for growth only
    blocks: dict[str, ReleasedBlock]      # quarter -> the protected block (reported quarters and previous_quarter)
    answer_days: dict                     # {quarter: {sector: {"median": int|None, "p90": int|None}}}
    observations: dict = field(default_factory=dict)    # {(sector, quarter): text}
    problems: list[str] = field(default_factory=list)   # from check_release; a report with problems is not published

    def cell(self, quarter: str, key: str) -> int | None:
        return self.blocks[quarter].cells[key]

    def total(self, sector: str, quarter: str) -> int | None:
        return self.cell(quarter, total_key(sector))

    def counts(self, sector: str, quarter: str, dimension: str, values) -> dict:
        return {v: self.cell(quarter, cell_key(dimension, sector, v)) for v in values}

    def by_issue(self, sector: str, quarter: str) -> dict:
        return self.counts(sector, quarter, "issue", ISSUES)

    def by_stage(self, sector: str, quarter: str) -> dict:
        return self.counts(sector, quarter, "stage", STAGES)

    def by_term(self, sector: str, quarter: str) -> dict:
        return self.counts(sector, quarter, "term", TERM_STATES)

    def second_line(self, sector: str, quarter: str) -> int | None:
        return self.cell(quarter, cell_key("stage", sector, SECOND_LINE_STAGE))

    def before(self, quarter: str) -> str:
        return self.previous_quarter if quarter == self.quarters[0] else self.quarters[self.quarters.index(quarter) - 1]

    def growing_issues(self, sector: str, quarter: str) -> list[dict]:
        """Issues whose published count rose since the quarter before (both counts published), largest rise first."""
        now, then = self.by_issue(sector, quarter), self.by_issue(sector, self.before(quarter))
        rising = [{"issue": issue, "from": then[issue], "to": now[issue], "change": now[issue] - then[issue]}
                  for issue in ISSUES
                  if now[issue] is not None and then[issue] is not None and now[issue] > then[issue]]
        return sorted(rising, key=lambda row: (-row["change"], row["issue"]))

    def all_hidden(self, sector: str, quarter: str) -> bool:
        """Nothing of this sector can be shown this quarter (its counts are small everywhere)."""
        keys = [total_key(sector)] + [cell_key(d, sector, v) for d, values in
                                      (("issue", ISSUES), ("stage", STAGES), ("term", TERM_STATES)) for v in values]
        return all(self.cell(quarter, key) in (None, 0) for key in keys) and self.total(sector, quarter) != 0

    def sectors(self) -> tuple[str, ...]:
        return SECTORS


def share(part: int | None, whole: int | None) -> float | None:
    """A share from published counts only (a hidden part gives none)."""
    return None if part is None or not whole else part / whole
