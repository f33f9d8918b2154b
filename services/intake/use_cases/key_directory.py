"""The desk's key directory as intake last heard it (casework publishes it; libs/contracts/events.py)."""
from datetime import datetime, timezone

from sqlalchemy import select

from services.intake import metrics
from services.intake.tables import key_directory


def latest(session):
    """(version, keys) of the newest directory received, or None before the first one."""
    row = session.execute(select(key_directory.c.version, key_directory.c.entries)
                          .order_by(key_directory.c.version.desc()).limit(1)).first()
    return (row.version, row.entries) if row else None


def on_key_directory_published(session, event, _settings):
    """Keep every version (small, and the history says which keys a case was sealed for); older ones arriving late
    change nothing: sealing always takes the newest."""
    data = event.data
    exists = session.execute(select(key_directory.c.version).where(key_directory.c.version == data["version"]))
    if exists.first() is None:
        session.execute(key_directory.insert().values(version=data["version"], entries=data["keys"],
                                                      received_at=datetime.now(timezone.utc)))
    current = latest(session)
    metrics.KEY_DIRECTORY_VERSION.set(max(current[0], data["version"]) if current else data["version"])
