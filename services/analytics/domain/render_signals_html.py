"""The signal report as one self-contained, accessible HTML page (inline CSS, charts as data URIs), one section
per sector with the coordinator's observation."""
from html import escape

from libs.contracts.events import ISSUES
from services.analytics.domain import signal_charts
from services.analytics.domain.facts import STAGES
from services.analytics.domain.render_html import CSS, _cell, _figure
from services.analytics.domain.sectors import SECTOR_TYPES
from services.analytics.domain.signal_report import METHOD, TITLE, SignalReport
from services.analytics.domain.signal_tables import TERM_STATES

EXTRA_CSS = "blockquote{border-left:4px solid #1f5f8b;margin:1rem 0;padding:.25rem 1rem;white-space:pre-wrap}"


def _label(value: str) -> str:
    return value.replace("_", " ")


def _table(report: SignalReport, sector: str, table_id: str, caption: str, columns, values_of) -> str:
    head = "".join(f'<th scope="col">{escape(_label(c))}</th>' for c in columns)
    rows = "".join(f'<tr><th scope="row">{q}</th>' + "".join(_cell(values_of(q)[c]) for c in columns) + "</tr>"
                   for q in report.quarters)
    return (f'<div class="scroll"><table id="{table_id}"><caption>{escape(caption)}</caption>'
            f'<thead><tr><th scope="col">quarter</th>{head}</tr></thead><tbody>{rows}</tbody></table></div>')


def _answer_days(report: SignalReport, sector: str) -> str:
    rows = []
    for q in report.quarters:
        stats = report.answer_days[q][sector]
        shown = "too few complaints" if stats["median"] is None else f"{stats['median']} / {stats['p90']}"
        rows.append(f'<tr><th scope="row">{q}</th><td>{shown}</td></tr>')
    return ('<div class="scroll"><table><caption>Days from filing to the institution\'s answer (median / 90th '
            'percentile)</caption><thead><tr><th scope="col">quarter</th><th scope="col">days</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _growth(report: SignalReport, sector: str) -> str:
    items = []
    for q in report.quarters:
        rising = report.growing_issues(sector, q)
        text = ", ".join(f"{_label(r['issue'])} ({r['from']} → {r['to']})" for r in rising) or "none shown"
        items.append(f"<li>{q} (compared with {report.before(q)}): {escape(text)}</li>")
    return f"<h3>Issues that grow</h3><ul>{''.join(items)}</ul>"


def _observations(report: SignalReport, sector: str) -> str:
    found = [(q, report.observations[(sector, q)]) for q in report.quarters if (sector, q) in report.observations]
    if not found:
        return "<p>The desk wrote no observation on this sector for this period.</p>"
    return "".join(f"<h3>The desk's observation, {q}</h3><blockquote>{escape(text)}</blockquote>" for q, text in found)


def _sector(report: SignalReport, sector: str) -> str:
    section_id = f"sector-{sector}"
    parts = [f'<section aria-labelledby="{section_id}"><h2 id="{section_id}">{escape(_label(sector).capitalize())}'
             f'</h2><p>Institution types: {escape(", ".join(_label(t) for t in SECTOR_TYPES[sector]))}.</p>']
    hidden = [q for q in report.quarters if report.all_hidden(sector, q)]
    if hidden:
        parts.append(f"<p>{escape(', '.join(hidden))}: too few complaints about this sector to show any numbers "
                     f"(fewer than {report.threshold} in every count).</p>")
    parts.append(_table(report, sector, f"{sector}-issues", "Complaints by issue",
                        (*ISSUES, "total"),
                        lambda q: {**report.by_issue(sector, q), "total": report.total(sector, q)}))
    parts.append(_table(report, sector, f"{sector}-stages",
                        "Where the complaints stand at the institution's own step (escalation available = the "
                        "second line was needed)", STAGES, lambda q: report.by_stage(sector, q)))
    parts.append(_table(report, sector, f"{sector}-term", "Answered within the legal term", TERM_STATES,
                        lambda q: report.by_term(sector, q)))
    parts.append(_answer_days(report, sector))
    parts.append(_growth(report, sector))
    parts.append(_observations(report, sector))
    parts.append("</section>")
    return "".join(parts)


def render_signals_html(report: SignalReport) -> bytes:
    title = f"{TITLE} {report.period_from} to {report.period_to}"
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(METHOD)} Threshold: {report.threshold}. × marks a hidden count.</p>",
        '<section aria-labelledby="overview"><h2 id="overview">Overview</h2>',
        _figure(signal_charts.complaints_by_sector(report), "Complaints per sector and quarter."),
        _figure(signal_charts.second_line_share(report),
                "Share of each sector's complaints that needed the second line (published counts only)."),
        "</section>",
        *[_sector(report, sector) for sector in report.sectors()],
    ]
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}{EXTRA_CSS}</style></head>"
            f'<body><main>{"".join(body)}</main></body></html>')
    return page.encode("utf-8")
