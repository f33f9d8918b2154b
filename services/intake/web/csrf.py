"""CSRF protection for the form: a double-submit token plus a same-origin check.

The only cookie the desk sets is this token (SameSite=Strict, HttpOnly): a cross-site form post arrives without
it, and its Origin header names another site. Nothing else about the person is kept between requests.
"""
import hmac
import secrets

from libs.kit.web_security import same_origin

COOKIE = "vp_csrf"
FIELD = "csrf_token"


def token_for(request):
    """The token to render into the form: the browser's existing one, or a fresh one."""
    existing = request.cookies.get(COOKIE, "")
    return existing if len(existing) == 43 else secrets.token_urlsafe(32)


def attach(response, token, secure=False):
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=secure, path="/")
    return response


def valid(request):
    cookie = request.cookies.get(COOKIE, "")
    field = request.form.get(FIELD, "")
    return bool(cookie) and hmac.compare_digest(cookie, field) and same_origin(request, allow_missing=True)
