"""Publishing: render, refuse if the disclosure audit found problems, and log what went out when."""
import hashlib
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.analytics.report.build import Report
from services.analytics.report.render import render
from services.analytics.store import release_log_table


class ReleaseRefused(Exception):
    """The disclosure audit found problems: nothing is published."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} disclosure problem(s): " + "; ".join(problems[:3]))
        self.problems = problems


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


def releases(session: Session) -> list[dict]:
    return [dict(row) for row in session.execute(select(release_log_table)
                                                 .order_by(release_log_table.c.id)).mappings()]
