"""The floor's relay: both outboxes (intake's and the consumer's, or routing's in the same-topology floor), one
thread each, in one process (`python bench/floor/relay.py`; env AMQP_URI, FLOOR_DATABASE_URL). Per batch, one
transaction: take up to 100 rows (FOR UPDATE SKIP LOCKED), publish each with publisher confirms, persistent and
mandatory, delete the confirmed ones, commit. A NOTIFY at the writer's commit
wakes it; it polls every 0.5 s anyway. A batch that was not full means the outbox is empty: wait for the next
NOTIFY (one sent meanwhile is already waiting) instead of polling once more.

Not here (the platform's relay has them): retry back-off for unroutable rows, reconnecting, metrics, gauges."""
import signal
import sys
import threading

import pika
import psycopg
from sqlalchemy import delete, select

import store

BATCH = 100


class Relay:
    def __init__(self, engine, outbox, amqp_uri, stopping):
        self.engine, self.outbox, self.stopping = engine, outbox, stopping
        self.connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
        self.channel = self.connection.channel()
        self.channel.confirm_delivery()
        declare(self.channel)
        conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.listener = psycopg.connect(conninfo, autocommit=True)
        self.listener.execute(f'LISTEN "{store.wake_channel(outbox)}"')

    def publish_batch(self):
        with self.engine.begin() as conn:
            rows = conn.execute(select(self.outbox).order_by(self.outbox.c.id).limit(BATCH)
                                .with_for_update(skip_locked=True)).fetchall()
            for row in rows:  # UnroutableError / NackError: the transaction rolls back, the rows stay
                self.channel.basic_publish(row.exchange, row.routing_key, row.body.encode(),
                                           pika.BasicProperties(content_type="application/json", delivery_mode=2),
                                           mandatory=True)
            if rows:
                conn.execute(delete(self.outbox).where(self.outbox.c.id.in_([row.id for row in rows])))
        return len(rows)

    def run(self):
        while not self.stopping.is_set():
            if self.publish_batch() < BATCH:
                for _ in self.listener.notifies(timeout=0.5, stop_after=1):
                    pass
                self.connection.process_data_events(0)  # heartbeats while idle
        self.connection.close()
        self.listener.close()


def declare(channel):
    """The exchanges and the partner's queue (the consumers' queues are nameko's own)."""
    channel.exchange_declare(store.EVENT_EXCHANGE, exchange_type="topic", durable=True)
    if store.shaped():
        channel.exchange_declare(store.PLANNED_EXCHANGE, exchange_type="topic", durable=True)
    channel.exchange_declare(store.PARTNER_EXCHANGE, exchange_type="topic", durable=True)
    channel.queue_declare(store.PARTNER_QUEUE, durable=True, arguments=store.QUORUM)
    channel.queue_bind(store.PARTNER_QUEUE, store.PARTNER_EXCHANGE, routing_key="referral.kifid.*")


def main():
    import os
    engine = store.engine()
    store.metadata.create_all(engine)
    stopping = threading.Event()
    relays = [Relay(engine, outbox, os.environ["AMQP_URI"], stopping)
              for outbox in (store.intake_outbox, store.routing_outbox if store.shaped() else store.consumer_outbox)]
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    threads = [threading.Thread(target=relay.run) for relay in relays]
    for thread in threads:
        thread.start()
    print("ready", flush=True)
    while any(thread.is_alive() for thread in threads):
        for thread in threads:
            thread.join(timeout=0.5)


if __name__ == "__main__":
    sys.exit(main())
