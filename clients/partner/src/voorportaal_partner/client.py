"""A partner's client for Voorportaal referrals: consume your own queue, ack after handling, reconnect; and tell
Voorportaal where a referral stands (`publish_status`, status.py).

Each message is a CloudEvents 1.0 structured-mode JSON envelope (the AsyncAPI document, docs/asyncapi.yaml in
the Voorportaal repository; README.md of this package). Acks are manual and sent only after your handler
returned, so a crash in your code redelivers the referral rather than losing it. Use the CloudEvents `id` to
ignore a referral you have already handled (delivery is at least once). A `withdrawn` event means: erase
everything you hold under its `subject` (README.md, "Withdrawals").
"""
import json
import ssl
import time

import pika
from pika.exceptions import AMQPConnectionError, AMQPChannelError, ChannelClosedByBroker

from voorportaal_partner import status as _status

# The envelope attributes this client requires, and the optional ones it passes on (AsyncAPI: Referral*Event).
REQUIRED_ATTRIBUTES = ("specversion", "id", "source", "type", "subject", "data")
OPTIONAL_ATTRIBUTES = ("time", "datacontenttype", "correlationid", "traceparent", "tracestate")
# CloudEvents `type` per action; the routing key is `referral.<partner-id>.<action>`.
EVENT_TYPES = {
    "created": "nl.voorportaal.referral.created.v1",
    "updated": "nl.voorportaal.referral.updated.v1",
    "withdrawn": "nl.voorportaal.referral.withdrawn.v1",
}


class InvalidReferral(ValueError):
    pass


def parse_referral(body: bytes) -> dict:
    try:
        event = json.loads(body)
    except ValueError:
        raise InvalidReferral("not JSON") from None
    missing = [name for name in REQUIRED_ATTRIBUTES if name not in event]
    if missing or event.get("specversion") != "1.0":
        raise InvalidReferral(f"not a CloudEvents 1.0 envelope (missing: {', '.join(missing) or 'specversion'})")
    if event["type"] not in EVENT_TYPES.values():
        raise InvalidReferral("unknown event type")
    if not isinstance(event["data"], dict):
        raise InvalidReferral("data is not an object")
    if event["type"] == EVENT_TYPES["withdrawn"] and event["data"].get("withdrawn") is not True:
        raise InvalidReferral("a withdrawal without withdrawn: true")
    return event


def action_of(event: dict) -> str:
    """`created`, `updated` or `withdrawn` for a parsed referral."""
    for action, event_type in EVENT_TYPES.items():
        if event["type"] == event_type:
            return action
    raise InvalidReferral("unknown event type")


def is_withdrawal(event: dict) -> bool:
    """True for `referral.<partner>.withdrawn`: erase everything held under `event["subject"]`."""
    return event["type"] == EVENT_TYPES["withdrawn"]


class PartnerClient:
    def __init__(self, amqp_uri, partner_id, queue=None, prefetch=20, max_backoff=10.0, ca_file=None):
        self.amqp_uri = amqp_uri
        self.ca_file = ca_file
        self.partner_id = partner_id
        self.queue = queue or f"partner.{partner_id}.referrals"
        self.prefetch = prefetch
        self.max_backoff = max_backoff
        self.connection = None
        self._stopping = False

    def _parameters(self):
        """amqps:// is verified against `ca_file` (or the system store) and the broker's host name."""
        parameters = pika.URLParameters(self.amqp_uri)
        if self.amqp_uri.startswith("amqps://"):
            context = ssl.create_default_context(cafile=self.ca_file)
            parameters.ssl_options = pika.SSLOptions(context, server_hostname=parameters.host)
        return parameters

    def publish_status(self, subject, status, outcome=None, event_id=None, time=None) -> dict:
        """Tell Voorportaal where the referral `subject` stands: `status` from STATUSES and, with `answered`
        (optional) or `closed` (required), an `outcome` from OUTCOMES. Returns the CloudEvent as sent (keep its
        `id` to send the same update again safely). Raises InvalidStatus before sending anything that does not fit
        the contract, and pika's ChannelClosedByBroker (403) if your credentials may not publish it."""
        event = _status.status_event(self.partner_id, subject, status, outcome, event_id, time)
        _status.publish_status(self._parameters(), self.amqp_uri, event)
        return event

    def stop(self):
        self._stopping = True
        if self.connection is not None and self.connection.is_open:
            self.connection.add_callback_threadsafe(self._close_channel)

    def _close_channel(self):
        try:
            self.connection.close()
        except Exception:  # noqa: BLE001 - already closing
            pass

    def consume(self, handle, on_invalid=None, max_messages=None, idle_timeout=None):
        """Call `handle(event)` for each referral; ack after it returns. Reconnects until stop().

        `max_messages` / `idle_timeout` (seconds without a message) end the loop; useful for scripts and tests.
        Invalid messages are rejected without requeue (they land in nobody's way) and reported to `on_invalid`.
        """
        handled = 0
        backoff = 0.5
        while not self._stopping:
            try:
                self.connection = pika.BlockingConnection(self._parameters())
                channel = self.connection.channel()
                channel.basic_qos(prefetch_count=self.prefetch)
                backoff = 0.5
                for method, _props, body in channel.consume(self.queue, inactivity_timeout=idle_timeout or 1.0):
                    if self._stopping:
                        break
                    if method is None:
                        if idle_timeout is not None:
                            self._stopping = True
                            break
                        continue
                    try:
                        event = parse_referral(body)
                    except InvalidReferral as exc:
                        channel.basic_reject(method.delivery_tag, requeue=False)
                        if on_invalid:
                            on_invalid(str(exc))
                        continue
                    handle(event)
                    channel.basic_ack(method.delivery_tag)
                    handled += 1
                    if max_messages is not None and handled >= max_messages:
                        self._stopping = True
                        break
                try:
                    channel.cancel()
                    self.connection.close()
                except Exception:  # noqa: BLE001 - the broker may already be gone
                    pass
            except ChannelClosedByBroker as exc:
                if exc.reply_code in (403, 404):
                    raise  # access refused or no such queue: retrying will not help
                time.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
            except (AMQPConnectionError, AMQPChannelError, OSError):
                if self._stopping:
                    break
                time.sleep(backoff)  # broker restarting: wait and reconnect; unacked messages are redelivered
                backoff = min(backoff * 2, self.max_backoff)
        return handled
