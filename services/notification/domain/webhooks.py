"""HMAC-signed webhooks to allow-listed URLs: the signature, the allow-list and the payload (plain Python). The
POST itself is use_cases/channels/webhook.py; the sender decides when to retry.

Every receiver has a secret of its own (`receiver_secret`: derived from NOTIFICATION_WEBHOOK_SECRET and the
mediator's id), so receiver A, who knows its own secret, cannot sign a message that receiver B would accept.

The scheme is Standard Webhooks (https://www.standardwebhooks.com/, signed with the maintained `standardwebhooks`
library), documented for receivers in docs/notification.md:

    webhook-id: <the delivery's idempotency key; the same on every retry>
    webhook-timestamp: <unix seconds>
    webhook-signature: v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>." + raw body)>

During the transition the old headers travel too, signed with the same per-receiver secret:

    Voorportaal-Timestamp: <unix seconds>
    Voorportaal-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>
    Voorportaal-Idempotency-Key: <the delivery's key>

(The old signature does not cover the idempotency key; the Standard Webhooks one does.) Signing the timestamp
together with the body lets a receiver refuse replays. Each retry is signed afresh with a new timestamp.

Why an allow-list and no redirects: a webhook URL is an outgoing request from inside our network (SSRF, OWASP
API7). Only admin-configured origins are contacted, and a redirect could point anywhere, so none is followed.
Why the payload allow-list: a webhook leaves the desk, so it carries the reference, categories, a date and a link;
never the complaint text or the person's contact details (docs/privacy.md).
"""
import base64
import hashlib
import hmac
import ipaddress
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

from standardwebhooks import Webhook

TIMESTAMP_HEADER = "Voorportaal-Timestamp"
SIGNATURE_HEADER = "Voorportaal-Signature"
IDEMPOTENCY_HEADER = "Voorportaal-Idempotency-Key"
SIGNATURE_VERSION = "v1"
STANDARD_ID_HEADER = "webhook-id"
STANDARD_TIMESTAMP_HEADER = "webhook-timestamp"
STANDARD_SIGNATURE_HEADER = "webhook-signature"
RECEIVER_SECRET_LABEL = b"voorportaal-webhook-receiver:"
DEFAULT_REPLAY_WINDOW = 300

ALLOWED_PAYLOAD_KEYS = frozenset({
    "reference", "event", "institution_type", "issue", "answer_due", "link", "language", "sent_at",
})
# Longer than any reference, category, date or signed link we produce; a longer string is almost surely content.
MAX_VALUE_LENGTH = 300
MIN_SECRET_BYTES = 16
# printable ASCII without spaces, and no longer than notification_deliveries.idempotency_key
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,128}")


class ContentNotAllowed(ValueError):
    """A payload carries a field (or a value) a webhook may not carry. A programming error, not bad luck."""


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    secret: bytes = field(repr=False)  # never in a log line or a traceback

    def __post_init__(self):
        if not isinstance(self.secret, bytes) or len(self.secret) < MIN_SECRET_BYTES:
            raise ValueError(f"a webhook secret must be at least {MIN_SECRET_BYTES} random bytes")


def receiver_secret(master: bytes, receiver_id: str) -> bytes:
    """The secret of one receiver: HMAC-SHA256(master, label + receiver id). One master secret in the secrets store,
    a different key per receiver, and a receiver's key tells nothing about another's."""
    if not isinstance(master, bytes) or len(master) < MIN_SECRET_BYTES:
        raise ValueError(f"the webhook master secret must be at least {MIN_SECRET_BYTES} bytes")
    if not receiver_id:
        raise ValueError("a receiver id is needed")
    return hmac.new(master, RECEIVER_SECRET_LABEL + receiver_id.encode(), hashlib.sha256).digest()


def standard_secret_text(secret: bytes) -> str:
    """The secret as Standard Webhooks libraries take it (`whsec_<base64>`): what we give the receiver."""
    return "whsec_" + base64.b64encode(secret).decode("ascii")


def unix_seconds(now) -> int:
    return int(now.timestamp()) if isinstance(now, datetime) else int(now)


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(secret, f"{int(timestamp)}.".encode() + body, hashlib.sha256).hexdigest()


