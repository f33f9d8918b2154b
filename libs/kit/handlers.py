"""A nameko event handler that does not lose messages: quorum queue, bounded retries, then dead-letter.

nameko 2.14's own `event_handler` acks (drops) a message whose handler failed, or with `requeue_on_error`
requeues it forever. This subclass declares the queue as a quorum queue with our dead-letter exchange and,
on failure, requeues until EVENT_MAX_ATTEMPTS deliveries, then rejects without requeue: the broker moves the
message to `voorportaal.dead-letters.<service>` with an `x-death` header saying why.
"""
import eventlet
from amqp.exceptions import ConnectionError as AmqpConnectionError
from nameko.events import SERVICE_POOL, EventHandler
from sqlalchemy.exc import InterfaceError, OperationalError

from libs.kit import config, metrics, topology
from libs.kit.logs import get_logger

log = get_logger()


def max_attempts():
    return config.env_int("EVENT_MAX_ATTEMPTS", 3)


# a socket that died under the worker (broker stopped, killed, restarted); nameko 2.14's ack_message/
# requeue_message only catch amqp's own ConnectionError, not these
CONNECTION_LOST = (OSError, AmqpConnectionError)
# the database is unreachable (restart, failover): the event is fine, the service's storage is not
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
MAX_OUTAGE_BACKOFF_SECONDS = 10.0


def outage_backoff(deliveries):
    """Seconds to hold a message that failed on a database outage before requeueing it (0.5, 1, 2 … 10)."""
    return min(MAX_OUTAGE_BACKOFF_SECONDS, 0.5 * 2 ** max(deliveries - 1, 0))


class ReliableEventHandler(EventHandler):
    def __init__(self, source_service, event_type, **kwargs):
        kwargs.update(handler_type=SERVICE_POOL, reliable_delivery=True, requeue_on_error=True)
        super().__init__(source_service, event_type, **kwargs)

    def setup(self):
        super().setup()
        # the queue is declared when the consumer starts, so arguments set here take effect
        self.queue.queue_arguments = topology.handler_queue_arguments(self.container.service_name)

    def handle_message_processed(self, message, result=None, exc_info=None):
        """Ack, requeue or dead-letter. When the broker connection died while the worker ran, the message cannot
        be settled and nothing is lost: the broker returns it to the queue and redelivers it, and the inbox makes
        the second run a no-op. Letting that error escape killed the whole nameko container, i.e. the service
        process — intake's HTTP front door included (found by `make chaos`, broker SIGKILL)."""
        try:
            self._settle(message, exc_info)
        except CONNECTION_LOST as exc:
            metrics.EVENTS_HANDLED.labels(self.container.service_name, self.method_name, "unsettled").inc()
            log.warning("event.unsettled_connection_lost", entrypoint=self.method_name, error=type(exc).__name__,
                        handled=exc_info is None)

    def _settle(self, message, exc_info):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        service, entrypoint = self.container.service_name, self.method_name
        earlier_deliveries = int((message.headers or {}).get("x-delivery-count", 0) or 0)
        error = exc_info[0].__name__  # the class only: exception messages may quote the event's content
        if issubclass(exc_info[0], DATABASE_UNAVAILABLE):
            # not the event's fault: it must not use up the event's attempts and land in the dead letters (found
            # by `make chaos`: a 5 s PostgreSQL restart dead-lettered events in three services). Hold the
            # message (and this worker) with back-off, then requeue; the broker's x-delivery-limit (20) stays
            # the safety net, i.e. about 2.5 minutes of outage per message.
            delay = outage_backoff(earlier_deliveries + 1)
            metrics.EVENTS_HANDLED.labels(service, entrypoint, "retry_database").inc()
            log.warning("event.retry_database_unavailable", entrypoint=entrypoint, error=error,
                        delivery=earlier_deliveries + 1, retry_in_s=delay)
            eventlet.sleep(delay)
            self.queue_consumer.requeue_message(message)
            return
        if earlier_deliveries + 1 < max_attempts():
            metrics.EVENTS_HANDLED.labels(service, entrypoint, "retry").inc()
            log.warning("event.retry", entrypoint=entrypoint, error=error, delivery=earlier_deliveries + 1)
            self.queue_consumer.requeue_message(message)
        else:
            metrics.EVENTS_HANDLED.labels(service, entrypoint, "dead_lettered").inc()
            log.error("event.dead_lettered", entrypoint=entrypoint, error=error, delivery=earlier_deliveries + 1,
                      dead_letter_queue=topology.dead_letter_queue(service))
            if message.channel.connection:
                message.reject(requeue=False)


reliable_handler = ReliableEventHandler.decorator
