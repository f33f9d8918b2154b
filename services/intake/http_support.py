"""HTTP plumbing for intake: JSON bodies with limits, uniform error bodies, security headers, metrics.

Error bodies never echo what was sent and never carry a stack trace (DESIGN.md §3).
"""
import functools
import json
import time

from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.wrappers import Response

from libs.kit import metrics
from libs.kit.config import env_bool, env_int
from services.intake.rate_limit import RateLimiter
from libs.kit.logs import get_logger

log = get_logger()
MAX_BODY_BYTES = 1024 * 1024

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


def read_json_body(request):
    """Checks content type and size before parsing; raises HttpError (415, 413, 400)."""
    mimetype = (request.mimetype or "").lower()
    if mimetype != "application/json":
        raise HttpError(415, "unsupported_media_type", "Send the body as application/json.")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise HttpError(413, "payload_too_large", "The request body is larger than 1 MB.")
    raw = request.stream.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise HttpError(413, "payload_too_large", "The request body is larger than 1 MB.")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise HttpError(400, "invalid_json", "The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise HttpError(400, "invalid_json", "The body must be a JSON object.")
    return body


def validation_fields(messages):
    """marshmallow's messages name the fields and rules; they never contain the submitted values."""
    return messages if isinstance(messages, dict) else {"_schema": messages}


def client_address(request):
    """The client's address for rate limiting only (hashed there). Behind a proxy, set TRUST_PROXY_HEADERS.

    Each proxy appends the address it received the request from, so only the last TRUSTED_PROXY_HOPS entries of
    X-Forwarded-For were written by our own proxies; everything left of them is whatever the client sent (a
    flooder would name a new "client" on every request and never meet its own limit, ASVS 4.1.3).
    """
    if env_bool("TRUST_PROXY_HEADERS", False):
        hops = max(1, env_int("TRUSTED_PROXY_HOPS", 1))
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.remote_addr


LIMITER = RateLimiter(per_client_rate=env_int("INTAKE_RATE_PER_CLIENT", 10),
                      per_client_burst=env_int("INTAKE_BURST_PER_CLIENT", 40),
                      global_rate=env_int("INTAKE_RATE_GLOBAL", 300),
                      global_burst=env_int("INTAKE_BURST_GLOBAL", 600))


def failure_response(route, args, kwargs, status, code, message, headers=None):
    """A server-side failure as the caller reads it: JSON for the API, the generic page in the page's language
    for a person's browser (never the JSON body in their face)."""
    if route.startswith("/api/") or route in ("/openapi.json", "other"):
        return error_response(status, code, message, headers=headers)
    from services.intake import form_handlers  # the pages import this module: import them only when needed
    lang = kwargs.get("lang") or (args[0] if "{lang}" in route and args else "nl")
    response = form_handlers.error_page(lang, status)
    response.headers.update(headers or {})
    return response


def observed(route):
    """Rate-limit, count and time a route (route = template, never the concrete path with a reference in it)."""
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, request, *args, **kwargs):
            started = time.perf_counter()
            try:
                wait = LIMITER.retry_after(client_address(request))
                if wait:
                    raise HttpError(429, "rate_limited", "Too many requests. Please wait and try again.",
                                    headers={"Retry-After": str(wait)})
                response = method(self, request, *args, **kwargs)
            except HttpError as exc:
                response = error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)
            except (OperationalError, InterfaceError) as exc:
                # the database is away (restart, failover): say so, and when to come back; nothing was stored
                log.error("http.database_unavailable", route=route, error=type(exc.orig).__name__)
                response = failure_response(route, args, kwargs, 503, "unavailable",
                                            "The service is briefly unavailable and could not save what you "
                                            "sent. Please try again in a few minutes.", {"Retry-After": "30"})
            except Exception as exc:  # noqa: BLE001 - the person gets a generic 500, the log gets the class
                log.error("http.unhandled_error", route=route, error=type(exc).__name__)
                response = failure_response(route, args, kwargs, 500, "internal_error",
                                            "Something went wrong on our side. If you got no reference, what "
                                            "you sent was not received: please try again later.")
            metrics.HTTP_REQUESTS.labels("intake", route, request.method, str(response.status_code)).inc()
            metrics.HTTP_DURATION.labels("intake", route).observe(time.perf_counter() - started)
            return response
        return wrapper
    return decorate
