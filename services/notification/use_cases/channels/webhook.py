"""POST a signed webhook to an allow-listed URL and read the answer's status: the network part of
domain/webhooks.py, which signs and checks the URL and the payload. Raises the delivery queue's two failure
classes. The host is resolved once, its addresses checked (domain/egress.py) and the connection pinned to the
checked address (pinned_http.py)."""
from urllib.parse import urlsplit

from services.notification.domain.deliveries import PermanentFailure, TransientFailure
from services.notification.domain.webhooks import (
    IDEMPOTENCY_KEY, ContentNotAllowed, WebhookTarget, assert_no_content, encode_payload, is_allowed,
    signed_headers, unix_seconds,
)
from services.notification.use_cases.channels.pinned_http import (
    AddressNotAllowed, pinned_request, pinned_session, resolve_checked, system_resolver,
)

# Answers the sender retries: the receiver timed out or asked us to slow down.
RETRYABLE_CLIENT_STATUSES = (408, 429)


def deliver_webhook(target: WebhookTarget, payload: dict, idempotency_key: str, now, timeout: float = 5,
                    session=None, *, allowlist: list[str], allow_loopback_http: bool = False,
                    resolver=system_resolver) -> int:
    """POST the signed payload; returns the 2xx status. Raises PermanentFailure or TransientFailure.

    `now` is a datetime or unix seconds (the signing time). `allowlist` is required on purpose: there is no
    default that could let an unchecked URL through. `allow_loopback_http` is the test-only escape hatch
    (plain http to a loopback receiver; NOTIFICATION_WEBHOOK_TEST_LOOPBACK_HTTP). `session` (tests) replaces the
    pinned session. Failure messages are short codes (they end up in notification_deliveries.last_error) and
    never contain the URL, the payload or the receiver's answer.
    """
    try:
        assert_no_content(payload)
    except ContentNotAllowed:
        raise PermanentFailure("payload_not_allowed") from None
    if not is_allowed(target.url, allowlist, allow_loopback_http=allow_loopback_http):
        raise PermanentFailure("url_not_allow_listed")
    if not (isinstance(idempotency_key, str) and IDEMPOTENCY_KEY.fullmatch(idempotency_key)):
        raise PermanentFailure("bad_idempotency_key")  # it goes into a header: printable ASCII, one line
    parts = urlsplit(target.url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        address = resolve_checked(parts.hostname, port, allow_loopback_http, resolver)
    except AddressNotAllowed as refused:
        # a DNS failure may pass; an internal address is a configuration or an attack, not bad luck
        failure = TransientFailure if str(refused) == "webhook_dns_error" else PermanentFailure
        raise failure(str(refused)) from None
    url, host_header = pinned_request(target.url, address)
    body = encode_payload(payload)
    headers = {"Content-Type": "application/json", "User-Agent": "Voorportaal-Webhook/1", "Host": host_header,
               **signed_headers(target.secret, unix_seconds(now), body, idempotency_key)}
    # imported here, on the first webhook, not at start: requests and its dependencies cost notification about
    # 12 MB of resident memory, and a desk whose mediators all use e-mail never needs them (idle target 400 MB)
    import requests

    http = session or pinned_session(target.url)
    try:
        # stream=True: the receiver's answer is untrusted (OWASP API10); we read its status line, not its body
        with http.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False,
                       stream=True) as response:
            status = response.status_code
    except requests.Timeout:
        raise TransientFailure("webhook_timeout") from None
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
        raise TransientFailure("webhook_connection_error") from None
    except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
            requests.exceptions.MissingSchema):
        raise PermanentFailure("webhook_invalid_url") from None
    except requests.RequestException as exc:
        raise TransientFailure(f"webhook_{type(exc).__name__}"[:64]) from None
    finally:
        if session is None:
            http.close()
    return _classify(status)


def _classify(status: int) -> int:
    if 200 <= status < 300:
        return status
    if 300 <= status < 400:
        raise PermanentFailure(f"webhook_redirect_{status}")  # an allow-listed receiver does not move
    if status in RETRYABLE_CLIENT_STATUSES or status >= 500:
        raise TransientFailure(f"webhook_{status}")
    raise PermanentFailure(f"webhook_{status}")
