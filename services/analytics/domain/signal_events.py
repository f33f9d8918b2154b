"""The signal report's announcement for one sector: the report's own published numbers, nothing else.

The data travels to subscribed institutions (libs/contracts/partner_events.SignalReportPublishedData): counts that
the report publishes (0, at least the threshold, or null), the answer times it shows, the issues it names as
growing, and whether it holds an observation on the sector. The observation's text stays in the report.
"""
from services.analytics.domain.signal_report import SignalReport


def announcement(report: SignalReport, sector: str, report_sha256: str) -> dict:
    (quarter,) = report.quarters
    return {
        "quarter": quarter, "sector": sector, "threshold": report.threshold, "report_sha256": report_sha256,
        "complaints": report.total(sector, quarter),
        "by_issue": report.by_issue(sector, quarter),
        "second_line": report.second_line(sector, quarter),
        "by_term": report.by_term(sector, quarter),
        "answer_days": dict(report.answer_days[quarter][sector]),
        "growing_issues": [row["issue"] for row in report.growing_issues(sector, quarter)],
        "has_observation": (sector, quarter) in report.observations,
    }
