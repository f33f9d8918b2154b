"""The report as JSON: every table with its quarters; a suppressed count is null."""
import json

from services.analytics.domain import published_tables
from services.analytics.domain.report import Report

METHOD = ("Counts per quarter of receipt. A published count is 0 or at least the threshold; null = suppressed "
          "(small count, or hidden so that a small count cannot be recomputed from totals). Durations are "
          "nearest-rank median and 90th percentile in whole days, shown when at least the threshold number of "
          "cases has the duration.")


def report_dict(report: Report) -> dict:
    return {
        "report": "Voorportaal evaluation indicators",
        "period": {"from": report.period_from, "to": report.period_to, "quarters": report.quarters},
        "threshold": report.threshold,
        "method": METHOD,
        "tables": [{
            "id": spec.id, "title": spec.title, "caption": spec.caption,
            "columns": [label for _key, label in spec.columns],
            "rows": [{"quarter": quarter,
                      "values": {label: report.cell(quarter, key) for key, label in spec.columns}}
                     for quarter in report.quarters],
        } for spec in published_tables.TABLES],
        "durations": {
            "columns": [measure for measure, _label in published_tables.DURATIONS],
            "rows": [{"quarter": quarter, "values": report.durations[quarter]} for quarter in report.quarters],
        },
    }


def render_json(report: Report) -> bytes:
    return json.dumps(report_dict(report), indent=2, sort_keys=False).encode("utf-8")
