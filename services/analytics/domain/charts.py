"""Charts as base64 PNG data URIs (matplotlib, Agg backend): the HTML page stays self-contained.

Charts draw published numbers only; a suppressed value is a gap, never an estimate.
"""
import base64
import functools
import io

from services.analytics.domain.report import Report, share


@functools.cache
def _pyplot():
    """matplotlib on first use: it costs ~25 MB, which a service that rarely draws should not carry idle."""
    import matplotlib
    matplotlib.use("Agg")  # the backend must be chosen before pyplot is imported
    from matplotlib import pyplot
    return pyplot


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight", metadata={"Software": None})
    _pyplot().close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def volume_chart(report: Report) -> tuple[str, str]:
    """(data URI, alt text) for complaints per quarter."""
    totals = [report.cell(q, "total") for q in report.quarters]
    figure, axes = _pyplot().subplots(figsize=(8, 3.2))
    axes.bar(report.quarters, [t if t is not None else 0 for t in totals], color="#1f5f8b")
    axes.set_ylabel("complaints")
    axes.set_title("Complaints received per quarter")
    axes.tick_params(axis="x", labelrotation=45)
    shown = ", ".join(f"{q}: {'suppressed' if t is None else t}" for q, t in zip(report.quarters, totals))
    return _png(figure), f"Bar chart of complaints received per quarter. {shown}."


def institution_step_chart(report: Report) -> tuple[str, str]:
    """(data URI, alt text) for the share with a final answer vs escalation available, per quarter."""
    series = {}
    for key, label in (("stage:final_answer", "final answer at the institution"),
                       ("stage:escalation_available", "escalation available")):
        series[label] = [share(report.cell(q, key), report.cell(q, "total")) for q in report.quarters]
    figure, axes = _pyplot().subplots(figsize=(8, 3.2))
    for (label, values), style in zip(series.items(), ("-o", "--s")):
        axes.plot(report.quarters, [v * 100 if v is not None else float("nan") for v in values], style, label=label)
    axes.set_ylabel("% of complaints")
    axes.set_ylim(0, 100)
    axes.set_title("Institution's own step: final answer vs escalation")
    axes.legend()
    axes.tick_params(axis="x", labelrotation=45)
    parts = []
    for label, values in series.items():
        parts.append(label + ": " + ", ".join(
            f"{q} {'n/a' if v is None else f'{v * 100:.0f}%'}" for q, v in zip(report.quarters, values)))
    return _png(figure), "Line chart of shares per quarter. " + "; ".join(parts) + "."


def _answered_share(report: Report, quarter: str, prefix: str, yes: str, states) -> float | None:
    """The share `yes` among those who answered (every state but no_answer), from published counts only."""
    parts = [report.cell(quarter, f"{prefix}:{state}") for state in states if state != "no_answer"]
    if any(part is None for part in parts):
        return None
    return share(report.cell(quarter, f"{prefix}:{yes}"), sum(parts))


def did_it_help_chart(report: Report) -> tuple[str, str]:
    """(data URI, alt text) for the "did it help?" outcomes per quarter, as shares of those who answered."""
    from services.analytics.domain.published_tables import REOPEN_STATES, RESPECT_STATES, SOLVED_STATES

    series = {
        "problem solved": [_answered_share(report, q, "solved", "yes", SOLVED_STATES) for q in report.quarters],
        "institution treated them with respect": [
            _answered_share(report, q, "institution_respect", "yes", RESPECT_STATES) for q in report.quarters],
        "desk treated them with respect": [
            _answered_share(report, q, "desk_respect", "yes", RESPECT_STATES) for q in report.quarters],
        "asked to reopen (of all complaints)": [
            _answered_share(report, q, "reopen", "requested", REOPEN_STATES) for q in report.quarters],
    }
    figure, axes = _pyplot().subplots(figsize=(8, 3.2))
    for (label, values), style in zip(series.items(), ("-o", "--s", "-.^", ":d")):
        axes.plot(report.quarters, [v * 100 if v is not None else float("nan") for v in values], style, label=label)
    axes.set_ylabel("%")
    axes.set_ylim(0, 100)
    axes.set_title("Did it help?")
    axes.legend(fontsize="small")
    axes.tick_params(axis="x", labelrotation=45)
    parts = [label + ": " + ", ".join(f"{q} {'n/a' if v is None else f'{v * 100:.0f}%'}"
                                      for q, v in zip(report.quarters, values)) for label, values in series.items()]
    return _png(figure), "Line chart of shares per quarter. " + "; ".join(parts) + "."


def desk_times_chart(report: Report) -> tuple[str, str]:
    """(data URI, alt text) for the median days to the desk's first action and to closure, per quarter."""
    series = {"days to first action (median)": "days_to_first_response", "days to closure (median)": "days_to_closure"}
    values = {label: [report.durations[q][measure]["median"] for q in report.quarters]
              for label, measure in series.items()}
    figure, axes = _pyplot().subplots(figsize=(8, 3.2))
    for (label, points), style in zip(values.items(), ("-o", "--s")):
        axes.plot(report.quarters, [v if v is not None else float("nan") for v in points], style, label=label)
    axes.set_ylabel("days")
    axes.set_title("The desk's times")
    axes.legend(fontsize="small")
    axes.tick_params(axis="x", labelrotation=45)
    parts = [label + ": " + ", ".join(f"{q} {'n/a' if v is None else v}" for q, v in zip(report.quarters, points))
             for label, points in values.items()]
    return _png(figure), "Line chart of medians per quarter. " + "; ".join(parts) + "."
