"""The analytics service: nameko adapter. Every case event → use_cases/record.py (the de-identified fact store),
the coordinators' observations → use_cases/signal_observations.py; GET /reports → web/reports.py; the business
metrics' timer → use_cases/business_metrics.py."""
from datetime import datetime, timezone

from nameko.timer import timer
from nameko.web.handlers import http

from libs.kit.config import env, nameko_config
from libs.kit.consuming import consumes
from libs.kit.dependencies import Database, Ops
from services.analytics import settings
from services.analytics.settings import SERVICE
from services.analytics.tables import inbox, metadata
from services.analytics.use_cases import business_metrics
from services.analytics.use_cases.record import record
from services.analytics.use_cases.signal_observations import record_observation
from services.analytics.web import reports

BUSINESS_METRICS_INTERVAL_SECONDS = 3600


@consumes({**{event_type: record for event_type in (
    "complaint.received", "complaint.progress_reported", "complaint.withdrawn", "referral.planned",
    "referral.deadline_due", "referral.escalation_available", "mediation.assigned", "mediation.unmatched",
    "mediation.outcome_recorded", "referral.partner_status_changed", "case.status_changed",
    "complaint.feedback_given")},
    "signal.observation_written": record_observation}, inbox=inbox, settings=settings.load)
class AnalyticsService:
    name = SERVICE
    db = Database(SERVICE, metadata)
    ops = Ops(SERVICE)

    @http("GET", "/reports")
    def report(self, request):
        """The evaluation report on analytics' internal address, behind a bearer token; every release is logged."""
        return reports.report(request, self.db, settings.load())

    # hourly, not every few seconds: a live count must not time one filing (issue 19; docs/metrics.md)
    @timer(interval=BUSINESS_METRICS_INTERVAL_SECONDS, eager=True)
    def refresh_business_metrics(self):
        with self.db() as session:
            business_metrics.refresh(session, datetime.now(timezone.utc))


def config():
    settings.load()  # fail at start, not on the first event or request, when a secret is malformed
    return nameko_config(SERVICE, WEB_SERVER_ADDRESS=env("ANALYTICS_WEB_ADDRESS", "127.0.0.1:8004"))
