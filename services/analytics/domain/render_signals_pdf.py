"""The signal report as a PDF (matplotlib's PDF backend, no other dependency): an overview page with the two
charts, then one page per sector with its tables, answer times, growing issues and the desk's observation."""
import io
import textwrap

from libs.contracts.events import ISSUES
from services.analytics.domain.charts import _pyplot
from services.analytics.domain.facts import STAGES
from services.analytics.domain.signal_report import METHOD, TITLE, SignalReport
from services.analytics.domain.signal_tables import TERM_STATES

A4 = (8.27, 11.69)


def _shown(value) -> str:
    return "×" if value is None else str(value)


def _label(value: str) -> str:
    return value.replace("_", " ")


def _table(axes, title, columns, rows):
    """One category per row, one quarter per column (the category names are too long for column heads)."""
    quarters = [q for q, _values in rows]
    axes.axis("off")
    axes.set_title(title, loc="left", fontsize=9)
    cells = [[values[i] for _q, values in rows] for i in range(len(columns))]
    width = min(0.12, 0.75 / len(quarters))  # a long period still fits the page
    table = axes.table(cellText=cells, rowLabels=[_label(c) for c in columns], colLabels=quarters,
                       loc="upper right", cellLoc="right", colWidths=[width] * len(quarters))
    table.auto_set_font_size(False)
    table.set_fontsize(7)


def _overview(pyplot, pdf, report: SignalReport):
    from services.analytics.domain.signal_charts import draw_complaints_by_sector, draw_second_line_share
    figure, (top, middle, bottom) = pyplot.subplots(3, 1, figsize=A4, gridspec_kw={"height_ratios": [1.2, 2, 2]})
    top.axis("off")
    top.text(0, 1, f"{TITLE} {report.period_from} to {report.period_to}", fontsize=14, va="top", weight="bold")
    top.text(0, 0.75, textwrap.fill(f"{METHOD} Threshold: {report.threshold}. × = hidden.", 110), fontsize=7,
             va="top")
    draw_complaints_by_sector(middle, report)
    draw_second_line_share(bottom, report)
    figure.tight_layout()
    pdf.savefig(figure)
    pyplot.close(figure)


def _sector_page(pyplot, pdf, report: SignalReport, sector: str):
    figure, axes = pyplot.subplots(5, 1, figsize=A4, gridspec_kw={"height_ratios": [0.3, 2.2, 1.3, 0.9, 2]})
    heading, issues, stages, terms, notes = axes
    heading.axis("off")
    heading.text(0, 1, _label(sector).capitalize(), fontsize=13, va="top", weight="bold")
    quarters = report.quarters
    _table(issues, "Complaints by issue", (*ISSUES, "total"),
           [(q, [_shown(v) for v in report.by_issue(sector, q).values()] + [_shown(report.total(sector, q))])
            for q in quarters])
    _table(stages, "At the institution's own step (escalation available = second line needed)", STAGES,
           [(q, [_shown(v) for v in report.by_stage(sector, q).values()]) for q in quarters])
    _table(terms, "Answered within the legal term", TERM_STATES,
           [(q, [_shown(v) for v in report.by_term(sector, q).values()]) for q in quarters])
    notes.axis("off")
    lines = []
    for q in quarters:
        days = report.answer_days[q][sector]
        rising = ", ".join(f"{_label(r['issue'])} ({r['from']}→{r['to']})" for r in report.growing_issues(sector, q))
        answer = "too few complaints" if days["median"] is None else f"{days['median']} / {days['p90']}"
        lines += textwrap.wrap(f"{q}: days to the institution's answer {answer} (median / p90); "
                               f"growing: {rising or 'none shown'}.", 110)
        if report.all_hidden(sector, q):
            lines.append(f"{q}: too few complaints about this sector to show any numbers.")
        observation = report.observations.get((sector, q))
        if observation:
            lines.append(f"The desk's observation, {q}:")
            lines += textwrap.wrap(observation, 110)
    notes.text(0, 1, "\n".join(lines), fontsize=7, va="top", family="sans-serif")
    figure.tight_layout()
    pdf.savefig(figure)
    pyplot.close(figure)


def render_signals_pdf(report: SignalReport) -> bytes:
    pyplot = _pyplot()
    from matplotlib.backends.backend_pdf import PdfPages
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": TITLE, "Creator": "voorportaal", "Producer": "voorportaal"}) as pdf:
        _overview(pyplot, pdf, report)
        for sector in report.sectors():
            _sector_page(pyplot, pdf, report, sector)
    return buffer.getvalue()
