"""Telling Voorportaal where a referral stands at your organisation: a status update about one referral.

A status from a fixed list and, with `answered` (optional) or `closed` (required), an outcome code from a fixed
list. There is no field for free text on purpose: nothing you write about the person travels back. The update is a
CloudEvents 1.0 structured-mode message (docs/asyncapi.yaml, `PartnerStatusUpdatedEvent`) published to
`voorportaal.partner-updates.v1` with the routing key `partner.<your partner id>.<status>`, persistent, with
publisher confirms, and with the AMQP `user_id` property set to your broker user (the broker checks it). Your
credentials can publish nothing else; Voorportaal applies an update once per `id` and refuses (and counts) an update
about a `subject` it did not give you.
"""
import json
import re
import uuid
from datetime import datetime, timezone
from urllib.parse import unquote, urlparse

import pika

UPDATES_EXCHANGE = "voorportaal.partner-updates.v1"
STATUS_TYPE = "nl.voorportaal.partner.status_updated.v1"
STATUSES = ("received", "in_handling", "information_needed", "answered", "closed")
OUTCOMES = ("upheld", "partly_upheld", "not_upheld", "settled", "not_admissible", "not_competent",
            "withdrawn_by_person", "no_response")
STATUSES_WITH_OUTCOME = ("answered", "closed")
SUBJECT = re.compile(r"^[0-9a-f]{32}$")
PARTNER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
EVENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class InvalidStatus(ValueError):
    pass


def status_event(partner_id, subject, status, outcome=None, event_id=None, time=None) -> dict:
    """The CloudEvent for one status update, checked against the contract before anything is sent."""
    if not PARTNER_ID.match(partner_id or ""):
        raise InvalidStatus("partner id: lowercase letters, digits and dashes")
    if not SUBJECT.match(subject or ""):
        raise InvalidStatus("subject: the 32 hex characters of the referral's `subject`, as you received it")
    if status not in STATUSES:
        raise InvalidStatus(f"status: one of {', '.join(STATUSES)}")
    if outcome is not None and outcome not in OUTCOMES:
        raise InvalidStatus(f"outcome: one of {', '.join(OUTCOMES)}")
    if outcome is not None and status not in STATUSES_WITH_OUTCOME:
        raise InvalidStatus("an outcome goes only with answered or closed")
    if status == "closed" and outcome is None:
        raise InvalidStatus("closed needs an outcome")
    event_id = event_id or str(uuid.uuid4())
    if not EVENT_ID.match(event_id):
        raise InvalidStatus("id: up to 64 letters, digits, '.', '_', ':' or '-'")
    time = time or datetime.now(timezone.utc)
    if time.tzinfo is None:
        raise InvalidStatus("time needs a time zone")
    return {"specversion": "1.0", "id": event_id, "source": f"urn:voorportaal:partner:{partner_id}",
            "type": STATUS_TYPE, "time": time.isoformat(), "datacontenttype": "application/json",
            "subject": subject, "data": {"status": status, "outcome": outcome}}


def broker_user(amqp_uri) -> str:
    """The user name in the AMQP URI: what the broker checks `user_id` against."""
    user = unquote(urlparse(amqp_uri).username or "")
    if not user:
        raise InvalidStatus("the AMQP URI names no user")
    return user


def publish_status(parameters, amqp_uri, event) -> None:
    """Publish one status event and wait for the broker's confirm. Raises pika's ChannelClosedByBroker (403) when
    your credentials may not publish it (another partner's routing key) and UnroutableError when nothing took it."""
    connection = pika.BlockingConnection(parameters)
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        partner_id = event["source"].rsplit(":", 1)[-1]
        channel.basic_publish(
            UPDATES_EXCHANGE, f"partner.{partner_id}.{event['data']['status']}",
            json.dumps(event, separators=(",", ":")).encode(),
            pika.BasicProperties(content_type="application/cloudevents+json", delivery_mode=2,
                                 message_id=event["id"], user_id=broker_user(amqp_uri)),
            mandatory=True)
    finally:
        if connection.is_open:
            connection.close()
