"""Webhooks against a real HTTP receiver on 127.0.0.1 that checks every request with `verify`, as a partner would."""
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from services.notification.domain.deliveries import PermanentFailure, TransientFailure
from services.notification.domain.webhooks import (
    IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, ContentNotAllowed, WebhookTarget, assert_no_content,
    build_payload, encode_payload, is_allowed, sign, signed_headers, verify,
)
from services.notification.use_cases.channels.webhook import deliver_webhook
from support.paths import REPO_ROOT

SECRET = b"s" * 32
CANARY = "CANARY-7f3a: my landlord at Keizersgracht 1 threatened me, call me on 0612345678"
PAYLOAD = {"event": "mediation.requested", "reference": "VP-AB12-CD34", "institution_type": "bank",
           "issue": "account_refused_or_closed", "answer_due": "2026-12-01"}


class Receiver:
    """A partner's endpoint: verifies the signature, processes each idempotency key once, can be told to fail."""

    def __init__(self, secret=SECRET):
        self.secret = secret
        self.statuses = []  # answers to give first, one per request; afterwards 200
        self.delay = 0.0
        self.location = None
        self.received = []  # (headers dict, raw body, signature valid)
        self.processed_keys = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                valid = verify(receiver.secret, self.headers, body, now=time.time())
                with receiver._lock:
                    receiver.received.append((dict(self.headers.items()), body, valid))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    if status == 200 and not valid:
                        status = 401
                    key = self.headers.get(IDEMPOTENCY_HEADER)
                    if status == 200 and key not in receiver.processed_keys:
                        receiver.processed_keys.append(key)
                time.sleep(receiver.delay)
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/voorportaal"
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01},
                                        daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def deliver(receiver, payload=PAYLOAD, key="mediation-request:VP-AB12-CD34:m-1", secret=SECRET, **kwargs):
    # the receivers here listen on 127.0.0.1 over plain http: the test-only escape hatch
    kwargs.setdefault("allow_loopback_http", True)
    return deliver_webhook(WebhookTarget(receiver.url, secret), payload, key, now=time.time(),
                           allowlist=[receiver.origin + "/hooks/"], **kwargs)


def test_receiver_verifies_a_delivered_webhook(receiver):
    assert deliver(receiver) == 200
    [(headers, body, valid)] = receiver.received
    assert valid
    assert json.loads(body) == PAYLOAD
    assert headers[SIGNATURE_HEADER].startswith("v1=")
    assert headers[IDEMPOTENCY_HEADER] == "mediation-request:VP-AB12-CD34:m-1"


def test_transient_failures_until_the_receiver_recovers_then_exactly_one_processing(receiver):
    receiver.statuses = [503, 503, 503]
    outcomes = []
    with requests.Session() as session:
        for _attempt in range(10):  # what the sender does across ticks, without the backoff wait
            try:
                outcomes.append(deliver(receiver, session=session))
                break
            except TransientFailure as exc:
                outcomes.append(str(exc))
    assert outcomes == ["webhook_503", "webhook_503", "webhook_503", 200]
    assert [valid for _h, _b, valid in receiver.received] == [True] * 4
    assert {headers[IDEMPOTENCY_HEADER] for headers, _b, _v in receiver.received} == {
        "mediation-request:VP-AB12-CD34:m-1"}
    assert receiver.processed_keys == ["mediation-request:VP-AB12-CD34:m-1"]


@pytest.mark.parametrize("status, failure", [
    (400, PermanentFailure), (404, PermanentFailure), (410, PermanentFailure), (422, PermanentFailure),
    (408, TransientFailure), (429, TransientFailure), (500, TransientFailure), (502, TransientFailure),
])
def test_status_codes_are_classified_like_email(receiver, status, failure):
    receiver.statuses = [status]
    with pytest.raises(failure, match=f"webhook_{status}"):
        deliver(receiver)


def test_wrong_secret_is_refused_by_the_receiver_and_is_permanent(receiver):
    with pytest.raises(PermanentFailure, match="webhook_401"):
        deliver(receiver, secret=b"w" * 32)
    assert receiver.received[0][2] is False
    assert receiver.processed_keys == []


