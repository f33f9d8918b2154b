"""The signal report as JSON: per sector and quarter, published counts (null = hidden) and the observation."""
import json

from services.analytics.domain.sectors import SECTOR_TYPES
from services.analytics.domain.signal_report import METHOD, TITLE, SignalReport, share


def sector_quarter(report: SignalReport, sector: str, quarter: str) -> dict:
    total, second_line = report.total(sector, quarter), report.second_line(sector, quarter)
    return {
        "quarter": quarter,
        "complaints": total,
        "too_few_to_show": report.all_hidden(sector, quarter),
        "by_issue": report.by_issue(sector, quarter),
        "by_stage": report.by_stage(sector, quarter),
        "second_line": second_line,
        "second_line_share": share(second_line, total),
        "by_term": report.by_term(sector, quarter),
        "answer_days": report.answer_days[quarter][sector],
        "growing_issues": report.growing_issues(sector, quarter),
        "observation": report.observations.get((sector, quarter)),
    }


def signals_dict(report: SignalReport) -> dict:
    return {
        "report": TITLE,
        "period": {"from": report.period_from, "to": report.period_to, "quarters": report.quarters,
                   "growth_compared_with": report.previous_quarter},
        "threshold": report.threshold,
        "method": METHOD,
        "sectors": [{"sector": sector, "institution_types": list(SECTOR_TYPES[sector]),
                     "quarters": [sector_quarter(report, sector, q) for q in report.quarters]}
                    for sector in report.sectors()],
    }


def render_signals_json(report: SignalReport) -> bytes:
    return json.dumps(signals_dict(report), indent=2, ensure_ascii=False).encode("utf-8")
