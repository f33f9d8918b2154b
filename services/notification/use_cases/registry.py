"""The mediator registry in notification's own store: seed from a file, list, add/update, (de)activate."""
from datetime import datetime, timezone
from pathlib import Path

import yaml
from sqlalchemy import select, update

from services.notification.domain.mediators import Mediator, load_registry
from services.notification.tables import mediators


def upsert(session, mediator: Mediator):
    values = {"name": mediator.name, "email": mediator.email, "languages": list(mediator.languages),
              "provinces": list(mediator.provinces), "capacity": mediator.capacity, "active": mediator.active,
              "conflicts": list(mediator.conflicts), "webhook_url": mediator.webhook_url,
              "updated_at": datetime.now(timezone.utc)}
    changed = session.execute(update(mediators).where(mediators.c.id == mediator.id).values(**values)).rowcount
    if not changed:
        session.execute(mediators.insert().values(id=mediator.id, **values))


def import_document(session, document: dict) -> int:
    """Validate a registry document (same shape as mediators.demo.yaml) and upsert every mediator."""
    loaded = load_registry(document)
    for mediator in loaded:
        upsert(session, mediator)
    session.commit()
    return len(loaded)


def all_mediators(session) -> list:
    return [Mediator(id=row.id, name=row.name, email=row.email, languages=tuple(row.languages),
                     provinces=tuple(row.provinces), capacity=row.capacity, active=row.active,
                     conflicts=tuple(row.conflicts), webhook_url=row.webhook_url)
            for row in session.execute(select(mediators).order_by(mediators.c.id))]


def set_active(session, mediator_id: str, active: bool) -> bool:
    changed = session.execute(update(mediators).where(mediators.c.id == mediator_id).values(
        active=active, updated_at=datetime.now(timezone.utc))).rowcount
    session.commit()
    return bool(changed)


def seed_missing(session, document: dict) -> int:
    """Add the document's mediators that the registry does not know yet; leave managed ones untouched."""
    known = set(session.execute(select(mediators.c.id)).scalars())
    fresh = [m for m in load_registry(document) if m.id not in known]
    for mediator in fresh:
        upsert(session, mediator)
    session.commit()
    return len(fresh)


def seed_from_file(session, path: Path) -> int:
    """`seed_missing` with the registry file at `path` (MEDIATORS_FILE)."""
    return seed_missing(session, yaml.safe_load(Path(path).read_text()))