def test_not_allow_listed_url_fails_permanently_without_any_request(receiver):
    class NoNetwork:
        def post(self, *_args, **_kwargs):
            raise AssertionError("a request was made to a URL that is not allow-listed")

    https_twin = receiver.origin.replace("http://", "https://")
    for allowlist in ([], ["http://127.0.0.1:1/"], [receiver.origin + "/other/"], [https_twin]):
        with pytest.raises(PermanentFailure, match="url_not_allow_listed"):
            deliver_webhook(WebhookTarget(receiver.url, SECRET), PAYLOAD, "k", now=time.time(),
                            allowlist=allowlist, session=NoNetwork(), allow_loopback_http=True)
    with pytest.raises(PermanentFailure, match="url_not_allow_listed"):
        deliver_webhook(WebhookTarget(receiver.url, SECRET), PAYLOAD, "k", now=time.time(), allowlist=[])
    assert receiver.received == []


def test_an_idempotency_key_that_cannot_be_a_header_fails_permanently_without_a_request(receiver):
    for key in ("", "two\nlines", "trailing\n", "k" * 129, "sp ace", "ké"):
        with pytest.raises(PermanentFailure, match="bad_idempotency_key"):
            deliver(receiver, key=key)
    assert receiver.received == []


def test_redirects_are_not_followed(receiver):
    with Receiver() as elsewhere:
        receiver.statuses = [307]
        receiver.location = elsewhere.url
        with pytest.raises(PermanentFailure, match="webhook_redirect_307"):
            deliver(receiver)
        assert elsewhere.received == []


def test_slow_receiver_and_closed_port_are_transient(receiver):
    receiver.delay = 0.5
    with pytest.raises(TransientFailure, match="webhook_timeout"):
        deliver(receiver, timeout=0.2)
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{closed_port}/hooks"
    with pytest.raises(TransientFailure, match="webhook_connection_error"):
        deliver_webhook(WebhookTarget(url, SECRET), PAYLOAD, "k", now=time.time(), allowlist=[url],
                        allow_loopback_http=True)


def test_replayed_request_is_rejected_once_older_than_the_window(receiver):
    deliver(receiver)
    headers, body, _valid = receiver.received[0]
    sent_at = int(headers[TIMESTAMP_HEADER])
    assert verify(SECRET, headers, body, now=sent_at + 299)
    assert not verify(SECRET, headers, body, now=sent_at + 301)
    assert not verify(SECRET, headers, body, now=sent_at - 301)  # a timestamp from the future is no better
    assert verify(SECRET, headers, body, now=sent_at + 1000, replay_window=1200)
    # moving the timestamp forward to dodge the window breaks the signature
    assert not verify(SECRET, {**headers, TIMESTAMP_HEADER: str(sent_at + 600)}, body, now=sent_at + 600)


def test_tampered_requests_are_rejected():
    body = encode_payload(PAYLOAD)
    headers = signed_headers(SECRET, 1_800_000_000, body, "k")
    now = 1_800_000_010
    assert verify(SECRET, headers, body, now)
    assert verify(SECRET, {name.lower(): value for name, value in headers.items()}, body, now)
    assert not verify(SECRET, headers, body.replace(b"bank", b"police"), now)
    assert not verify(SECRET, headers, body + b" ", now)
    assert not verify(b"x" * 32, headers, body, now)
    forged = "v1=" + sign(b"x" * 32, 1_800_000_000, body)
    assert not verify(SECRET, {**headers, SIGNATURE_HEADER: forged}, body, now)
    for broken in ({**headers, SIGNATURE_HEADER: ""}, {**headers, SIGNATURE_HEADER: "v0=" + headers[
            SIGNATURE_HEADER][3:]}, {**headers, TIMESTAMP_HEADER: "1.8e9"}, {**headers, TIMESTAMP_HEADER: "-5"},
            {**headers, SIGNATURE_HEADER: "v1=é"}, {SIGNATURE_HEADER: headers[SIGNATURE_HEADER]}):
        assert not verify(SECRET, broken, body, now)
    # a second signature in the header (secret rotation) does not stop the valid one from counting
    assert verify(SECRET, {**headers, SIGNATURE_HEADER: forged + "," + headers[SIGNATURE_HEADER]}, body, now)


