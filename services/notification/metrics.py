"""Notification's business metrics (the shared ones are in libs/kit/metrics.py; names: docs/metrics.md)."""
from prometheus_client import Counter, Gauge

SERVICE = "notification"

NOTIFICATIONS = Counter("voorportaal_notifications_total", "Delivery attempts by outcome",
                        ["service", "channel", "outcome"])
PENDING = Gauge("voorportaal_notifications_pending", "Deliveries waiting to be sent", ["service"]).labels(SERVICE)
MEDIATIONS_OPEN = Gauge("voorportaal_mediations_open", "Open mediation assignments", ["service"]).labels(SERVICE)
UNMATCHED = Counter("voorportaal_mediation_unmatched_total", "Cases sent to the desk's fallback queue",
                    ["service"]).labels(SERVICE)
REACTIONS = Counter("voorportaal_mediator_reactions_total", "Mediator link actions by result",
                    ["service", "action", "result"])
COMPLAINANT_REQUESTS = Counter("voorportaal_complainant_message_requests_total", "People who asked for status "
                               "messages, by contact channel and result (stored, unsupported_channel, closed)",
                               ["service", "channel", "result"])
COMPLAINANT_MESSAGES = Counter("voorportaal_complainant_messages_total", "Attempts to send a status message to "
                               "the person, by kind (plan, deadline, next_step, mediator) and outcome",
                               ["service", "kind", "outcome"])
COMPLAINANT_STOPS = Counter("voorportaal_complainant_messages_stopped_total", "People who stopped status "
                            "messages while keeping their complaint open", ["service"]).labels(SERVICE)
ESCALATIONS = Counter("voorportaal_mediation_escalations_total", "SLA steps taken (remind, reassign, "
                      "to_coordinator)", ["service", "kind"])


def count_outcome(channel, outcome):
    """One delivery attempt (the sender's `count_outcome`)."""
    NOTIFICATIONS.labels(SERVICE, channel, outcome).inc()


def count_complainant(kind, outcome):
    """One attempt to send a status message to the person (the sender's `count_complainant`)."""
    COMPLAINANT_MESSAGES.labels(SERVICE, kind, outcome).inc()
