"""When the relay polls again at once and when it waits for a NOTIFY: by the rows a batch took, not by the rows it
published (a full batch with an unroutable row leaves due rows behind it)."""
from datetime import datetime, timezone

from pika.exceptions import UnroutableError

from libs.kit.db import make_engine
from libs.kit.relay import OutboxRelay


class Channel:
    def __init__(self, unroutable):
        self.unroutable = unroutable
        self.published = []

    def basic_publish(self, exchange, routing_key, body, properties, mandatory):
        if properties.message_id in self.unroutable:
            raise UnroutableError([])
        self.published.append(properties.message_id)


def relay_with_rows(tmp_path, count, unroutable=()):
    relay = OutboxRelay("batchtest", make_engine(f"sqlite:///{tmp_path / 'outbox.db'}"), "amqp://unused",
                        batch_size=3)
    relay.outbox.create(relay.engine)
    relay.channel = Channel(set(unroutable))
    now = datetime.now(timezone.utc)
    with relay.engine.begin() as conn:
        for number in range(count):
            conn.execute(relay.outbox.insert().values(
                event_id=f"e{number}", exchange="intake.events", routing_key="complaint.withdrawn",
                content_type="application/json", body="{}", created_at=now, next_attempt_at=now, attempts=0))
    return relay


def test_a_full_batch_with_an_unroutable_row_counts_as_full(tmp_path):
    relay = relay_with_rows(tmp_path, 5, unroutable={"e0"})
    assert relay.publish_batch() == 2
    assert relay.last_batch_rows == relay.batch_size  # more may be due: poll again instead of waiting


def test_a_batch_that_was_not_full_drained_the_outbox(tmp_path):
    relay = relay_with_rows(tmp_path, 2)
    assert relay.publish_batch() == 2
    assert relay.last_batch_rows == 2 < relay.batch_size
    assert relay.publish_batch() == 0 and relay.last_batch_rows == 0
