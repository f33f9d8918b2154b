"""The public form: time to first byte at a steady open-loop rate, and the bytes of every page in every language.

TTFB is counted from when each request was due (fresh connection each time, as a new visitor's would be), so a
server that falls behind shows it. Page bytes are the HTML bodies as served: the start page, and each form step
reached with `goto=<step>` (never validated) carrying a complete set of answers, as a person would have them.
"""
import secrets
import urllib.parse

from openloop import http_request, open_loop, summary_ms

LANGUAGES = ("nl", "en", "es", "ro", "bg", "pl")
STEPS = ("about", "what", "contact", "consent", "review")
ANSWERS = {  # tests/intake/web/web_form_answers.py COMPLETE: a bank complaint with referral consent
    "reporter_role": "sex_worker", "institution_type": "bank", "institution_name": "", "municipality": "GM0363",
    "issue": "account_refused_or_closed", "incident_date": "31-03-2026", "capacity": "private",
    "prior_complaint": "no", "description": "They closed my account.", "wants_mediation": "no",
    "contact_method": "none", "consent_referral": "yes", "consent_share_description": "no", "consent_contact": "no",
}


def ttfb(port, rate, seconds, path_for=lambda i: f"/{LANGUAGES[i % len(LANGUAGES)]}/form"):
    def fire(i, due):
        status, first, total, _body = http_request(port, "GET", path_for(i), started=due)
        return status, first, total

    results, errors, lag = open_loop(rate, seconds, fire)
    done = [r for r in results if r is not None]
    return {"rate_per_s": rate, "seconds": seconds, "sent": len(results), "errors": len(errors),
            "non_200": sum(1 for status, *_ in done if status != 200), "generator_lag_ms": round(lag * 1000, 1),
            "ttfb": summary_ms([first for _s, first, _t in done]),
            "complete": summary_ms([total for _s, _f, total in done])}


def page_bytes(port):
    """{lang: {"start": bytes, step: bytes, ...}}; 0 where the page did not answer 200."""
    token = secrets.token_urlsafe(32)
    headers = {"Cookie": f"vp_csrf={token}", "Content-Type": "application/x-www-form-urlencoded"}
    sizes = {}
    for lang in LANGUAGES:
        status, _f, _t, body = http_request(port, "GET", f"/{lang}/")
        sizes[lang] = {"start": len(body) if status == 200 else 0}
        for step in STEPS:
            form = urllib.parse.urlencode({**ANSWERS, "csrf_token": token, "step": "review", "goto": step}).encode()
            status, _f, _t, body = http_request(port, "POST", f"/{lang}/form", form, headers)
            sizes[lang][step] = len(body) if status == 200 else 0
    return sizes
