"""One entry point for the three formats."""
from services.analytics.domain.report import Report

FORMATS = ("html", "csv", "json")


def render(report: Report, fmt: str) -> tuple[str, bytes]:
    """(content type, body) for fmt in html, csv, json."""
    if fmt == "json":
        from services.analytics.domain.render_json import render_json
        return "application/json", render_json(report)
    if fmt == "csv":
        from services.analytics.domain.render_csv import render_csv
        return "text/csv; charset=utf-8", render_csv(report)
    if fmt == "html":
        from services.analytics.domain.render_html import render_html  # imports matplotlib only when needed
        return "text/html; charset=utf-8", render_html(report)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
