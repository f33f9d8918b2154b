"""Intake's own business metrics (the shared ones are in services/common/metrics.py)."""
from prometheus_client import Counter

COMPLAINTS_RECEIVED = Counter("voorportaal_complaints_received_total", "Complaints durably accepted (201)",
                              ["service"]).labels("intake")
