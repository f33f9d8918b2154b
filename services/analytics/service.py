"""The analytics service: every event feeds the de-identified fact store; business metrics on a timer."""
from datetime import datetime, timezone

import base64
import hashlib
import hmac
import json

from nameko.timer import timer
from nameko.web.handlers import http
from werkzeug.wrappers import Response
from prometheus_client import Gauge

from libs.kit.config import env, nameko_config
from libs.kit.db import inbox_table
from libs.kit.dependencies import Database, Ops
from libs.kit.consuming import consumes
from libs.kit.secrets_store import load_secret
from services.analytics.report import FORMATS, ReleaseRefused, build_report, publish
from services.analytics.report.periods import PeriodError, quarters_between
from services.analytics.report.render_html import CSS as REPORT_CSS
from services.analytics.store import apply_event, metadata, monthly_counts

SERVICE = "analytics"
inbox = inbox_table(metadata, SERVICE)

COMPLAINTS = Gauge("voorportaal_evaluation_complaints", "Complaints counted this month", ["service", "institution_type"])
REFERRALS = Gauge("voorportaal_evaluation_referrals", "Referral plans counted this month",
                  ["service", "institution_type"])


class Settings:
    pseudonym_key = None

    @classmethod
    def ensure(cls):
        if cls.pseudonym_key is None:
            cls.pseudonym_key = load_secret("ANALYTICS_PSEUDONYM_KEY")
            cls.report_token = load_secret("ANALYTICS_REPORT_TOKEN").hex()
        return cls


# the HTML report has one inline <style> (allowed by its hash) and charts as data: images; nothing else loads
_STYLE_HASH = base64.b64encode(hashlib.sha256(REPORT_CSS.encode()).digest()).decode()
HEADERS = {
    "Content-Security-Policy": (f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; img-src data:; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
    "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}


def _json(status, body):
    return Response(json.dumps(body), status=status, mimetype="application/json", headers=HEADERS)


def record(session, event, settings):
    apply_event(session, event.type, event.data, event.occurred_at, settings.pseudonym_key)


@consumes({event_type: record for event_type in (
    "complaint.received", "complaint.progress_reported", "complaint.withdrawn", "referral.planned",
    "referral.deadline_due", "referral.escalation_available", "mediation.assigned", "mediation.unmatched",
    "mediation.outcome_recorded")}, inbox=inbox, settings=Settings.ensure)
class AnalyticsService:
    name = SERVICE
    db = Database(SERVICE, metadata)
    ops = Ops(SERVICE)

    @http("GET", "/reports")
    def report(self, request):
        """The evaluation report on analytics' internal address, behind a bearer token; every release is logged."""
        if not hmac.compare_digest(request.headers.get("Authorization", ""),
                                   f"Bearer {Settings.ensure().report_token}"):
            return _json(401, {"error": {"code": "token_required", "message": "A valid report token is required."}})
        period_from, period_to = request.args.get("from", ""), request.args.get("to", "")
        fmt = request.args.get("format", "json")
        if fmt not in FORMATS:
            return _json(400, {"error": {"code": "invalid_format", "message": f"format: one of {', '.join(FORMATS)}"}})
        try:
            quarters_between(period_from, period_to)
        except PeriodError as error:
            return _json(400, {"error": {"code": "invalid_period", "message": str(error)}})
        with self.db() as session:
            try:
                content_type, content = publish(session, build_report(session, period_from, period_to), fmt)
            except ReleaseRefused as refused:
                return _json(409, {"error": {"code": "disclosure_check_failed",
                                             "message": f"{len(refused.problems)} disclosure problem(s)"}})
            session.commit()
        return Response(content, mimetype=content_type.split(";")[0], headers=HEADERS)

    @timer(interval=2)
    def refresh_business_metrics(self):
        month = datetime.now(timezone.utc).strftime("%Y-%m")
        with self.db() as session:
            counts = monthly_counts(session, month)
        for institution_type, value in counts.get("complaints", {}).items():
            COMPLAINTS.labels(SERVICE, institution_type).set(value)
        for institution_type, value in counts.get("referral_plans", {}).items():
            REFERRALS.labels(SERVICE, institution_type).set(value)


def config():
    Settings.ensure()
    return nameko_config(SERVICE, WEB_SERVER_ADDRESS=env("ANALYTICS_WEB_ADDRESS", "127.0.0.1:8004"))
