"""The report as one self-contained, accessible HTML page: inline CSS, charts as data URIs, no external requests."""
from html import escape

from services.analytics.domain import charts, published_tables
from services.analytics.domain.report import Report
from services.analytics.domain.render_json import METHOD

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.5rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.25rem 0;caption-side:top}
th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:right}
th[scope=row]{text-align:left}thead th{background:#e8eef3}
.sup{color:#595959}.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.scroll{overflow-x:auto}img{max-width:100%;height:auto}
"""


def _cell(value) -> str:
    if value is None:
        return '<td class="sup"><span aria-hidden="true">×</span><span class="vh">suppressed</span></td>'
    return f"<td>{value}</td>"


def _table(report: Report, spec: published_tables.TableSpec) -> str:
    head = "".join(f'<th scope="col">{escape(label)}</th>' for _key, label in spec.columns)
    rows = "".join(
        f'<tr><th scope="row">{q}</th>' + "".join(_cell(report.cell(q, key)) for key, _label in spec.columns) + "</tr>"
        for q in report.quarters)
    return (f'<section aria-labelledby="{spec.id}"><h2 id="{spec.id}">{escape(spec.title)}</h2>'
            f'<div class="scroll"><table><caption>{escape(spec.caption)}</caption>'
            f'<thead><tr><th scope="col">quarter</th>{head}</tr></thead><tbody>{rows}</tbody></table></div></section>')


def _durations(report: Report) -> str:
    head = "".join(f'<th scope="col">{escape(label)} (median / p90)</th>'
                   for _m, label in published_tables.DURATIONS)
    rows = []
    for q in report.quarters:
        cells = []
        for measure, _label in published_tables.DURATIONS:
            stats = report.durations[q][measure]
            cells.append("<td>too few cases</td>" if stats["median"] is None
                         else f"<td>{stats['median']} / {stats['p90']}</td>")
        rows.append(f'<tr><th scope="row">{q}</th>{"".join(cells)}</tr>')
    return ('<section aria-labelledby="durations"><h2 id="durations">Durations in days</h2><div class="scroll"><table>'
            '<caption>Median and 90th percentile (nearest rank) in whole days, by quarter of receipt.</caption>'
            f'<thead><tr><th scope="col">quarter</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
            '</table></div></section>')


def _figure(uri_alt: tuple[str, str], caption: str) -> str:
    uri, alt = uri_alt
    return f'<figure><img src="{uri}" alt="{escape(alt)}"><figcaption>{escape(caption)}</figcaption></figure>'


def render_html(report: Report) -> bytes:
    title = f"Voorportaal evaluation indicators {report.period_from} to {report.period_to}"
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(METHOD)} Threshold: {report.threshold}. "
        "× marks a suppressed count.</p>",
        '<section aria-labelledby="trend"><h2 id="trend">Trend</h2>',
        _figure(charts.volume_chart(report), "Complaints received per quarter."),
        _figure(charts.institution_step_chart(report),
                "Share of complaints with a final answer at the institution's own step, and with escalation "
                "available, per quarter (published counts only)."),
        _figure(charts.did_it_help_chart(report),
                "Did it help? Of those who answered: problem solved, treated with respect by the institution and by "
                "the desk; and the share of all complaints where the person asked to reopen, per quarter (published "
                "counts only)."),
        _figure(charts.desk_times_chart(report),
                "Median days from receipt to the desk's first action (first human contact) and to closure, per "
                "quarter (at least 10 cases)."),
        "</section>",
        *[_table(report, spec) for spec in published_tables.TABLES],
        _durations(report),
    ]
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head>"
            f'<body><main>{"".join(body)}</main></body></html>')
    return page.encode("utf-8")
