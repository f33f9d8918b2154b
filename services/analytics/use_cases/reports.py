"""The evaluation report: build it from the fact store (count, protect, audit), publish it and log the release.

`release_report` is what both doors use, the CLI (`voorportaal-report`) and the HTTP `/reports` handler: build,
refuse if the disclosure audit found problems, render, and log what went out when. The caller commits once the
content is out, so a release is logged only when it was delivered.
"""
import hashlib
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.analytics.domain.disclosure import DEFAULT_THRESHOLD, check_release, protect
from services.analytics.domain.periods import quarters_between
from services.analytics.domain.render import render
from services.analytics.domain.report import Report
from services.analytics.tables import release_log_table
from services.analytics.use_cases import indicator_counts


class ReleaseRefused(Exception):
    """The disclosure audit found problems: nothing is published."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} disclosure problem(s): " + "; ".join(problems[:3]))
        self.problems = problems


def build_report(session: Session, period_from: str, period_to: str, threshold: int = DEFAULT_THRESHOLD) -> Report:
    """Count every cell of every quarter, protect each quarter's block, audit the whole; PeriodError for a period
    that is not whole quarters."""
    if not isinstance(threshold, int) or threshold < 2:
        raise ValueError("the threshold must be a whole number of at least 2")
    quarters = quarters_between(period_from, period_to)
    raw_blocks = indicator_counts.count_blocks(session, quarters, period_from, period_to)
    released = [protect(block, threshold) for block in raw_blocks]
    report = Report(period_from, period_to, threshold, quarters, released,
                    indicator_counts.durations(session, quarters, period_from, period_to, threshold))
    report.problems = check_release(released, threshold)
    return report


def publish(session: Session, report: Report, fmt: str) -> tuple[str, bytes]:
    """Render `report` and record the release (the caller commits). Raises ReleaseRefused on audit problems."""
    if report.problems:
        raise ReleaseRefused(report.problems)
    content_type, content = render(report, fmt)
    session.execute(release_log_table.insert().values(
        released_at=datetime.now(timezone.utc), period_from=report.period_from, period_to=report.period_to,
        format=fmt, threshold=report.threshold, sha256=hashlib.sha256(content).hexdigest(),
        size_bytes=len(content)))
    return content_type, content


def release_report(session: Session, period_from: str, period_to: str, fmt: str,
                   threshold: int = DEFAULT_THRESHOLD) -> tuple[str, bytes]:
    """Build and publish in one step: (content type, content); the caller commits once the content is out."""
    return publish(session, build_report(session, period_from, period_to, threshold), fmt)


def releases(session: Session) -> list[dict]:
    """The release log, oldest first: coordinates and checksums, no data."""
    return [dict(row) for row in session.execute(select(release_log_table)
                                                 .order_by(release_log_table.c.id)).mappings()]
