"""A key directory of the test's own in intake's tables: the desk's public keys new complaints are sealed for
(casework publishes it in a running platform), and the private halves, so a test can open what was sealed."""
import base64
from datetime import datetime, timezone

from nacl.public import PrivateKey
from sqlalchemy import func, select

from libs.contracts.sealing import key_id
from services.intake.tables import key_directory


def directory_keys(*private_keys, purpose="case_reader"):
    return [{"key_id": key_id(bytes(k.public_key)), "public_key": base64.b64encode(bytes(k.public_key)).decode(),
             "purpose": purpose} for k in private_keys]


def give_intake_a_key_directory(session, version=None, *private_keys):
    """Store a directory as the newest (a fresh case handler key when none is given); returns the private keys.
    Without a `version`, the next after the newest stored (databases shared by a test run)."""
    keys = list(private_keys) or [PrivateKey.generate()]
    if version is None:
        version = (session.execute(select(func.max(key_directory.c.version))).scalar() or 0) + 1
    session.execute(key_directory.insert().values(version=version, entries=directory_keys(*keys),
                                                  received_at=datetime.now(timezone.utc)))
    session.commit()
    return keys
