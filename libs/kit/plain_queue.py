"""Reading a queue of messages from outside the platform with pika: routing's partner status updates (its
PartnerUpdates entrypoint runs this in a managed thread).

Partner messages are CloudEvents from outside, not the internal envelope nameko's event handlers expect, so they
have a consumer of their own. Each message is acked only after `handle(body, user_id)` returned True (applied,
duplicate or refused: all settled); False or an exception requeues it after a pause (a database outage), and the
queue's delivery limit dead-letters a message that never settles. Reconnects after a broker restart.
"""
import time

import pika
from pika.exceptions import AMQPChannelError, AMQPConnectionError

from libs.kit.amqp_tls import pika_parameters
from libs.kit.logs import get_logger

log = get_logger()
PREFETCH = 10
MAX_BACKOFF_SECONDS = 10.0


class PlainQueue:
    """`declare(channel)` declares the queue (and what it is bound to); `handle(body, user_id)` settles a message."""

    def __init__(self, amqp_uri, queue, declare, handle, sleep=time.sleep):
        self.amqp_uri = amqp_uri
        self.queue = queue
        self.declare_topology = declare
        self.handle = handle
        self.sleep = sleep
        self.stopping = False

    def declare(self):
        connection = pika.BlockingConnection(pika_parameters(self.amqp_uri))
        try:
            self.declare_topology(connection.channel())
        finally:
            connection.close()

    def run(self):
        backoff = 0.5
        while not self.stopping:
            try:
                connection = pika.BlockingConnection(pika_parameters(self.amqp_uri))
            except (AMQPConnectionError, OSError) as exc:
                log.warning("plain_queue.connect_failed", queue=self.queue, error=type(exc).__name__,
                            retry_in_s=backoff)
                self.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            backoff = 0.5
            try:
                self._consume(connection)
            except (AMQPConnectionError, AMQPChannelError, OSError) as exc:
                # unacked messages go back to the queue; the broker redelivers them after we reconnect
                log.warning("plain_queue.connection_lost", queue=self.queue, error=type(exc).__name__)
                self.sleep(backoff)
            finally:
                try:
                    if connection.is_open:
                        connection.close()
                except Exception:  # noqa: BLE001 - the broker may already be gone
                    pass

    def _consume(self, connection):
        channel = connection.channel()
        channel.basic_qos(prefetch_count=PREFETCH)
        for method, properties, body in channel.consume(self.queue, inactivity_timeout=0.5):
            if self.stopping:
                break
            if method is None:
                continue
            settled = False
            try:
                settled = self.handle(body, properties.user_id)
            except Exception as exc:  # noqa: BLE001 - the class only: a message may quote content
                log.error("plain_queue.handler_failed", queue=self.queue, error=type(exc).__name__)
            if settled:
                channel.basic_ack(method.delivery_tag)
            else:
                self.sleep(1.0)
                channel.basic_nack(method.delivery_tag, requeue=True)
        if channel.is_open:
            channel.cancel()
