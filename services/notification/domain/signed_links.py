"""Signed accept/decline/outcome links for mediators (plain Python).

A token is `<payload>.<mac>`, both base64url without padding. The payload is the JSON list
["v1", case_ref, mediator_id, action, expires_at]: the desk's reference and the mediator's id, nothing about the
person, so a forwarded or leaked e-mail reveals no more than the e-mail itself already does.
The MAC is HMAC-SHA256 with a server-side secret over a fixed label and the payload; the label keeps these tokens
from ever verifying where another HMAC of the same secret is expected.

A token is a bearer capability until it expires, not single-use: the handler that acts on it must be idempotent
and must check that the case is still assigned to that mediator (a reassignment makes old tokens stale).
Mail scanners open links, so a GET on the link shows a confirmation page and only a POST changes anything.
"""
import base64
import binascii
import hashlib
import hmac
import json
import re
from datetime import datetime

ACTIONS = ("accept", "decline", "outcome")
TOKEN_VERSION = "v1"
MAC_LABEL = b"voorportaal-mediator-link."
MAX_TOKEN_LENGTH = 512  # far above a real token; refuse bigger input before doing any work on it
MIN_SECRET_BYTES = 16
# References and mediator ids only: this refuses a name or an e-mail address passed in by mistake.
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}")


class InvalidToken(Exception):
    """The link was altered, has expired, or was never ours. The message is a short code, safe to log."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, payload_part: str) -> str:
    return _b64encode(hmac.new(secret, MAC_LABEL + payload_part.encode("ascii"), hashlib.sha256).digest())


def _unix_seconds(now) -> int:
    return int(now.timestamp()) if isinstance(now, datetime) else int(now)


def _check_secret(secret):
    if not isinstance(secret, bytes) or len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the link secret must be at least {MIN_SECRET_BYTES} random bytes")


def make_token(secret: bytes, case_ref: str, mediator_id: str, action: str, expires_at: int) -> str:
    _check_secret(secret)
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}")
    if not (isinstance(case_ref, str) and isinstance(mediator_id, str)
            and IDENTIFIER.fullmatch(case_ref) and IDENTIFIER.fullmatch(mediator_id)):
        raise ValueError("case_ref and mediator_id must be plain identifiers")
    payload = json.dumps([TOKEN_VERSION, case_ref, mediator_id, action, int(expires_at)], separators=(",", ":"))
    payload_part = _b64encode(payload.encode("ascii"))
    return f"{payload_part}.{_mac(secret, payload_part)}"


def read_token(secret: bytes, token: str, now) -> tuple[str, str, str]:
    """Returns (case_ref, mediator_id, action); raises InvalidToken. `now` is a datetime or unix seconds."""
    _check_secret(secret)
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        raise InvalidToken("malformed")
    payload_part, dot, mac_part = token.partition(".")
    if not dot or not payload_part or not mac_part:
        raise InvalidToken("malformed")
    # the MAC is checked before the payload is even decoded: tampered input gets no further than this
    if not hmac.compare_digest(_mac(secret, payload_part).encode(), mac_part.encode()):
        raise InvalidToken("bad_signature")
    try:
        version, case_ref, mediator_id, action, expires_at = json.loads(_b64decode(payload_part))
    except (ValueError, TypeError, binascii.Error):
        raise InvalidToken("malformed") from None
    if version != TOKEN_VERSION or action not in ACTIONS or not isinstance(expires_at, int):
        raise InvalidToken("malformed")
    if _unix_seconds(now) >= expires_at:
        raise InvalidToken("expired")
    return case_ref, mediator_id, action


def expires_at_of(token: str) -> int:
    """The expiry (unix seconds) of a token that `read_token` has just accepted; never use it on its own."""
    return int(json.loads(_b64decode(token.partition(".")[0]))[4])
