"""The complainant-messaging contract between intake and notification: intake seals a person's e-mail address to
notification's public key; only notification opens it.

Intake holds the public key only and can seal, not read; notification holds the private key and opens an address
in memory, at send time, to send one message. Keys are 32-byte NaCl keys (base64 in configuration; loading them is
libs/kit/secrets_store.py's job). The address never travels or rests in plaintext: the event, the broker, both
databases and any dead letter see only the sealed box.

The sealed plaintext names the case (`{"case_ref": ..., "address": ...}`), and `open_contact` checks it: a sealed
address copied onto another case's event does not open there.
"""
import base64
import hashlib
import json

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox


class ContactUnreadable(Exception):
    """The sealed contact does not open with this key, or belongs to another case (no details in the message)."""


def key_id(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()[:16]


def public_key_of(private_key: bytes) -> bytes:
    return bytes(PrivateKey(private_key).public_key)


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
