"""Store the coordinators' observations (event `signal.observation_written`) and read them for a report.

`record_observation` is the event handler (`store_observation` does the work); it runs in the transaction of the event's inbox row, so a redelivered
event is applied once, and a late one never replaces a text written after it (domain/signal_observations.py).
"""
from datetime import timezone

from sqlalchemy import and_, delete, select
from sqlalchemy.orm import Session

from libs.kit.db import lock_until_commit
from services.analytics.domain.signal_observations import printable, supersedes
from services.analytics.tables import signal_observations_table

observations = signal_observations_table.c


def _utc(moment):
    """Aware UTC; SQLite hands back naive datetimes (stored as UTC)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def store_observation(session: Session, data: dict) -> None:
    """Keep the observation unless a later-written one is stored already (data: the event's loaded data)."""
    where = and_(observations.sector == data["sector"], observations.quarter == data["quarter"])
    lock_until_commit(session, "analytics-observation:", f"{data['sector']}:{data['quarter']}")
    stored = session.execute(select(observations.written_at).where(where)).scalar()
    written_at = _utc(data["written_at"])
    if not supersedes(written_at, _utc(stored) if stored else None):
        return
    session.execute(delete(signal_observations_table).where(where))
    session.execute(signal_observations_table.insert().values(
        sector=data["sector"], quarter=data["quarter"], observation=data["observation"].strip(),
        written_at=written_at))


def record_observation(session, event, _settings) -> None:
    """The event handler (services/analytics/service.py wires it for `signal.observation_written`)."""
    store_observation(session, event.data)


def observations_for(session: Session, quarters: list[str]) -> dict:
    """{(sector, quarter): text} for the quarters; withdrawn (empty) observations are left out."""
    rows = session.execute(select(observations.sector, observations.quarter, observations.observation)
                           .where(observations.quarter.in_(quarters)))
    return {(sector, quarter): printable(text) for sector, quarter, text in rows if printable(text)}
