"""Intake's own business metrics (the shared ones are in libs/kit/metrics.py; names: docs/metrics.md)."""
from prometheus_client import Counter, Gauge

SERVICE = "intake"

COMPLAINTS_RECEIVED = Counter("voorportaal_complaints_received_total", "Complaints durably accepted (201)",
                              ["service"]).labels(SERVICE)
# outcome: ok / wrong (the keyed hash was computed), unknown_reference (no case, no hash), locked (the guard
# answered: no hash, no database), malformed (too long or empty: refused before the guard)
RECEIPT_CHECKS = Counter("voorportaal_receipt_checks_total", "Receipt checks by outcome (API and follow-up form)",
                         ["service", "outcome"])
KEY_DIRECTORY_VERSION = Gauge("voorportaal_intake_key_directory_version", "Version of the desk's key directory new "
                              "complaints are sealed for (0: none yet, complaints are refused with 503)",
                              ["service"]).labels(SERVICE)
# requests limited in-process because the shared store (Redis, RATE_LIMIT_REDIS_URL) did not answer: each replica
# then allows a client its whole limit on its own (web/shared_limiter.py)
RATE_LIMIT_FALLBACKS = Counter("voorportaal_rate_limit_fallbacks_total", "Requests rate-limited in-process because "
                               "the shared limit store (Redis) did not answer", ["service"]).labels(SERVICE)
