"""The form's CSRF cookie and origin check (issue 19, finding 12).

Served over https (PUBLIC_BASE_URL https://...) the cookie is `__Host-vp_csrf`: Secure, Path=/, no Domain, so
no http page and no sibling host can set or overwrite it. A local run over plain http (`make run`,
http://127.0.0.1:8000) keeps `vp_csrf` without Secure: clients other than Chromium (and `requests`) do not send a
Secure cookie over http. A form post's Origin must name the configured public base URL, scheme and host.
"""
import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.intake import settings
from services.intake.web import csrf
from services.intake.web.responses import html

TOKEN = "t" * 43


@pytest.fixture()
def public_base_url(monkeypatch):
    def configure(url):
        if url is None:
            monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
        else:
            monkeypatch.setenv("PUBLIC_BASE_URL", url)
        settings.load_web.cache_clear()
    yield configure
    settings.load_web.cache_clear()


def form_post(origin, host, cookie_name, scheme="https"):
    builder = EnvironBuilder(method="POST", path="/nl/form", base_url=f"{scheme}://{host}",
                             headers={"Origin": origin, "Host": host, "Cookie": f"{cookie_name}={TOKEN}"},
                             data={"csrf_token": TOKEN})
    return Request(builder.get_environ())


def test_over_https_the_cookie_is_host_prefixed_and_secure(public_base_url):
    public_base_url("https://voorportaal.example")
    cookie = html("<p>", token=TOKEN).headers["Set-Cookie"]
    assert cookie.startswith("__Host-vp_csrf=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "path", "samesite"} <= attributes and "domain" not in attributes
    assert "Path=/" in cookie and "SameSite=Strict" in cookie


def test_over_local_http_the_cookie_is_plain(public_base_url):
    public_base_url("http://127.0.0.1:8000")
    cookie = html("<p>", token=TOKEN).headers["Set-Cookie"]
    assert cookie.startswith("vp_csrf=") and "Secure" not in cookie


def test_the_token_is_read_from_the_cookie_name_in_use(public_base_url):
    public_base_url("https://voorportaal.example")
    request = form_post("https://voorportaal.example", "voorportaal.example", "__Host-vp_csrf")
    assert csrf.token_for(request) == TOKEN and csrf.valid(request)
    plain = form_post("https://voorportaal.example", "voorportaal.example", "vp_csrf")  # set over http: ignored
    assert csrf.token_for(plain) != TOKEN and not csrf.valid(plain)


@pytest.mark.parametrize("origin, host, accepted", [
    ("https://voorportaal.example", "voorportaal.example", True),
    ("http://voorportaal.example", "voorportaal.example", False),     # scheme differs from the public base URL
    ("https://evil.example", "evil.example", False),                   # a Host header of its own proves nothing
    ("https://voorportaal.example:8443", "voorportaal.example:8443", False),
])
def test_the_origin_must_be_the_public_base_urls_scheme_and_host(public_base_url, origin, host, accepted):
    public_base_url("https://voorportaal.example")
    assert csrf.valid(form_post(origin, host, "__Host-vp_csrf")) is accepted


def test_the_local_run_accepts_its_own_http_origin_only(public_base_url):
    public_base_url("http://127.0.0.1:8000")
    assert csrf.valid(form_post("http://127.0.0.1:8000", "127.0.0.1:8000", "vp_csrf", scheme="http"))
    assert not csrf.valid(form_post("http://localhost:8000", "localhost:8000", "vp_csrf", scheme="http"))
