"""The relay marks a batch published in the statement that takes it (issue 21) and commits the mark only for rows
the broker took: an unroutable row and the rows after a lost connection go back, a confirmed row stays marked."""
import pytest
from pika.exceptions import AMQPConnectionError
from sqlalchemy import select

from tests.unit.kit.test_kit_relay_batches import Channel, relay_with_rows


class ChannelLostAt(Channel):
    def __init__(self, lost_at):
        super().__init__(unroutable=())
        self.lost_at = lost_at

    def basic_publish(self, exchange, routing_key, body, properties, mandatory):
        if properties.message_id == self.lost_at:
            raise AMQPConnectionError("gone")
        super().basic_publish(exchange, routing_key, body, properties, mandatory)


def published_ids(relay):
    with relay.engine.connect() as conn:
        rows = conn.execute(select(relay.outbox.c.event_id, relay.outbox.c.published_at, relay.outbox.c.attempts)
                            .order_by(relay.outbox.c.id)).fetchall()
    return [row.event_id for row in rows if row.published_at is not None], {row.event_id: row.attempts for row in rows}


def test_an_unroutable_row_is_put_back_with_its_attempt_counted(tmp_path):
    relay = relay_with_rows(tmp_path, 3, unroutable={"e1"})
    assert relay.publish_batch() == 2
    published, attempts = published_ids(relay)
    assert published == ["e0", "e2"] and relay.channel.published == ["e0", "e2"]
    assert attempts["e1"] == 1


def test_a_lost_connection_keeps_what_was_confirmed_and_puts_back_the_rest(tmp_path):
    relay = relay_with_rows(tmp_path, 3)
    relay.channel = ChannelLostAt("e1")
    with pytest.raises(AMQPConnectionError):
        relay.publish_batch()
    published, attempts = published_ids(relay)
    assert published == ["e0"]  # e1 may or may not have reached the broker: sent again, the inbox drops a copy
    assert attempts == {"e0": 0, "e1": 0, "e2": 0}  # not the rows' fault: no attempt used up
    relay.channel = Channel(unroutable=())
    assert relay.publish_batch() == 2
    assert published_ids(relay)[0] == ["e0", "e1", "e2"]


def test_the_rows_are_published_in_the_order_they_were_written(tmp_path):
    relay = relay_with_rows(tmp_path, 3)
    relay.publish_batch()
    assert relay.channel.published == ["e0", "e1", "e2"]
