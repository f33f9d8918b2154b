"""Every response intake writes: its security headers, JSON bodies, the uniform error body, HTML pages and the
generic error page.

Error bodies and error pages never echo what was sent and never carry a stack trace (docs/privacy.md).
"""
import json

from werkzeug.wrappers import Response

from libs.kit.web_security import PAGE_HEADERS
from services.intake.web import csrf, pages

class HttpError(Exception):
    """Raised by an API handler; `observed` answers it with the uniform error body."""

    def __init__(self, status, code, message, fields=None, headers=None):
        super().__init__(code)
        self.status, self.code, self.message, self.fields, self.headers = status, code, message, fields, headers


def secured(response):
    """The headers of server-rendered pages with forms (libs/kit/web_security.py), on the API's JSON answers too:
    one set for everything intake answers."""
    for name, value in PAGE_HEADERS.items():
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


def html(body, status=200, lang="nl", token=None):
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Content-Language"] = lang
    if token is not None:
        csrf.attach(response, token)
    return secured(response)


def error_page(lang, status):
    return html(pages.render_error(lang, status), status=status, lang=lang)
