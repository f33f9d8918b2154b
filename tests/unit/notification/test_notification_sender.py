"""Messages and the sender: links in e-mails, webhook payloads, retry and permanent failure (real SQLite file)."""
import json
import socket
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from services.notification.domain import deliveries as delivery_rules
from services.notification.domain import mediator_messages
from services.notification.domain import signed_links, webhooks
from services.notification.domain.mediators import Mediator
from services.notification.tables import deliveries
from services.notification.use_cases import sender
from services.notification.use_cases.channels import Channels
from services.notification.use_cases.deliveries import queue_message

SECRET = b"l" * 32
LINKS = mediator_messages.Links(secret=SECRET, base_url="https://notify.test", case_base_url="https://desk.test")
NOW = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)
CONTEXT = {"reference": "VP-AB12-CD34", "institution_type": "bank", "issue": "account_refused_or_closed",
           "answer_due": "2026-12-28", "language": "nl", "respond_by": "2026-12-01T17:00+01:00"}


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_request_email_carries_signed_accept_and_decline_links_and_no_content():
    found = mediator_messages.message_links("mediation_request", CONTEXT, "m-1", LINKS, NOW)
    mail = mediator_messages.build_email("mediation_request", CONTEXT, found, "m1@x.test", "desk@x.test", "key-1")
    body = mail.get_content()
    for action in ("accept", "decline"):
        assert found[action] in body
        token = found[action].rsplit("/", 1)[1]
        assert signed_links.read_token(SECRET, token, NOW) == ("VP-AB12-CD34", "m-1", action)
        # valid until the reaction deadline plus a day, not longer
        assert signed_links.expires_at_of(token) == int(datetime(2026, 12, 2, 16, tzinfo=timezone.utc).timestamp())
    assert "/mediator/cases/" not in body  # no service serves a case page: no link to one (it was dead)
    assert mail["Message-ID"] == mediator_messages.build_email("mediation_request", CONTEXT, found, "m1@x.test",
                                                      "desk@x.test", "key-1")["Message-ID"]


@pytest.mark.parametrize("template", sorted(mediator_messages.WEBHOOK_EVENTS))
def test_every_template_renders_and_fits_the_webhook_allow_list(template):
    context = {**CONTEXT, "channel_id": "internal:bank", "due_on": "2026-12-28", "why": "declined"}
    found = mediator_messages.message_links(template, context, "m-1", LINKS, NOW)
    subject, body = mediator_messages.email_text(template, context, found)
    assert "VP-AB12-CD34" in subject and "VP-AB12-CD34" in body
    payload = webhooks.build_payload(mediator_messages.WEBHOOK_EVENTS[template], context, link=found["primary"],
                                     sent_at=NOW.isoformat())
    assert set(payload) <= webhooks.ALLOWED_PAYLOAD_KEYS and "why" not in payload


def test_a_long_idempotency_key_is_hashed_to_fit():
    assert delivery_rules.delivery_key("a", "b") == "a:b"
    long_key = delivery_rules.delivery_key("deadline_due", "VP-AB12-CD34", "x" * 200, "2026-12-28", "m-1")
    assert len(long_key) <= 128 and long_key.startswith("deadline_due:")
    assert long_key == delivery_rules.delivery_key("deadline_due", "VP-AB12-CD34", "x" * 200, "2026-12-28", "m-1")




def run_sender(sessions, mediator, allowlist, now=NOW):
    counted = []
    channels = Channels(smtp={"host": "127.0.0.1", "port": closed_port()}, sender="desk@x.test",
                               links=LINKS, coordinator_email="coordinator@x.test", webhook_secret=b"w" * 32,
                               webhook_allowlist=tuple(allowlist), webhook_timeout=2,
                               webhook_test_loopback_http=True)
    with sessions() as session:
        sender.send_due(session, {mediator.id: mediator}, channels, lambda *args: counted.append(args), now=now)
        rows = session.execute(select(deliveries)).fetchall()
    return rows, counted


def queue(sessions, mediator, key="mediation-request:VP-AB12-CD34:m-1"):
    with sessions() as session:
        assert queue_message(session, key, "VP-AB12-CD34", mediator.id, mediator.channel, "mediation_request",
                             CONTEXT, NOW)
        assert not queue_message(session, key, "VP-AB12-CD34", mediator.id, mediator.channel,
                                 "mediation_request", CONTEXT, NOW)  # the key makes queueing idempotent
        session.commit()


def test_a_webhook_url_off_the_allow_list_fails_permanently_without_a_request(sessions):
    hooked = Mediator("m-1", "M", "m@x.test", ("nl",), webhook_url="http://127.0.0.1:9/elsewhere")
    queue(sessions, hooked)
    rows, counted = run_sender(sessions, hooked, ["http://127.0.0.1:9/hooks"])
    assert [(r.status, r.attempts, r.last_error) for r in rows] == [("failed", 1, "url_not_allow_listed")]
    assert counted == [("webhook", "permanent_failure")]
    assert run_sender(sessions, hooked, [], now=NOW + timedelta(days=1))[1] == []  # never tried again


def test_transient_failures_back_off_exponentially_on_both_channels(sessions):
    port = closed_port()
    hooked = Mediator("m-1", "M", "m@x.test", ("nl",), webhook_url=f"http://127.0.0.1:{port}/hooks/a")
    queue(sessions, hooked)
    rows, counted = run_sender(sessions, hooked, [f"http://127.0.0.1:{port}/hooks"])
    assert [(r.status, r.attempts, r.last_error) for r in rows] == [("pending", 1, "webhook_connection_error")]
    assert counted == [("webhook", "transient_failure")]
    assert rows[0].next_attempt_at.replace(tzinfo=timezone.utc) == NOW + timedelta(seconds=2)
    assert run_sender(sessions, hooked, [f"http://127.0.0.1:{port}/hooks"], now=NOW + timedelta(seconds=1))[1] == []
    rows, _ = run_sender(sessions, hooked, [f"http://127.0.0.1:{port}/hooks"], now=NOW + timedelta(seconds=2))
    assert rows[0].attempts == 2
    assert rows[0].next_attempt_at.replace(tzinfo=timezone.utc) == NOW + timedelta(seconds=2 + 4)

    emailed = Mediator("m-2", "M", "m2@x.test", ("nl",))
    queue(sessions, emailed, key="mediation-request:VP-AB12-CD34:m-2")
    _rows, counted = run_sender(sessions, emailed, [])
    assert ("email", "transient_failure") in counted  # the SMTP port is closed


def test_a_message_for_an_unknown_mediator_is_recorded_as_failed(sessions):
    gone = Mediator("m-gone", "M", "m@x.test", ("nl",))
    queue(sessions, gone, key="mediation-request:VP-AB12-CD34:m-gone")
    with sessions() as session:
        channels = Channels(smtp={}, sender="d@x.test", links=LINKS, coordinator_email="c@x.test")
        sender.send_due(session, {}, channels, lambda *args: None, now=NOW)
        row = session.execute(select(deliveries)).first()
    assert (row.status, row.last_error) == ("failed", "unknown_recipient")
    assert json.loads(row.context)["reference"] == "VP-AB12-CD34"
