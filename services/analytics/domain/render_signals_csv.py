"""The signal report as one long CSV: sector, quarter, measure, key, value, status (hidden counts have no value).

Observations are text, not numbers: they are in the json and html forms only."""
import csv
import io

from services.analytics.domain.signal_report import SignalReport

HEADER = ("sector", "quarter", "measure", "key", "value", "status")


def _rows(report: SignalReport, sector: str, quarter: str):
    yield "complaints", "total", report.total(sector, quarter), "suppressed"
    for measure, counts in (("issue", report.by_issue(sector, quarter)), ("stage", report.by_stage(sector, quarter)),
                            ("term", report.by_term(sector, quarter))):
        for key, value in counts.items():
            yield measure, key, value, "suppressed"
    for statistic, value in report.answer_days[quarter][sector].items():
        yield "answer_days", statistic, value, "too_few_cases"
    for row in report.growing_issues(sector, quarter):
        yield "growth", row["issue"], row["change"], ""


def render_signals_csv(report: SignalReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for sector in report.sectors():
        for quarter in report.quarters:
            for measure, key, value, missing in _rows(report, sector, quarter):
                writer.writerow((sector, quarter, measure, key, "" if value is None else value,
                                 missing if value is None else "published"))
    return out.getvalue().encode("utf-8")
