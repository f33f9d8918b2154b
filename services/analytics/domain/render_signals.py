"""The signal report in four formats: `render_signals(report, fmt)` -> (content type, body)."""
from services.analytics.domain.render import FORMATS
from services.analytics.domain.signal_report import SignalReport

SIGNAL_FORMATS = (*FORMATS, "pdf")


def render_signals(report: SignalReport, fmt: str) -> tuple[str, bytes]:
    if fmt == "json":
        from services.analytics.domain.render_signals_json import render_signals_json
        return "application/json", render_signals_json(report)
    if fmt == "csv":
        from services.analytics.domain.render_signals_csv import render_signals_csv
        return "text/csv; charset=utf-8", render_signals_csv(report)
    if fmt == "html":
        from services.analytics.domain.render_signals_html import render_signals_html  # matplotlib on demand
        return "text/html; charset=utf-8", render_signals_html(report)
    if fmt == "pdf":
        from services.analytics.domain.render_signals_pdf import render_signals_pdf
        return "application/pdf", render_signals_pdf(report)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(SIGNAL_FORMATS)}")
