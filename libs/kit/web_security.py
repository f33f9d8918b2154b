"""Baseline security headers on every HTTP response of every service, including the ones no handler wrote.

Each service sets the headers its pages need (intake: services/intake/http_support.py; notification's link
pages: services/notification/web/pages.py; analytics' report). This WSGI middleware adds whatever a response lacks, so
nameko's own answers (404 for an unknown path, 405 for a wrong method, 500 for an exception that escaped a
handler) and the ops port carry them too. A header a handler set is never overwritten.
"""
import functools
from urllib.parse import urlsplit

BASELINE_HEADERS = {
    # nothing may load, frame or be framed unless a handler allows it for its own page
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}


# server-rendered pages with forms (the workspace; intake's pages): own-origin styles and forms only, no framing
PAGE_HEADERS = {
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


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def same_origin(request, allow_missing=False, expected_origin=None) -> bool:
    """Did this form post come from our own pages? For every server-rendered form (intake's, the workspace's).

    - `Sec-Fetch-Site`, set by the browser (a page cannot forge it), must say same-origin when present;
    - our `Referrer-Policy: no-referrer` makes browsers send `Origin: null` for their own forms: with
      `Sec-Fetch-Site: same-origin` that is ours;
    - otherwise the Origin (else the Referer) must name this host, over https — plain http only on a loopback address
      (a local run), so a page served over http elsewhere cannot post to us;
    - `allow_missing`: a very old browser sends neither header; where a CSRF token is checked as well, that may pass;
    - `expected_origin` (the configured public base URL, e.g. https://voorportaal.example): then the Origin (or
      Referer) must have exactly its scheme and host, whatever the Host header says.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    origin = request.headers.get("Origin")
    if origin == "null" and fetch_site == "same-origin":
        return True
    if origin in (None, "null"):
        origin = request.headers.get("Referer")
        if not origin:
            return allow_missing and request.headers.get("Origin") is None
    parts = urlsplit(origin)
    if expected_origin:
        expected = urlsplit(expected_origin)
        return bool(parts.netloc) and (parts.scheme.lower(), parts.netloc.lower()) == (
            expected.scheme.lower(), expected.netloc.lower())
    if not parts.netloc or parts.netloc != request.headers.get("Host", ""):
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)


def with_baseline_headers(app):
    """WSGI middleware: add every BASELINE_HEADERS entry the response does not already have."""
    @functools.wraps(app)
    def wrapped(environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            headers = list(headers) + [(name, value) for name, value in BASELINE_HEADERS.items()
                                       if name.lower() not in present]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
        return app(environ, start)
    return wrapped


def install():
    """Wrap nameko's WSGI app in every WebServer of this process (idempotent; the runner calls it)."""
    from nameko.web.server import WebServer
    if getattr(WebServer.get_wsgi_app, "_baseline_headers", False):
        return
    original = WebServer.get_wsgi_app

    def get_wsgi_app(self):
        return with_baseline_headers(original(self))
    get_wsgi_app._baseline_headers = True
    WebServer.get_wsgi_app = get_wsgi_app
