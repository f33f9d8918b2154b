"""Prometheus metrics shared by all services (names and labels: docs/metrics.md)."""
from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

# `_created` series double the output and mean nothing to our alerts
disable_created_metrics()

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

HTTP_REQUESTS = Counter("voorportaal_http_requests_total", "HTTP requests on the public address",
                        ["service", "route", "method", "status"])
HTTP_DURATION = Histogram("voorportaal_http_request_duration_seconds", "HTTP request latency",
                          ["service", "route"], buckets=LATENCY_BUCKETS)
EVENTS_HANDLED = Counter("voorportaal_events_handled_total", "Events handled, by outcome",
                         ["service", "entrypoint", "outcome"])
EVENT_DURATION = Histogram("voorportaal_event_handling_duration_seconds", "Event handler latency",
                           ["service", "entrypoint"], buckets=LATENCY_BUCKETS)
OUTBOX_PENDING = Gauge("voorportaal_outbox_pending", "Outbox rows not yet published", ["service"])
OUTBOX_OLDEST_AGE = Gauge("voorportaal_outbox_oldest_pending_age_seconds",
                          "Age of the oldest unpublished outbox row", ["service"])
OUTBOX_PUBLISHED = Counter("voorportaal_outbox_published_total", "Outbox rows published and confirmed",
                           ["service"])
OUTBOX_FAILURES = Counter("voorportaal_outbox_publish_failures_total", "Outbox publish failures",
                          ["service", "reason"])
# a late or replayed event about a withdrawn case, acknowledged and dropped (routing, notification; issue 19)
WITHDRAWN_EVENTS_DROPPED = Counter("voorportaal_withdrawn_case_events_dropped_total",
                                   "Events about a withdrawn case that were acknowledged and dropped",
                                   ["service", "event"])
