"""Regressions found by `make chaos` (scenario 1) in the event handler's settling of a message.

1. A broker SIGKILL while workers ran killed whole services.

The worker finished, its ack went to a socket the broker had reset, and ConnectionResetError escaped from
nameko 2.14's `ack_message` (it catches only amqp's own ConnectionError): the container died, and intake's,
routing's and analytics' processes exited. Now the handler logs and counts it: the unacked message comes back
from the broker and the inbox makes its second run a no-op.
"""
from types import SimpleNamespace

import pytest
from nameko.messaging import QueueConsumer

from libs.kit import metrics
from libs.kit.consuming import ReliableEventHandler


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


class RecordingMessage:
    def __init__(self, deliveries):
        self.headers = {"x-delivery-count": deliveries}
        self.channel = SimpleNamespace(connection=object())
        self.settled = []

    def ack(self):
        self.settled.append("ack")

    def requeue(self):
        self.settled.append("requeue")

    def reject(self, requeue):
        self.settled.append("requeue" if requeue else "dead-letter")


def test_a_database_outage_does_not_use_up_the_events_attempts(monkeypatch):
    """Regression (make chaos, scenario 1): a 5 s PostgreSQL crash dead-lettered events in three services, because
    three immediate redeliveries all failed on the unreachable database. Now the message is held with back-off
    and requeued, whatever its delivery count; a failure of the event itself still dead-letters it."""
    from sqlalchemy.exc import OperationalError
    from libs.kit import consuming as handlers_module
    monkeypatch.setenv("EVENT_MAX_ATTEMPTS", "3")
    slept = []
    monkeypatch.setattr(handlers_module.eventlet, "sleep", slept.append)
    outage = OperationalError("SELECT 1", {}, Exception("connection refused"))
    last_attempt = RecordingMessage(deliveries=2)
    handler().handle_message_processed(last_attempt, exc_info=(OperationalError, outage, None))
    assert last_attempt.settled == ["requeue"] and slept == [2.0]
    bad_event = RecordingMessage(deliveries=2)
    handler().handle_message_processed(bad_event, exc_info=(ValueError, ValueError("bad data"), None))
    assert bad_event.settled == ["dead-letter"]