def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    import hashlib
    import hmac
    assert sign(b"k" * 16, 42, b"{}") == hmac.new(b"k" * 16, b"42.{}", hashlib.sha256).hexdigest()


def test_canary_never_travels(receiver):
    context = {**PAYLOAD, "description": CANARY, "contact_email": "person@example.test"}
    payload = build_payload("mediation.requested", context, link="https://desk.example/m/abc")
    assert CANARY not in json.dumps(payload) and "person@" not in json.dumps(payload)
    deliver(receiver, payload=payload)
    assert all(CANARY.encode() not in body for _h, body, _v in receiver.received)
    for smuggled in ({**PAYLOAD, "description": CANARY}, {**PAYLOAD, "issue": {"text": CANARY}},
                     {**PAYLOAD, "issue": CANARY * 10}, ["not", "a", "dict"]):
        with pytest.raises(ContentNotAllowed) as caught:
            assert_no_content(smuggled)
        assert CANARY not in str(caught.value)
        with pytest.raises(PermanentFailure, match="payload_not_allowed"):
            deliver(receiver, payload=smuggled)
    assert len(receiver.received) == 1  # only the clean payload was ever sent


@pytest.mark.parametrize("url, allowed", [
    ("https://partner.example/hooks/voorportaal", True),
    ("https://PARTNER.example:443/hooks/x?y=1", True),
    ("https://partner.example/hooks", True),
    ("https://partner.example/hooksevil", False),
    ("https://partner.example/other", False),
    ("https://partner.example/hooks/../admin", False),
    ("https://partner.example/hooks/%2e%2e/admin", False),
    ("http://partner.example/hooks/x", False),  # scheme differs
    ("https://partner.example:8443/hooks/x", False),  # port differs
    ("https://partner.example.evil.test/hooks/x", False),
    ("https://evil.test/hooks/x#partner.example", False),
    ("https://partner.example@evil.test/hooks/x", False),
    ("https://user:pw@partner.example/hooks/x", False),
    ("https://partner.example\\@evil.test/hooks/x", False),
    ("https://partner.example/hooks/x\n", False),
    ("ftp://partner.example/hooks/x", False),
    ("file:///etc/passwd", False),
    ("https://partner.example:99999/hooks/x", False),
    ("//partner.example/hooks/x", False),
    ("https://partner.example/hooks/..%2fadmin", False),
    ("https://partner.example/hooks/%2e%2e%2fadmin", False),
    ("https://partner.example/hooks/%2Fadmin", False),
    ("https://partner.example/hooks/x%5c..%5cadmin", False),
    ("https://partner.example/hooks/a..b", False),
    ("http://127.0.0.1:8080/", True),
    ("http://127.0.0.1:8080/anything", True),
    ("http://127.0.0.1:8081/", False),
    ("http://localhost:8080/", False),  # the same machine, but not what was allow-listed
])
def test_allow_list_matches_scheme_host_port_and_path_prefix_exactly(url, allowed):
    assert is_allowed(url, ["https://partner.example/hooks/", "http://127.0.0.1:8080"],
                      allow_loopback_http=True) is allowed


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/", "http://partner.example/hooks/x"])
def test_plain_http_is_refused_without_the_test_only_escape_hatch(url):
    allowlist = ["http://127.0.0.1:8080", "http://partner.example/hooks/"]
    assert not is_allowed(url, allowlist)
    # the escape hatch opens plain http to loopback only, never to a named host
    assert is_allowed(url, allowlist, allow_loopback_http=True) is url.startswith("http://127.")


def test_target_secret_is_not_shown_and_must_be_long_enough():
    assert "s" * 32 not in repr(WebhookTarget("https://partner.example/hooks", SECRET))
    with pytest.raises(ValueError):
        WebhookTarget("https://partner.example/hooks", b"short")


