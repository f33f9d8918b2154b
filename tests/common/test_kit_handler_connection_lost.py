"""Regression (found by `make chaos`, scenario 1): a broker SIGKILL while workers ran killed whole services.

The worker finished, its ack went to a socket the broker had reset, and ConnectionResetError escaped from
nameko 2.14's `ack_message` (it catches only amqp's own ConnectionError): the container died, and intake's,
routing's and analytics' processes exited. Now the handler logs and counts it: the unacked message comes back
from the broker and the inbox makes its second run a no-op.
"""
from types import SimpleNamespace

import pytest
from nameko.messaging import QueueConsumer

from services.common import metrics
from services.common.handlers import ReliableEventHandler


class DeadSocketMessage:
    headers = {}

    def __init__(self, error):
        self.error = error
        self.channel = SimpleNamespace(connection=object())  # nameko checks this before acking

    def ack(self):
        raise self.error

    def requeue(self):
        raise self.error

    def reject(self, requeue):
        raise self.error


def handler():
    made = ReliableEventHandler("intake", "complaint.received")
    made.queue_consumer = QueueConsumer()
    made.container = SimpleNamespace(service_name="routing")
    made.method_name = "on_complaint_received"
    return made


@pytest.mark.parametrize("error", [ConnectionResetError(104, "Connection reset by peer"),
                                   BrokenPipeError(32, "Broken pipe"),
                                   OSError("Server unexpectedly closed connection")])
@pytest.mark.parametrize("outcome", ["ok", "failed", "failed-last"])
def test_settling_on_a_dead_connection_does_not_raise(error, outcome, monkeypatch):
    monkeypatch.setenv("EVENT_MAX_ATTEMPTS", "3")
    message = DeadSocketMessage(error)
    if outcome == "failed-last":
        message.headers = {"x-delivery-count": 2}
    exc_info = None if outcome == "ok" else (ValueError, ValueError("boom"), None)
    unsettled = metrics.EVENTS_HANDLED.labels("routing", "on_complaint_received", "unsettled")
    before = unsettled._value.get()
    handler().handle_message_processed(message, exc_info=exc_info)  # before the fix: raised -> container killed
    assert unsettled._value.get() == before + 1
