"""CSRF protection for the form: a double-submit token plus a same-origin check.

The only cookie the desk sets is this token (SameSite=Strict, HttpOnly): a cross-site form post arrives without
it, and its Origin header names another site. Nothing else about the person is kept between requests.

Served over https (PUBLIC_BASE_URL https://...) the cookie is `__Host-vp_csrf`: Secure, Path=/, no Domain, so
neither a plain-http page nor a sibling host can set or overwrite it (issue 19, finding 12). A local run over plain
http (`make run`, PUBLIC_BASE_URL http://127.0.0.1:8000) keeps `vp_csrf` without Secure: browsers other than
Chromium, and HTTP libraries, do not send a Secure cookie over http. With PUBLIC_BASE_URL set, a form post's Origin
must be exactly its scheme and host (libs/kit/web_security.py `same_origin`).
"""
import hmac
import secrets

from libs.kit.web_security import same_origin
from services.intake import settings

PLAIN_COOKIE = "vp_csrf"
HOST_COOKIE = "__Host-vp_csrf"
FIELD = "csrf_token"


def _public_base_url():
    return settings.load_web().public_base_url


def served_over_https():
    return (_public_base_url() or "").lower().startswith("https://")


def cookie_name():
    return HOST_COOKIE if served_over_https() else PLAIN_COOKIE


def token_for(request):
    """The token to render into the form: the browser's existing one, or a fresh one."""
    existing = request.cookies.get(cookie_name(), "")
    return existing if len(existing) == 43 else secrets.token_urlsafe(32)


def attach(response, token):
    # __Host-: Secure, Path=/ and no Domain are what the prefix demands; browsers refuse the cookie otherwise
    response.set_cookie(cookie_name(), token, httponly=True, samesite="Strict", secure=served_over_https(),
                        path="/")
    return response


def valid(request):
    cookie = request.cookies.get(cookie_name(), "")
    field = request.form.get(FIELD, "")
    return (bool(cookie) and hmac.compare_digest(cookie.encode(), field.encode())
            and same_origin(request, allow_missing=True, expected_origin=_public_base_url()))
