"""Helpers shared by the security suite: header assertions, a valid form, mediator links from the mail catcher."""
import re

import requests
from requests.adapters import HTTPAdapter

from support.platform import complaint, file_complaint, wait_for

MIN_HSTS_SECONDS = 31_536_000  # one year (ASVS 3.4.1)
LINK = re.compile(r"https?://[^\s/]+/mediator/links/[A-Za-z0-9_.\-]+")
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')

# every answer of the form's five steps, valid: POSTed with step=review it files a complaint
VALID_FORM = {
    "reporter_role": "sex_worker", "institution_type": "bank", "institution_name": "De Bank",
    "municipality": "GM0363", "issue": "account_refused_or_closed", "incident_date": "05-01-2026",
    "capacity": "private", "prior_complaint": "no", "prior_filed_on": "", "prior_final_answer_on": "",
    "description": "My bank closed my account.", "wants_mediation": "no", "contact_method": "none",
    "contact_address": "", "contact_safe_times": "", "contact_no_voicemail": "",
    "consent_referral": "no", "consent_share_description": "no", "consent_contact": "no",
}


def directives(csp):
    """{'default-src': "'self'", ...} from a Content-Security-Policy value."""
    found = {}
    for part in (csp or "").split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            found[name.lower()] = value.strip()
    return found


def security_header_problems(response, cache_control="no-store"):
    """The missing or weak security headers of one response, as readable strings (empty when all is well)."""
    headers = response.headers
    problems = []
    csp = directives(headers.get("Content-Security-Policy"))
    if csp.get("default-src") not in ("'self'", "'none'"):
        problems.append(f"CSP default-src is {csp.get('default-src')!r}")
    if csp.get("frame-ancestors") != "'none'":
        problems.append("CSP frame-ancestors 'none' missing")
    if csp.get("default-src") != "'none'" and csp.get("object-src") != "'none'":
        problems.append("CSP object-src 'none' missing")
    if csp.get("base-uri") not in ("'none'", "'self'"):
        problems.append("CSP base-uri missing")
    if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        problems.append("X-Content-Type-Options: nosniff missing")
    if headers.get("Referrer-Policy", "").lower() != "no-referrer":
        problems.append(f"Referrer-Policy is {headers.get('Referrer-Policy')!r}")
    if cache_control is not None and cache_control not in headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control is {headers.get('Cache-Control')!r}")
    hsts = re.search(r"max-age=(\d+)", headers.get("Strict-Transport-Security", ""))
    if not hsts or int(hsts.group(1)) < MIN_HSTS_SECONDS:
        problems.append(f"HSTS is {headers.get('Strict-Transport-Security')!r}")
    if "Access-Control-Allow-Origin" in headers:
        problems.append("Access-Control-Allow-Origin present (no cross-origin reads are allowed)")
    if "Server" in headers and re.search(r"\d", headers["Server"]):
        problems.append(f"Server header gives versions: {headers['Server']!r}")
    return problems


def form_session(base_url, lang="nl", page="form", session=None):
    """A requests session holding the CSRF cookie, and the token the page rendered."""
    session = session or requests.Session()
    page_response = session.get(f"{base_url}/{lang}/{page}", timeout=10)
    assert page_response.status_code == 200
    token = CSRF_FIELD.search(page_response.text).group(1)
    assert session.cookies.get("vp_csrf") == token
    return session, token


def same_origin_headers(base_url):
    return {"Origin": base_url, "Sec-Fetch-Site": "same-origin"}


def mediator_link(platform, mailbox, **overrides):
    """File a complaint that asks for mediation; return (filed, the mediator's e-mail, its links).
    Spanish in Rotterdam: only the security suite's own mediator (tests/security/conftest.py) fits."""
    filed = file_complaint(platform.base_url, complaint(wants_mediation=True, **overrides))
    mail = wait_for(lambda: [m for m in mailbox.messages if filed["reference"] in m["content"]
                             and LINK.search(m["content"])], timeout=30, what="the mediator's e-mail")[0]
    return filed, mail, LINK.findall(mail["content"])


class SourceAddressAdapter(HTTPAdapter):
    """Connect from a chosen loopback address: a different client as far as intake can tell."""

    def __init__(self, source, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def client_session(source, pool=32):
    session = requests.Session()
    adapter = SourceAddressAdapter(source, pool_connections=pool, pool_maxsize=pool)
    session.mount("http://", adapter)
    return session
