"""The key directory: the public keys intake seals every new case for — each active case handler's and
coordinator's (once their second factor is set up) and the desk's recovery key. Casework owns it and publishes
each new version as `staff.key_directory_published`; intake keeps the latest version it has seen. So adding or
disabling a case handler changes what intake seals for, with no key and no plaintext leaving anyone's session."""
import base64
from datetime import datetime, timezone

from sqlalchemy import select

from libs.contracts.sealing import key_id
from libs.kit.outbox import emit
from services.casework.domain.roles import CASE_READERS
from services.casework.tables import accounts, key_directory, outbox


def current_keys(session, settings) -> list:
    rows = session.execute(select(accounts.c.key_id, accounts.c.public_key).where(
        accounts.c.active.is_(True), accounts.c.role.in_(CASE_READERS), accounts.c.public_key.is_not(None),
        accounts.c.second_factor_confirmed.is_(True)).order_by(accounts.c.key_id)).fetchall()
    recovery = settings.recovery_public_key
    keys = [{"key_id": row.key_id, "public_key": row.public_key, "purpose": "case_reader"} for row in rows]
    keys.append({"key_id": key_id(recovery), "public_key": base64.b64encode(recovery).decode(),
                 "purpose": "recovery"})
    return keys


def latest(session):
    return session.execute(select(key_directory).order_by(key_directory.c.version.desc()).limit(1)).first()


def publish_if_changed(session, settings, now=None, force=False) -> int | None:
    """Publish a new version when the keys differ from the latest (or `force`: republish the same keys under a new
    version, e.g. at start-up, so an intake that missed it learns them). Returns the new version or None."""
    keys = current_keys(session, settings)
    last = latest(session)
    if last is not None and last.entries == keys and not force:
        return None
    now = now or datetime.now(timezone.utc)
    # versions only rise, also across a restore of casework's database from a backup: intake seals for the highest
    # version it has seen, so a restored directory must not come back under a number intake has already passed
    version = max((last.version + 1) if last is not None else 1, int(now.timestamp()))
    session.execute(key_directory.insert().values(version=version, entries=keys, published_at=now))
    emit(session, outbox, "staff.key_directory_published", {"version": version, "keys": keys})
    return version
