"""Watching the broker in end-to-end tests: a shadow queue that sees every message crossing any exchange of the
vhost, and waiting until every handler queue is idle."""
import pika
import requests

from support.platform import wait_for
from support.resources import AUTH, MANAGEMENT


class ShadowQueue:
    """A classic, exclusive queue bound to every topic/fanout exchange of the vhost with a catch-all key."""

    def __init__(self, amqp_uri, vhost):
        self.connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
        self.channel = self.connection.channel()
        self.queue = self.channel.queue_declare("", exclusive=True, auto_delete=True,
                                                arguments={"x-max-length": 100_000}).method.queue
        exchanges = requests.get(f"{MANAGEMENT}/exchanges/{vhost}", auth=AUTH, timeout=10).json()
        self.bound, self.seen = [], []
        for exchange in exchanges:
            name, kind = exchange["name"], exchange["type"]
            if not name or name.startswith("amq.") or kind not in ("topic", "fanout"):
                continue
            self.channel.queue_bind(self.queue, name, routing_key="#" if kind == "topic" else "")
            self.bound.append(name)

    def drain(self):
        """Every message since the last drain (also kept in self.seen)."""
        messages = []
        while True:
            method, properties, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                self.seen.extend(messages)
                return messages
            messages.append({"exchange": method.exchange, "routing_key": method.routing_key,
                             "headers": repr(properties.headers), "body": body.decode("utf-8", "replace")})

    def close(self):
        self.connection.close()


def busy_handler_queues(vhost):
    queues = requests.get(f"{MANAGEMENT}/queues/{vhost}", auth=AUTH, timeout=10).json()
    return {q["name"]: (q.get("messages_ready", 0), q.get("messages_unacknowledged", 0)) for q in queues
            if not q["name"].startswith(("partner.", "voorportaal.dead-letters", "amq.")) and not q.get("exclusive")
            and (q.get("messages_ready", 0) or q.get("messages_unacknowledged", 0))}


def wait_until_handler_queues_idle(vhost, what):
    busy = {}

    def idle():
        busy.clear()
        busy.update(busy_handler_queues(vhost))
        return not busy
    try:
        wait_for(idle, timeout=60, interval=1, what=what)
    except AssertionError as timed_out:
        raise AssertionError(f"{timed_out}; still busy (ready, unacked): {busy}") from None
