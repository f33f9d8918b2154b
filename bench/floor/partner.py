"""The floor's partner: a bare pika consumer on the partner queue, with PartnerTap's bookkeeping (the benchmark's
phases wait on it in the same way). The floor sends the reference itself as the subject."""
import json
import threading

import pika

from floor import store
from partner_tap import PartnerTap


class FloorPartner(PartnerTap):
    def __init__(self, amqp_uri, prefetch=500):  # noqa: super().__init__ would build a PartnerClient
        self.amqp_uri, self.prefetch = amqp_uri, prefetch
        self.partner_id = "floor"
        self.stopping = threading.Event()
        self._init_bookkeeping()

    def subject(self, reference):
        return reference

    def _run(self):
        try:
            connection = pika.BlockingConnection(pika.URLParameters(self.amqp_uri))
            channel = connection.channel()
            channel.queue_declare(store.PARTNER_QUEUE, durable=True, arguments=store.QUORUM)
            channel.basic_qos(prefetch_count=self.prefetch)
            for method, _properties, body in channel.consume(store.PARTNER_QUEUE, inactivity_timeout=0.5):
                if self.stopping.is_set():
                    break
                if method is None:
                    continue
                self._handle(json.loads(body))
                channel.basic_ack(method.delivery_tag)
            channel.cancel()
            connection.close()
        except Exception as exc:  # noqa: BLE001 - reported by the phase that waits on the tap
            self.error = exc

    def stop(self):
        self.stopping.set()
        self.thread.join(10)
