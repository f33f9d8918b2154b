"""HTTP plumbing for the workspace: form bodies with limits, cookies, security headers, redirects, the client's
address (a keyed hash of it names throttling buckets; the address itself is never stored or logged)."""
from urllib.parse import urlencode

from werkzeug.wrappers import Response

from libs.kit.config import env_bool, env_int
from libs.kit import web_forms
from libs.kit.web_security import PAGE_HEADERS
from services.casework.domain.sessions import COOKIE_NAME, IDLE_TIMEOUT

MAX_FORM_BYTES = 64 * 1024
LANG_COOKIE = "__Host-vp-workspace-lang"
LANGUAGES = ("nl", "en")


class BadRequest(Exception):
    """A form that cannot be read (too large, wrong type): a 400/413 page, nothing changes."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def secured(response: Response) -> Response:
    for name, value in PAGE_HEADERS.items():
        response.headers[name] = value
    return response


def html(body: str, status: int = 200) -> Response:
    return secured(Response(body, status=status, mimetype="text/html"))


def redirect(path: str, **query) -> Response:
    location = path + ("?" + urlencode({k: v for k, v in query.items() if v not in (None, "")}) if query else "")
    return secured(Response("", status=303, headers={"Location": location}))


def form(request, max_bytes=None) -> dict:
    """The posted form, size-limited before parsing: urlencoded, or — where `max_bytes` allows files — multipart
    with every file kept in memory (libs/kit/web_forms.py: never spooled to disk unsealed)."""
    mimetype = request.mimetype or ""
    if mimetype == "multipart/form-data" and max_bytes:
        try:
            web_forms.parse_form_in_memory(request, max_bytes)
        except web_forms.FormRefused as refused:
            raise BadRequest(refused.status) from None
    elif mimetype != "application/x-www-form-urlencoded":
        raise BadRequest(415)
    elif request.content_length is None or request.content_length > MAX_FORM_BYTES:
        raise BadRequest(413)
    request.max_form_memory_size = MAX_FORM_BYTES
    return {key: value for key, value in request.form.items()}


def session_token(request) -> str | None:
    return request.cookies.get(COOKIE_NAME)


def set_session_cookie(response: Response, token: str) -> Response:
    response.set_cookie(COOKIE_NAME, token, max_age=int(IDLE_TIMEOUT.total_seconds()) * 20, path="/", secure=True,
                        httponly=True, samesite="Strict")
    return response


def clear_session_cookie(response: Response) -> Response:
    response.delete_cookie(COOKIE_NAME, path="/", secure=True, httponly=True, samesite="Strict")
    return response


def language(request) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default="nl")


def set_language_cookie(response: Response, lang: str) -> Response:
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, path="/", secure=True, httponly=True,
                        samesite="Strict")
    return response


def client_address(request) -> str:
    """The client's address; behind the desk's own proxy (TRUST_PROXY_HEADERS) the entry it appended."""
    if env_bool("TRUST_PROXY_HEADERS", False):
        hops = env_int("TRUSTED_PROXY_HOPS", 1)
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.remote_addr or "unknown"
