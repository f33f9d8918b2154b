"""The signal report: build it from the fact store (count, protect, audit), publish it and log the release, and
announce a quarter's release to the subscribed partners.

The counts come from the evaluation's own quarterly blocks (indicator_counts.count_blocks) protected by the same
`protect`; the signal report only shows the sector cells of those blocks. A release is audited together with what
earlier signal releases published for the same quarters (analytics_signal_released_cells), so a quarter that
changed since (a withdrawal, a late event) is refused instead of being published twice with different numbers.
"""
import hashlib
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from libs.contracts.events import make_envelope
from libs.contracts.partner_events import SIGNAL_REPORT_EVENT_TYPE, SIGNAL_REPORT_SOURCE, SignalReportPublishedData
from libs.kit.outbox import emit_external
from libs.kit.topology import PARTNER_EXCHANGE, signal_routing_key
from services.analytics.domain import indicators
from services.analytics.domain.disclosure import DEFAULT_THRESHOLD, ReleasedBlock, check_release, protect
from services.analytics.domain.periods import PeriodError, first_month, quarter_before, quarters_between
from services.analytics.domain.published_tables import BLOCK_NAME, block_lines
from services.analytics.domain.render_signals import render_signals
from services.analytics.domain.sectors import SECTOR_TYPES, SUBSCRIBABLE_SECTORS
from services.analytics.domain.signal_report import NothingToReport, SignalReport
from services.analytics.domain.signal_events import announcement
from services.analytics.tables import (
    case_facts_table, outbox, signal_release_log_table, signal_released_cells_table,
)
from services.analytics.use_cases import indicator_counts
from services.analytics.use_cases.reports import ReleaseRefused
from services.analytics.use_cases.signal_observations import observations_for

facts = case_facts_table.c
released_cells = signal_released_cells_table.c


def _answer_days(session: Session, quarters: list[str], threshold: int) -> dict:
    """{quarter: {sector: {"median", "p90"}}} of days from filing to the institution's answer (one grouped scan)."""
    histograms = {q: {s: {} for s in SECTOR_TYPES} for q in quarters}
    sector_of = {t: s for s, types in SECTOR_TYPES.items() for t in types}
    column = facts.days_to_institution_answer
    rows = session.execute(select(facts.quarter, facts.institution_type, column, func.count())
                           .where(facts.received, facts.quarter.in_(quarters), column.is_not(None))
                           .group_by(facts.quarter, facts.institution_type, column))
    for quarter, institution_type, days, count in rows:
        if institution_type is not None:
            per_day = histograms[quarter][sector_of[institution_type]]
            per_day[days] = per_day.get(days, 0) + count
    return {q: {s: indicators.duration_stats(sorted(per_day.items()), threshold) for s, per_day in sectors.items()}
            for q, sectors in histograms.items()}


def earlier_releases(session: Session, quarters: list[str]) -> list[ReleasedBlock]:
    """What earlier signal releases published for these quarters, as blocks check_release compares with."""
    cells, thresholds = {}, {}
    for quarter, cell, value, threshold in session.execute(
            select(released_cells.quarter, released_cells.cell, released_cells.value, released_cells.threshold)
            .where(released_cells.quarter.in_(quarters))):
        cells.setdefault(quarter, {})[cell] = value
        thresholds[quarter] = threshold
    return [ReleasedBlock(BLOCK_NAME, quarter, values, block_lines(), thresholds[quarter])
            for quarter, values in cells.items()]


def build_signal_report(session: Session, period_from: str, period_to: str,
                        threshold: int = DEFAULT_THRESHOLD) -> SignalReport:
    """Count, protect and audit; PeriodError for a period that is not whole quarters, NothingToReport when no
    complaint at all was received in it."""
    if not isinstance(threshold, int) or threshold < 2:
        raise ValueError("the threshold must be a whole number of at least 2")
    quarters = quarters_between(period_from, period_to)
    previous = quarter_before(quarters[0])
    raw = indicator_counts.count_blocks(session, [previous, *quarters], first_month(previous), period_to)
    if all(block.values["total"] == 0 for block in raw[1:]):
        raise NothingToReport(f"no complaints were received in {quarters[0]}"
                              + (f" to {quarters[-1]}" if len(quarters) > 1 else "") + ": there is nothing to report")
    released = [protect(block, threshold) for block in raw]
    report = SignalReport(period_from, period_to, threshold, quarters, previous,
                          {block.period: block for block in released},
                          _answer_days(session, quarters, threshold),
                          observations_for(session, quarters))
    earlier = earlier_releases(session, [previous, *quarters])
    report.problems = check_release(released, threshold, previous=[old for old in earlier
                                                                   if old.threshold == threshold])
    report.problems += [f"{old.period}: released before with threshold {old.threshold}, not {threshold} (a "
                        f"different suppression of the same quarter could be differenced)"
                        for old in earlier if old.threshold != threshold]
    return report


def _remember_cells(session: Session, report: SignalReport) -> None:
    """Keep what this release published per quarter (first release of a quarter only; later ones must match)."""
    known = {q for (q,) in session.execute(select(released_cells.quarter).distinct()
                                           .where(released_cells.quarter.in_(list(report.blocks))))}
    rows = [{"quarter": quarter, "cell": cell, "value": value, "threshold": report.threshold}
            for quarter, block in report.blocks.items() if quarter not in known
            for cell, value in block.cells.items()]
    if rows:
        session.execute(signal_released_cells_table.insert(), rows)


def publish_signals(session: Session, report: SignalReport, fmt: str, announce: bool = False) -> tuple[str, bytes]:
    """Render, log the release and (announce=True, one quarter only) queue the partners' events; the caller
    commits once the content is out. ReleaseRefused on audit problems."""
    if report.problems:
        raise ReleaseRefused(report.problems)
    if announce and len(report.quarters) != 1:
        raise PeriodError("only one quarter's signal report is announced to partners: --from and --to must be the "
                          "first and last month of one quarter")
    content_type, content = render_signals(report, fmt)
    digest = hashlib.sha256(content).hexdigest()
    session.execute(signal_release_log_table.insert().values(
        released_at=datetime.now(timezone.utc), period_from=report.period_from, period_to=report.period_to,
        format=fmt, threshold=report.threshold, sha256=digest, size_bytes=len(content), announced=announce))
    _remember_cells(session, report)
    if announce:
        for sector in SUBSCRIBABLE_SECTORS:
            data = SignalReportPublishedData().load(announcement(report, sector, digest))
            envelope = make_envelope(SIGNAL_REPORT_EVENT_TYPE, SIGNAL_REPORT_SOURCE,
                                     SignalReportPublishedData().dump(data))
            emit_external(session, outbox, envelope, PARTNER_EXCHANGE, signal_routing_key(sector))
    return content_type, content


def release_signals(session: Session, period_from: str, period_to: str, fmt: str,
                    threshold: int = DEFAULT_THRESHOLD, announce: bool = False) -> tuple[str, bytes]:
    """Build and publish in one step (the CLI's `--kind signals`); the caller commits once the content is out."""
    return publish_signals(session, build_signal_report(session, period_from, period_to, threshold), fmt, announce)


def signal_releases(session: Session) -> list[dict]:
    """The signal release log, oldest first: coordinates and checksums, no data."""
    return [dict(row) for row in session.execute(select(signal_release_log_table)
                                                 .order_by(signal_release_log_table.c.id)).mappings()]
