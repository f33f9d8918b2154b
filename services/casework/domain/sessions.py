"""Workspace sessions: a random token in a `__Host-` cookie; the server keeps only its hash and the member's
unlocked private key encrypted under the token itself (as GlobaLeaks does). So the database holds no key it can use,
and the cookie alone holds no key either. Idle and absolute timeouts; a new sign-in is a new token (no fixation).
"""
import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import nacl.utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey
from nacl.secret import SecretBox

COOKIE_NAME = "__Host-vp-workspace"
TOKEN_BYTES = 32
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=10)


class SessionInvalid(Exception):
    """No such session, or it timed out."""


@dataclass(frozen=True)
class NewSession:
    token: str  # goes to the cookie only
    token_hash: str  # the database's key
    sealed_private_key: str | None  # None while the member has no key yet (setup not finished)
    csrf_secret: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_session(private_key: PrivateKey | None) -> NewSession:
    raw = nacl.utils.random(TOKEN_BYTES)
    token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    sealed = None
    if private_key is not None:
        sealed = base64.b64encode(SecretBox(raw).encrypt(bytes(private_key))).decode()
    return NewSession(token, token_hash(token), sealed, base64.urlsafe_b64encode(nacl.utils.random(24)).decode())


def session_key(token: str, sealed_private_key: str | None) -> PrivateKey | None:
    if sealed_private_key is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        return PrivateKey(SecretBox(raw).decrypt(base64.b64decode(sealed_private_key)))
    except (CryptoError, ValueError, TypeError):
        raise SessionInvalid() from None


def expired(created_at: datetime, last_seen_at: datetime, now: datetime) -> bool:
    return now - last_seen_at > IDLE_TIMEOUT or now - created_at > ABSOLUTE_TIMEOUT


def csrf_token(csrf_secret: str) -> str:
    """The session's token for its forms (synchronizer pattern: the server keeps the secret with the session)."""
    return hmac.new(csrf_secret.encode(), b"workspace-form", hashlib.sha256).hexdigest()


def csrf_ok(csrf_secret: str, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(csrf_token(csrf_secret), presented)
