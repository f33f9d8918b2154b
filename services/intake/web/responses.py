"""Every response intake writes: its security headers, JSON bodies, the uniform error body, HTML pages and the
generic error page.

Error bodies and error pages never echo what was sent and never carry a stack trace (DESIGN.md §3).
"""
import json

from werkzeug.wrappers import Response

from services.intake.web import csrf, pages

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
                                "base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class HttpError(Exception):
    """Raised by an API handler; `observed` answers it with the uniform error body."""

    def __init__(self, status, code, message, fields=None, headers=None):
        super().__init__(code)
        self.status, self.code, self.message, self.fields, self.headers = status, code, message, fields, headers


def secured(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response


def json_response(status, body, headers=None):
    response = Response(json.dumps(body, separators=(",", ":")), status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return secured(response)


def error_response(status, code, message, fields=None, headers=None):
    detail = {"code": code, "message": message}
    if fields:
        detail["fields"] = fields
    return json_response(status, {"error": detail}, headers)


def html(body, status=200, lang="nl", token=None, secure_cookie=False):
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Content-Language"] = lang
    if token is not None:
        csrf.attach(response, token, secure_cookie)
    return secured(response)


def error_page(lang, status):
    return html(pages.render_error(lang, status), status=status, lang=lang)
