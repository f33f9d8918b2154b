"""Routing's business metrics (the shared ones are in libs/kit/metrics.py; names: docs/metrics.md)."""
from prometheus_client import Counter, Gauge

SERVICE = "routing"

PLANS = Counter("voorportaal_referral_plans_total", "Referral plans stored", ["service"]).labels(SERVICE)
CLOCKS_DUE = Counter("voorportaal_referral_clocks_due_total", "Clock events emitted", ["service", "kind"])
CLOCKS_BREACHED = Gauge("voorportaal_referral_clocks_breached", "Open answer deadlines that have passed",
                        ["service"]).labels(SERVICE)
PARTNER_REFERRALS = Counter("voorportaal_partner_referrals_total", "Partner referrals queued for publication",
                            ["service", "partner", "action"])
PARTNER_UPDATES = Counter("voorportaal_partner_updates_total",
                          "Partner status updates received, by result: applied, duplicate or refused",
                          ["service", "partner", "result"])
PARTNER_UPDATES_REFUSED = Counter("voorportaal_partner_updates_refused_total",
                                  "Partner status updates refused and not applied, by reason",
                                  ["service", "partner", "reason"])