def test_receiver_snippet_in_the_docs_verifies_our_requests():
    """The stdlib-only snippet partners copy from docs/notification.md must agree with what we send."""
    from pathlib import Path
    docs = (REPO_ROOT / "docs" / "notification.md").read_text()
    snippet = docs.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(compile(snippet, "docs/notification.md", "exec"), namespace)
    receiver_verify = namespace["verify_voorportaal_webhook"]
    body = encode_payload(PAYLOAD)
    headers = signed_headers(SECRET, 1_800_000_000, body, "k")
    assert receiver_verify(SECRET, headers, body, now=1_800_000_100)
    assert not receiver_verify(SECRET, headers, body, now=1_800_000_301)
    assert not receiver_verify(SECRET, headers, body.replace(b"bank", b"police"), now=1_800_000_100)
    assert not receiver_verify(b"x" * 32, headers, body, now=1_800_000_100)
    assert receiver_verify(SECRET, headers, body) is (abs(time.time() - 1_800_000_000) <= 300)


# -- one secret per receiver, Standard Webhooks ------------------------------------------------------------------

def test_a_signature_made_with_receiver_a_secret_fails_for_receiver_b():
    from standardwebhooks import Webhook, WebhookVerificationError

    from services.notification.domain.webhooks import receiver_secret
    master = b"m" * 32
    secret_a, secret_b = receiver_secret(master, "med-a"), receiver_secret(master, "med-b")
    assert secret_a != secret_b and master not in (secret_a, secret_b)
    body = encode_payload(PAYLOAD)
    now = int(time.time())
    forged_by_a = signed_headers(secret_a, now, body, "mediation-request:VP-AB12-CD34:med-b")
    with pytest.raises(WebhookVerificationError):
        Webhook(secret_b).verify(body, forged_by_a)
    assert not verify(secret_b, forged_by_a, body, now)  # the transition headers say the same
    genuine = signed_headers(secret_b, now, body, "mediation-request:VP-AB12-CD34:med-b")
    assert Webhook(secret_b).verify(body, genuine) == PAYLOAD


def test_the_standardwebhooks_library_verifies_our_headers_and_their_id(receiver):
    from standardwebhooks import Webhook, WebhookVerificationError

    from services.notification.domain.webhooks import standard_secret_text
    deliver(receiver)
    [(headers, body, _valid)] = receiver.received
    assert headers["webhook-id"] == "mediation-request:VP-AB12-CD34:m-1"
    # the receiver configures the secret as we print it (`voorportaal-mediators webhook-secret`)
    assert Webhook(standard_secret_text(SECRET)).verify(body, headers) == PAYLOAD
    # the id is signed: another delivery's key (a replay under another idempotency key) does not verify
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body, {**headers, "webhook-id": "mediation-request:VP-AB12-CD34:m-2"})
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body.replace(b"bank", b"police"), headers)


def test_the_sender_signs_with_the_receivers_own_secret(receiver, tmp_path):
    """deliver() in the sender derives the mediator's key from the master secret: B's receiver refuses a message
    signed for A, and accepts its own."""
    from services.notification.domain.webhooks import receiver_secret
    master = b"m" * 32
    receiver.secret = receiver_secret(master, "med-b")
    with pytest.raises(PermanentFailure, match="webhook_401"):
        deliver(receiver, secret=receiver_secret(master, "med-a"))
    assert deliver(receiver, secret=receiver_secret(master, "med-b")) == 200


# -- egress: resolved addresses, pinning, the environment ----------------------------------------------------------

@pytest.mark.parametrize("address, allowed", [
    ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True),
    ("10.0.0.5", False), ("172.16.3.4", False), ("192.168.1.1", False), ("127.0.0.1", False), ("::1", False),
    ("169.254.169.254", False), ("fe80::1%eth0", False), ("100.64.0.1", False), ("0.0.0.0", False),
    ("224.0.0.1", False), ("240.0.0.1", False), ("::ffff:10.0.0.1", False), ("::ffff:127.0.0.1", False),
    ("fc00::1", False), ("not-an-ip", False),
])
def test_only_public_addresses_may_be_reached(address, allowed):
    from services.notification.domain.egress import address_allowed
    assert address_allowed(address) is allowed


