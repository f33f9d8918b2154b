"""CSRF protection for the form: a double-submit token plus a same-origin check.

The only cookie the desk sets is this token (SameSite=Strict, HttpOnly): a cross-site form post arrives without
it, and its Origin header names another site. Nothing else about the person is kept between requests.
"""
import hmac
import secrets

COOKIE = "vp_csrf"
FIELD = "csrf_token"


def token_for(request):
    """The token to render into the form: the browser's existing one, or a fresh one."""
    existing = request.cookies.get(COOKIE, "")
    return existing if len(existing) == 43 else secrets.token_urlsafe(32)


def attach(response, token, secure=False):
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=secure, path="/")
    return response


def same_origin(request):
    origin = request.headers.get("Origin")
    fetch_site = request.headers.get("Sec-Fetch-Site")  # set by the browser; a page cannot forge it
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    if origin == "null" and fetch_site == "same-origin":
        return True  # our Referrer-Policy: no-referrer makes browsers send Origin: null for their own forms
    if origin in (None, "null"):
        referer = request.headers.get("Referer")
        if not referer:
            return origin is None  # old browsers send neither; the token still has to match
        origin = referer
    host = request.headers.get("Host", "")
    return origin.split("://", 1)[-1].split("/", 1)[0] == host


def valid(request):
    cookie = request.cookies.get(COOKIE, "")
    field = request.form.get(FIELD, "")
    return bool(cookie) and hmac.compare_digest(cookie, field) and same_origin(request)
