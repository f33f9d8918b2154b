"""The report as one long CSV: table, quarter, column, value, status (suppressed cells have no value)."""
import csv
import io

from services.analytics.domain import published_tables
from services.analytics.domain.report import Report

HEADER = ("table", "quarter", "column", "value", "status")


def render_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for spec in published_tables.TABLES:
        for quarter in report.quarters:
            for key, label in spec.columns:
                value = report.cell(quarter, key)
                writer.writerow((spec.id, quarter, label, "" if value is None else value,
                                 "suppressed" if value is None else "published"))
    for quarter in report.quarters:
        for measure, _label in published_tables.DURATIONS:
            for statistic in ("median", "p90"):
                value = report.durations[quarter][measure][statistic]
                writer.writerow(("durations_days", quarter, f"{measure}.{statistic}", "" if value is None else value,
                                 "too_few_cases" if value is None else "published"))
    return out.getvalue().encode("utf-8")
