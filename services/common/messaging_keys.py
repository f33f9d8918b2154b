"""The complainant-messaging key pair: intake seals a person's e-mail address to notification's public key.

Intake holds the public key only (COMPLAINANT_MESSAGING_PUBLIC_KEY) and can seal, not read; notification holds
the private key (COMPLAINANT_MESSAGING_PRIVATE_KEY) and opens an address in memory, at send time, to send one
message. Both are base64 of 32-byte NaCl keys. The address never travels or rests in plaintext: the event, the
broker, both databases and any dead letter see only the sealed box.

The sealed plaintext names the case (`{"case_ref": ..., "address": ...}`), and `open_contact` checks it: a sealed
address copied onto another case's event does not open there.

When the variables are unset (a local run), one pair is generated into var/secrets/ (the private key mode 0600),
created atomically so services starting at the same moment agree on it; a warning is logged. Fine for a demo,
never for production: there, intake and notification must never share a disk.
"""
import base64
import hashlib
import json
import os
import tempfile
from pathlib import Path

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from services.common import config
from services.common.logs import get_logger

log = get_logger()
PRIVATE_ENV = "COMPLAINANT_MESSAGING_PRIVATE_KEY"
PUBLIC_ENV = "COMPLAINANT_MESSAGING_PUBLIC_KEY"
DEV_FILE = "complainant_messaging_private_key"


class ContactUnreadable(Exception):
    """The sealed contact does not open with this key, or belongs to another case (no details in the message)."""


def key_id(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()[:16]


def decode_key(name: str, text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raise config.ConfigError(f"{name} must be a base64 key") from None
    if len(raw) != 32:
        raise config.ConfigError(f"{name} must be a 32-byte key")
    return raw


def dev_private_key(var_dir: Path | None = None) -> bytes:
    """The local run's private key from var/secrets/, generated once (atomically: first writer wins)."""
    path = Path(var_dir or config.VAR_DIR) / "secrets" / DEV_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")  # mode 0600
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(bytes(PrivateKey.generate())).decode())
        try:
            os.link(temporary, path)  # fails if another process created it first: then theirs is used
            log.warning("secret.generated_for_local_run", name=DEV_FILE)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return decode_key(DEV_FILE, path.read_text())


def load_private_key() -> bytes:
    raw = config.env(PRIVATE_ENV)
    return decode_key(PRIVATE_ENV, raw) if raw else dev_private_key()


def load_public_key() -> bytes:
    raw = config.env(PUBLIC_ENV)
    if raw:
        return decode_key(PUBLIC_ENV, raw)
    return bytes(PrivateKey(dev_private_key()).public_key)


def seal_contact(public_key: bytes, case_ref: str, address: str) -> str:
    """base64 of a sealed box only the private key's holder opens."""
    plaintext = json.dumps({"case_ref": case_ref, "address": address}, separators=(",", ":")).encode()
    return base64.b64encode(SealedBox(PublicKey(public_key)).encrypt(plaintext)).decode()


def open_contact(private_key: bytes, case_ref: str, sealed: str) -> str:
    """The address sealed for `case_ref`; raises ContactUnreadable (never with the content in the message)."""
    try:
        opened = json.loads(SealedBox(PrivateKey(private_key)).decrypt(base64.b64decode(sealed, validate=True)))
    except (CryptoError, ValueError, TypeError):
        raise ContactUnreadable("contact_unreadable") from None
    if not isinstance(opened, dict) or opened.get("case_ref") != case_ref or not isinstance(
            opened.get("address"), str):
        raise ContactUnreadable("contact_other_case")
    return opened["address"]
