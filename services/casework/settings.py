"""Casework's configuration, read once and validated at start (variables: README.md, "Configuration").

CASEWORK_SECRET keys what the server itself must read back (second-factor secrets, the keyed hashes of recovery
codes and of sign-in throttling buckets): a database dump without it reveals none of them. The desk's recovery key
has its private half offline (docs/keys.md); a local run generates a pair under var/keys/ and says so.
"""
import base64
import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from nacl.public import PrivateKey

from libs.kit import config
from libs.kit.config import env, env_bool, env_int
from libs.kit.logs import get_logger
from libs.kit.secrets_store import decode_key, load_secret

log = get_logger()
SERVICE = "casework"
RECOVERY_ENV = "DESK_RECOVERY_PUBLIC_KEY"
DEV_RECOVERY_FILE = "desk-recovery.key"


@dataclass(frozen=True)
class Settings:
    secret: bytes
    recovery_public_key: bytes
    web_address: str
    demo_accounts: bool  # make run: create demo accounts and print how to sign in (local runs only)
    handling_days: int  # the desk's own term for a first action

    @staticmethod
    def today() -> date:
        pinned = env("CASEWORK_TODAY")
        return date.fromisoformat(pinned) if pinned else date.today()


def dev_recovery_public_key() -> bytes:
    """A local run's recovery pair, generated once under var/keys/ (the private half on the same disk: demo only)."""
    path = config.VAR_DIR / "keys" / DEV_RECOVERY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(bytes(PrivateKey.generate())).decode())
        log.warning("recovery_key.generated_for_local_run", path=str(path))
    return bytes(PrivateKey(base64.b64decode(path.read_text())).public_key)


@lru_cache(maxsize=1)
def load() -> Settings:
    raw_recovery = env(RECOVERY_ENV)
    recovery = decode_key(RECOVERY_ENV, raw_recovery) if raw_recovery else dev_recovery_public_key()
    return Settings(secret=load_secret("CASEWORK_SECRET"), recovery_public_key=recovery,
                    web_address=env("CASEWORK_WEB_ADDRESS", "127.0.0.1:8005"),
                    demo_accounts=env_bool("CASEWORK_DEMO_ACCOUNTS", False),
                    handling_days=env_int("CASEWORK_HANDLING_DAYS", 3))
