"""Server-side secrets (receipt key, partner pseudonym key) and NaCl keys (the complainant-messaging pair) from the
environment.

In production each is an env var (hex for secrets, base64 for keys) from a secret store. For a zero-setup local run
a missing one is generated once into var/secrets/ (mode 0600) and a warning is logged: fine for a demo, never for
production — there, intake and notification must never share a disk. Generation is atomic (first writer wins), so
services starting at the same moment agree on a generated key.
"""
import base64
import os
import secrets as random_source
import tempfile
from pathlib import Path

from nacl.public import PrivateKey

from libs.kit import config
from libs.kit.logs import get_logger

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
        log.warning("secret.generated_for_local_run", which=name.lower())
    return bytes.fromhex(path.read_text().strip())


# the complainant-messaging pair (libs/contracts/messaging_keys.py): intake has the public half, notification the
# private half
MESSAGING_PRIVATE_ENV = "COMPLAINANT_MESSAGING_PRIVATE_KEY"
MESSAGING_PUBLIC_ENV = "COMPLAINANT_MESSAGING_PUBLIC_KEY"
MESSAGING_DEV_FILE = "complainant_messaging_private_key"


def decode_key(name: str, text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raise config.ConfigError(f"{name} must be a base64 key") from None
    if len(raw) != 32:
        raise config.ConfigError(f"{name} must be a 32-byte key")
    return raw


def dev_private_key(file_name: str = MESSAGING_DEV_FILE, var_dir: Path | None = None) -> bytes:
    """A local run's private key from var/secrets/, generated once (atomically: first writer wins)."""
    path = Path(var_dir or config.VAR_DIR) / "secrets" / file_name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")  # mode 0600
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(bytes(PrivateKey.generate())).decode())
        try:
            os.link(temporary, path)  # fails if another process created it first: then theirs is used
            log.warning("secret.generated_for_local_run", which=file_name)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return decode_key(file_name, path.read_text())


def load_messaging_private_key() -> bytes:
    raw = config.env(MESSAGING_PRIVATE_ENV)
    return decode_key(MESSAGING_PRIVATE_ENV, raw) if raw else dev_private_key()


def load_messaging_public_key() -> bytes:
    raw = config.env(MESSAGING_PUBLIC_ENV)
    if raw:
        return decode_key(MESSAGING_PUBLIC_ENV, raw)
    return bytes(PrivateKey(dev_private_key()).public_key)