def test_the_escape_hatch_lets_loopback_through_and_nothing_else():
    from services.notification.domain.egress import address_allowed
    assert address_allowed("127.0.0.1", allow_loopback=True) and address_allowed("::1", allow_loopback=True)
    assert not address_allowed("10.0.0.5", allow_loopback=True)
    assert not address_allowed("169.254.169.254", allow_loopback=True)


class NoNetwork:
    def post(self, *_args, **_kwargs):
        raise AssertionError("a request was made")


@pytest.mark.parametrize("answers", [["10.1.2.3"], ["93.184.216.34", "169.254.169.254"], ["127.0.0.1"], []])
def test_an_allow_listed_name_that_resolves_inside_is_refused_without_a_request(answers):
    """A DNS change aims partner.example at an internal address: refused, permanently, before any connection."""
    url = "https://partner.example/hooks/x"
    with pytest.raises(PermanentFailure, match="webhook_address_not_allowed"):
        deliver_webhook(WebhookTarget(url, SECRET), PAYLOAD, "k", now=time.time(), allowlist=[url],
                        session=NoNetwork(), resolver=lambda host, port: answers)


def test_the_connection_goes_to_the_checked_address_with_the_host_name(receiver):
    """The host name is resolved once (by our resolver) and the request goes to that address, naming the host:
    `receiver.invalid` has no DNS record, so only the pinned address can have reached the receiver."""
    asked = []
    port = receiver.server.server_port
    url = f"http://receiver.invalid:{port}/hooks/x"

    def resolver(host, wanted_port):
        asked.append((host, wanted_port))
        return ["127.0.0.1"]

    # the escape hatch allows http only to a loopback *host*; a named host must be https
    with pytest.raises(PermanentFailure, match="url_not_allow_listed"):
        deliver_webhook(WebhookTarget(url, SECRET), PAYLOAD, "k", now=time.time(), allowlist=[url],
                        allow_loopback_http=True, resolver=resolver)
    loopback_url = receiver.url
    assert deliver_webhook(WebhookTarget(loopback_url, SECRET), PAYLOAD, "k", now=time.time(),
                           allowlist=[loopback_url], allow_loopback_http=True, resolver=resolver) == 200
    assert asked == [("127.0.0.1", port)]
    assert receiver.received[0][0]["Host"] == f"127.0.0.1:{port}"


def test_https_is_pinned_to_the_address_and_checks_the_certificate_for_the_host_name():
    from services.notification.use_cases.channels.pinned_http import pinned_request, pinned_session
    url, host = pinned_request("https://partner.example:8443/hooks/x?y=1", "93.184.216.34")
    assert (url, host) == ("https://93.184.216.34:8443/hooks/x?y=1", "partner.example:8443")
    assert pinned_request("https://partner.example/hooks", "2606:2800::1")[0] == "https://[2606:2800::1]/hooks"
    session = pinned_session("https://partner.example/hooks")
    adapter = session.get_adapter("https://93.184.216.34/hooks")
    assert adapter.poolmanager.connection_pool_kw["server_hostname"] == "partner.example"
    assert adapter.poolmanager.connection_pool_kw["assert_hostname"] == "partner.example"
    assert session.trust_env is False


def test_proxy_variables_and_netrc_are_ignored(receiver, tmp_path, monkeypatch):
    """A proxy in the environment would see every webhook (and could answer for the receiver); a .netrc would
    add someone's credentials. Neither is used."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_proxy = f"http://127.0.0.1:{probe.getsockname()[1]}"
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, dead_proxy)
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password CANARY-netrc\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert deliver(receiver) == 200
    headers = receiver.received[0][0]
    assert "Authorization" not in headers and "authorization" not in {k.lower() for k in headers}
