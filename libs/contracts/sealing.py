"""How a case file is sealed: the contract between intake (which seals), casework (which opens for the desk) and the
person (who opens the desk's replies with the receipt). Key model and ceremony: docs/keys.md.

- **A key pair per case.** Intake makes an X25519 key pair for each complaint. Every item of the case file (the
  description, the contact details, a note, a message) is a sealed box to the case's *public* key, so anyone may add
  to a case without being able to read it: intake at filing, casework for a note, intake for the person's message.
- **Items are bound to their case and kind.** The sealed plaintext names both, and opening checks them: a
  ciphertext copied onto another case, or passed off as another kind, does not open.
- **The case's private key is wrapped** (a sealed box) for each reader: every active case handler's public key, the
  desk's recovery key (private half offline), a key derived from the person's receipt, and a mediator only when a
  case handler grants it. Nobody on the server holds a key that opens a case on its own.
- **The receipt-derived key** is BLAKE2b keyed by the case reference over the 100-bit receipt, under its own label
  (the receipt's lookup hash uses HMAC under the server's receipt key: two derivations, two labels, as SecureDrop
  does). 100 bits of secret need no slow hash; see docs/keys.md and docs/privacy.md.

Every function raises `Unreadable` (never with content in its message) when something does not open.
"""
import base64
import hashlib
import json

from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey, SealedBox

FORMAT = 1
RECEIPT_KEY_LABEL = b"vp:receipt-kx:1"  # BLAKE2b personalisation: at most 16 bytes


class Unreadable(Exception):
    """A sealed item or key does not open with this key, or belongs to another case or kind."""


def key_id(public_key: bytes) -> str:
    """A short, stable name for a public key (not secret): the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(bytes(public_key)).hexdigest()[:16]


def new_case_key() -> PrivateKey:
    return PrivateKey.generate()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise Unreadable("not_base64") from None


def seal_item(case_public_key: bytes, case_ref: str, kind: str, content) -> str:
    """A sealed box (base64) of JSON-able `content` that only the case's private key opens, bound to case and kind."""
    plaintext = json.dumps({"v": FORMAT, "case_ref": case_ref, "kind": kind, "content": content},
                           separators=(",", ":"), ensure_ascii=False).encode()
    return _b64(SealedBox(PublicKey(bytes(case_public_key))).encrypt(plaintext))


def open_item(case_private_key: PrivateKey, case_ref: str, kind: str, sealed: str):
    try:
        opened = json.loads(SealedBox(case_private_key).decrypt(_unb64(sealed)))
    except (CryptoError, ValueError):
        raise Unreadable("item_unreadable") from None
    if not isinstance(opened, dict) or opened.get("case_ref") != case_ref or opened.get("kind") != kind:
        raise Unreadable("item_of_another_case_or_kind")
    return opened.get("content")


def wrap_case_key(case_private_key: PrivateKey, recipient_public_key: bytes) -> str:
    """The case's private key, sealed for one reader's public key (base64)."""
    return _b64(SealedBox(PublicKey(bytes(recipient_public_key))).encrypt(bytes(case_private_key)))


def unwrap_case_key(wrapped: str, recipient_private_key: PrivateKey) -> PrivateKey:
    try:
        return PrivateKey(SealedBox(recipient_private_key).decrypt(_unb64(wrapped)))
    except (CryptoError, ValueError):
        raise Unreadable("key_unreadable") from None


def receipt_key(reference: str, receipt: str) -> PrivateKey:
    """The person's key for a case: derived from the receipt, keyed by the reference (domain-separated)."""
    seed = blake2b(receipt.encode(), digest_size=32, key=reference.encode()[:64], person=RECEIPT_KEY_LABEL,
                   encoder=RawEncoder)
    return PrivateKey.from_seed(seed)


def public_key_bytes(private_key: PrivateKey) -> bytes:
    return bytes(private_key.public_key)
