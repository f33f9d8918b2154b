"""Analytics' business metrics (the shared ones are in libs/kit/metrics.py; names: docs/metrics.md).

Counts of the current month per institution type, refreshed by the service's timer from the fact store."""
from prometheus_client import Gauge

SERVICE = "analytics"

COMPLAINTS = Gauge("voorportaal_evaluation_complaints", "Complaints counted this month",
                   ["service", "institution_type"])
REFERRALS = Gauge("voorportaal_evaluation_referrals", "Referral plans counted this month",
                  ["service", "institution_type"])
