"""Server-side secrets (receipt key, partner pseudonym key) from the environment.

In production each is an env var holding hex (from a secret store). For a zero-setup local run a missing secret
is generated once into var/secrets/ (mode 0600) and a warning is logged: fine for a demo, never for production.
"""
import os
import secrets as random_source

from services.common import config
from services.common.logs import get_logger

log = get_logger()


def load_secret(name, size=32):
    raw = config.env(name)
    if raw is not None:
        try:
            value = bytes.fromhex(raw)
        except ValueError:
            raise config.ConfigError(f"{name} must be hex") from None
        if len(value) < 16:
            raise config.ConfigError(f"{name} must be at least 16 bytes (32 hex characters)")
        return value
    path = config.VAR_DIR / "secrets" / name.lower()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(random_source.token_hex(size))
        log.warning("secret.generated_for_local_run", name=name.lower())
    return bytes.fromhex(path.read_text().strip())
