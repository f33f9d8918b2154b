"""The coordinator writes an observation on a sector for a quarter: stored, audited and sent to analytics
(`signal.observation_written`) in one transaction, so the workspace and the signal report never disagree."""
from datetime import datetime, timezone

from sqlalchemy import and_, delete, select

from libs.kit.outbox import emit
from services.casework.domain import roles
from services.casework.domain.signal_observations import checked
from services.casework.tables import outbox, signal_observations
from services.casework.use_cases import audit

columns = signal_observations.c


class NotAllowed(Exception):
    """Only a coordinator writes observations."""


def write(session, viewer, sector: str, quarter: str, text: str, today) -> dict:
    """Keep (or, with an empty text, withdraw) the observation; ObservationRefused for a text that cannot go out."""
    if not roles.may(viewer.role, "write_signal_observations"):
        raise NotAllowed()
    sector, quarter, text = checked(sector, quarter, text, today)
    written_at = datetime.now(timezone.utc)
    where = and_(columns.sector == sector, columns.quarter == quarter)
    session.execute(delete(signal_observations).where(where))
    if text:
        session.execute(signal_observations.insert().values(sector=sector, quarter=quarter, observation=text,
                                                            written_at=written_at, written_by=viewer.actor))
    audit.append(session, viewer.actor, "signal_observation.written" if text else "signal_observation.withdrawn",
                 sector=sector, quarter=quarter, length=len(text))
    emit(session, outbox, "signal.observation_written",
         {"sector": sector, "quarter": quarter, "observation": text, "written_at": written_at})
    return {"sector": sector, "quarter": quarter, "observation": text}


def current(session, sector: str, quarter: str) -> str:
    return session.execute(select(columns.observation).where(columns.sector == sector,
                                                             columns.quarter == quarter)).scalar() or ""


def listing(session, quarters) -> list:
    """The observations written for these quarters, newest quarter first."""
    return session.execute(select(columns.sector, columns.quarter, columns.written_at, columns.observation)
                           .where(columns.quarter.in_(list(quarters)))
                           .order_by(columns.quarter.desc(), columns.sector)).fetchall()
