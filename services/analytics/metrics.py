"""Analytics' business metrics (the shared ones are in libs/kit/metrics.py; names: docs/metrics.md).

This month's totals over all institution types, rounded down to a multiple of the disclosure threshold
(domain/disclosure.coarse_live_count) and refreshed hourly: live counts bypass the evaluation report's disclosure
control, so they say as little as an operator needs (is the desk being used?). No per-type series: a count per
institution type that moves with each filing lets staff tie one filing to a moment."""
from prometheus_client import Gauge

SERVICE = "analytics"

COMPLAINTS = Gauge("voorportaal_evaluation_complaints", "Complaints counted this month, all institution types, "
                   "rounded down to a multiple of 10", ["service"]).labels(SERVICE)
REFERRALS = Gauge("voorportaal_evaluation_referrals", "Referral plans counted this month, all institution types, "
                  "rounded down to a multiple of 10", ["service"]).labels(SERVICE)
