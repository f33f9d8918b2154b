"""`GET /reports`: the evaluation report on analytics' internal address, behind a bearer token.

Every release is logged (use_cases/reports.py). The answers: 401 without the token, 400 for a bad format or a
period that is not whole quarters, 409 when the disclosure audit refuses the release, 200 with the report.
"""
import base64
import hashlib
import hmac
import json

from werkzeug.wrappers import Response

from services.analytics.domain.periods import PeriodError, quarters_between
from services.analytics.domain.render import FORMATS
from services.analytics.domain.render_html import CSS as REPORT_CSS
from services.analytics.use_cases.reports import ReleaseRefused, release_report

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


def report(request, sessions, settings) -> Response:
    """The report for ?from=YYYY-MM&to=YYYY-MM&format=json|csv|html; `sessions` is the service's session factory."""
    # compared as bytes: compare_digest refuses text with non-ASCII characters (TypeError, a 500 for junk input)
    presented = request.headers.get("Authorization", "").encode("utf-8", "replace")
    if not hmac.compare_digest(presented, f"Bearer {settings.report_token}".encode()):
        return _json(401, {"error": {"code": "token_required", "message": "A valid report token is required."}})
    period_from, period_to = request.args.get("from", ""), request.args.get("to", "")
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        return _json(400, {"error": {"code": "invalid_format", "message": f"format: one of {', '.join(FORMATS)}"}})
    try:
        quarters_between(period_from, period_to)
    except PeriodError as error:
        return _json(400, {"error": {"code": "invalid_period", "message": str(error)}})
    with sessions() as session:
        try:
            content_type, content = release_report(session, period_from, period_to, fmt)
        except ReleaseRefused as refused:
            return _json(409, {"error": {"code": "disclosure_check_failed",
                                         "message": f"{len(refused.problems)} disclosure problem(s)"}})
        session.commit()
    return Response(content, mimetype=content_type.split(";")[0], headers=HEADERS)
