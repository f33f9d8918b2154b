"""The signal report's charts as base64 PNG data URIs (matplotlib via charts.py): published numbers only, a
hidden value is a gap, never an estimate."""
from services.analytics.domain.charts import _png, _pyplot
from services.analytics.domain.signal_report import SignalReport, share


def _label(sector: str) -> str:
    return sector.replace("_", " ")


def draw_complaints_by_sector(axes, report: SignalReport) -> None:
    """Complaints per sector, one bar per quarter (hidden = no bar), on `axes` (the html and the pdf)."""
    sectors = report.sectors()
    width = 0.8 / len(report.quarters)
    for i, quarter in enumerate(report.quarters):
        values = [report.total(s, quarter) for s in sectors]
        axes.bar([x + i * width for x in range(len(sectors))], [v or 0 for v in values], width, label=quarter)
    axes.set_xticks([x + 0.4 - width / 2 for x in range(len(sectors))], [_label(s) for s in sectors])
    axes.tick_params(axis="x", labelrotation=30)
    axes.set_ylabel("complaints")
    axes.set_title("Complaints per sector and quarter")
    if len(report.quarters) <= 8:
        axes.legend(fontsize="small")


def complaints_by_sector(report: SignalReport) -> tuple[str, str]:
    """(data URI, alt text): complaints per sector, one bar per quarter."""
    figure, axes = _pyplot().subplots(figsize=(9, 3.6))
    draw_complaints_by_sector(axes, report)
    sectors = report.sectors()
    shown = "; ".join(f"{_label(s)}: " + ", ".join(
        f"{q} {'hidden' if report.total(s, q) is None else report.total(s, q)}" for q in report.quarters)
        for s in sectors)
    return _png(figure), f"Bar chart of complaints per sector and quarter. {shown}."


def _shares(report: SignalReport):
    quarter = report.quarters[-1]
    return quarter, [share(report.second_line(s, quarter), report.total(s, quarter)) for s in report.sectors()]


def draw_second_line_share(axes, report: SignalReport) -> None:
    """The share of each sector's complaints for which the second line was open, last quarter, on `axes`."""
    quarter, shares = _shares(report)
    sectors = report.sectors()
    axes.bar([_label(s) for s in sectors], [v * 100 if v is not None else 0 for v in shares], color="#8b3a1f")
    axes.set_ylabel("% of complaints")
    axes.set_ylim(0, 100)
    axes.set_title(f"Second line needed, {quarter}")
    axes.tick_params(axis="x", labelrotation=30)


def second_line_share(report: SignalReport) -> tuple[str, str]:
    """(data URI, alt text): share of each sector's complaints for which the second line was open, last quarter."""
    figure, axes = _pyplot().subplots(figsize=(9, 3.2))
    draw_second_line_share(axes, report)
    quarter, shares = _shares(report)
    sectors = report.sectors()
    shown = ", ".join(f"{_label(s)} {'n/a' if v is None else f'{v * 100:.0f}%'}" for s, v in zip(sectors, shares))
    return _png(figure), f"Bar chart of the share of complaints that needed the second line in {quarter}: {shown}."
