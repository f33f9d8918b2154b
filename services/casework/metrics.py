"""Casework's business metrics (shared ones: libs/kit/metrics.py; names: docs/metrics.md). Counts only: no case
reference, account or category in any label."""
from prometheus_client import Counter, Gauge

SERVICE = "casework"

CASES_RECEIVED = Counter("voorportaal_casework_cases_received_total", "Case files received from intake",
                         ["service"]).labels(SERVICE)
CASES_ERASED = Counter("voorportaal_casework_cases_erased_total", "Cases erased on withdrawal or retention",
                       ["service"]).labels(SERVICE)
CASES_OPEN = Gauge("voorportaal_casework_cases_open", "Open cases by list", ["service", "list"])
SIGNINS = Counter("voorportaal_casework_signins_total", "Workspace sign-in steps by outcome",
                  ["service", "step", "outcome"])
CASE_OPENINGS = Counter("voorportaal_casework_case_openings_total", "Sealed case files opened by staff, by result",
                        ["service", "result"])
GRANTS = Counter("voorportaal_casework_grants_total", "Mediator access granted or revoked", ["service", "action"])
STATUS_CHANGES = Counter("voorportaal_casework_status_changes_total", "Case status changes by new status",
                         ["service", "status"])
WRAPS_UNREADABLE = Counter("voorportaal_casework_key_wraps_unreadable_total",
                           "Case key wraps a member could not open while sharing cases with the team (damaged data)",
                           ["service"]).labels(SERVICE)