def standard_signature(secret: bytes, idempotency_key: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64>` over "<id>.<timestamp>.<body>", computed by the standardwebhooks library itself."""
    return Webhook(secret).sign(idempotency_key, datetime.fromtimestamp(int(timestamp), timezone.utc), body)


def signed_headers(secret: bytes, timestamp: int, body: bytes, idempotency_key: str) -> dict:
    return {
        STANDARD_ID_HEADER: idempotency_key,
        STANDARD_TIMESTAMP_HEADER: str(int(timestamp)),
        STANDARD_SIGNATURE_HEADER: standard_signature(secret, idempotency_key, timestamp, body),
        # the old scheme, kept during the transition (docs/notification.md, "Webhooks")
        TIMESTAMP_HEADER: str(int(timestamp)),
        SIGNATURE_HEADER: f"{SIGNATURE_VERSION}={sign(secret, timestamp, body)}",
        IDEMPOTENCY_HEADER: idempotency_key,
    }


def verify(secret: bytes, headers, body: bytes, now, replay_window: int = DEFAULT_REPLAY_WINDOW) -> bool:
    """For receivers: True only for an authentic request signed within `replay_window` seconds of `now`.

    `headers` is any mapping with .items() (a dict, http.server's headers, a WSGI/Flask headers object); names
    are matched case-insensitively. `body` must be the raw bytes as received, before any JSON parsing.
    Timestamps too far in the future are refused as well: a skewed or forged clock must not stretch the window.
    """
    lowered = {str(name).lower(): value for name, value in headers.items()}
    timestamp_text = lowered.get(TIMESTAMP_HEADER.lower(), "")
    # at most 12 digits (Unix seconds until the year 33658): a huge number must be refused, not converted
    if not (isinstance(timestamp_text, str) and timestamp_text.isascii() and timestamp_text.isdigit()
            and len(timestamp_text) <= 12):
        return False
    timestamp = int(timestamp_text)
    if abs(unix_seconds(now) - timestamp) > replay_window:
        return False
    expected = sign(secret, timestamp, body).encode()
    # one header may carry several signatures (e.g. during a secret rotation); any valid v1 one is enough
    for part in str(lowered.get(SIGNATURE_HEADER.lower(), "")).split(","):
        version, _, provided = part.strip().partition("=")
        if version == SIGNATURE_VERSION and provided.isascii() and hmac.compare_digest(provided.encode(), expected):
            return True
    return False


# encoded slashes, backslashes and dots: a receiving server may decode them after our prefix check ("..%2f")
ENCODED_SEPARATORS = ("%2f", "%5c", "%2e")


def is_loopback_host(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _origin_and_path(url: str):
    """(scheme, host, port, path) of a plain http(s) URL, or None for anything we refuse to contact."""
    if not isinstance(url, str) or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in url):
        return None  # urlsplit silently drops some of these; another parser might not: refuse the ambiguity
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or "@" in parts.netloc or not parts.hostname:
        return None  # userinfo ("https://allowed@evil/") is the classic way to confuse an allow-list
    segments = parts.path.split("/")
    lowered = parts.path.lower()
    if any(segment in (".", "..") for segment in segments) or ".." in parts.path or any(
            encoded in lowered for encoded in ENCODED_SEPARATORS):
        return None  # dot segments or encoded separators could climb out of an allowed prefix on the receiver
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80), parts.path or "/"


def is_allowed(url: str, allowlist: list[str], allow_loopback_http: bool = False) -> bool:
    """True if `url` is https, has exactly the scheme, host and port of an allow-list entry and lies under its path.

    `allow_loopback_http` is the test-only escape hatch (NOTIFICATION_WEBHOOK_TEST_LOOPBACK_HTTP): plain http to a
    loopback host, for the receivers the test suites run on 127.0.0.1. Never set in production.
    """
    target = _origin_and_path(url)
    if target is None:
        return False
    if target[0] != "https" and not (allow_loopback_http and is_loopback_host(target[1])):
        return False
    for entry in allowlist:
        allowed = _origin_and_path(entry)
        if allowed is None or allowed[:3] != target[:3]:
            continue
        prefix = allowed[3].rstrip("/")
        if not prefix or target[3] == prefix or target[3].startswith(prefix + "/"):
            return True
    return False


def assert_no_content(payload: dict) -> None:
    """Raise ContentNotAllowed unless the payload is flat, short and uses only the allowed keys.

    The messages name keys, never values: a value might be exactly the text we are keeping out.
    """
    if not isinstance(payload, dict):
        raise ContentNotAllowed("a webhook payload must be a flat dict")
    extra = sorted(str(key)[:40] for key in payload if key not in ALLOWED_PAYLOAD_KEYS)
    if extra:
        raise ContentNotAllowed(f"fields not allowed in a webhook: {', '.join(extra)}")
    for key, value in payload.items():
        if value is not None and not isinstance(value, (str, int, float, date)):
            raise ContentNotAllowed(f"field {key} must be a single value, not a structure")
        if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            raise ContentNotAllowed(f"field {key} is longer than a reference, category, date or link can be")


def build_payload(event: str, context: dict, link: str | None = None, sent_at=None) -> dict:
    """A webhook payload from a delivery's context (notification_deliveries.context): allowed keys are *picked*,
    so a field someone adds to the context later does not travel by default."""
    picked = {key: context[key] for key in ("reference", "institution_type", "issue", "answer_due", "language")
              if context.get(key) is not None}
    extras = {"link": link, "sent_at": sent_at}
    payload = {"event": event, **picked, **{key: value for key, value in extras.items() if value is not None}}
    assert_no_content(payload)
    return payload


def encode_payload(payload: dict) -> bytes:
    """Compact JSON with sorted keys: the exact bytes that are signed and sent."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=lambda value: value.isoformat()).encode("utf-8")
