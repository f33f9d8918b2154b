"""The mediator's link pages as HTML (plain werkzeug): the confirmation with its buttons, the outcome form, and
what a link that is stale, done or invalid says. Acting on a link is links.py.

The token is in the path, so the pages send `Referrer-Policy: no-referrer` and are never cached. Pages name the
case reference only. Mediators are the desk's own people: the pages are in English.
"""
import html

from werkzeug.wrappers import Response

from libs.contracts.events import MEDIATION_OUTCOMES
from services.notification.domain import signed_links
from services.notification.use_cases import reactions

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex",
}
INVALID = {"expired": (410, "This link has expired. Please contact the desk."),
           "bad_signature": (404, "This link is not valid."), "malformed": (404, "This link is not valid.")}
STATE_TEXT = {
    reactions.ALREADY_DONE: "This has already been done. Nothing more to do.",
    reactions.STALE: "This case is no longer waiting for you (it was reassigned or closed). Nothing was changed.",
    reactions.NOT_ACCEPTED: "Please accept the case before recording an outcome.",
}
OUTCOME_LABELS = {"resolved": "Resolved between the person and the institution",
                  "referred_on": "Referred on to another channel or organisation",
                  "withdrawn": "The person stopped", "no_contact": "The person could not be reached",
                  "not_resolved": "Ended without a solution"}


def page(status, title, body_html):
    document = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{html.escape(title)} - Voorportaal</title></head>"
                f"<body><main><h1>{html.escape(title)}</h1>{body_html}</main></body></html>")
    response = Response(document, status=status, mimetype="text/html")
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response


def _button_form(token, label):
    return (f'<form method="post" action="/mediator/links/{html.escape(token)}">'
            f'<button type="submit">{html.escape(label)}</button></form>')


def outcome_form(token):
    options = "".join(f'<p><label><input type="radio" name="outcome" value="{code}" required> '
                      f"{html.escape(OUTCOME_LABELS.get(code, code))}</label></p>" for code in MEDIATION_OUTCOMES)
    satisfaction = "".join(f'<option value="{n}">{n}</option>' for n in ("1", "2", "3", "4", "5"))
    return (f'<form method="post" action="/mediator/links/{html.escape(token)}">'
            f"<fieldset><legend>How did the mediation end?</legend>{options}</fieldset>"
            '<p><label for="satisfaction">The person\'s satisfaction (1 = very unhappy, 5 = very happy)</label> '
            f'<select id="satisfaction" name="satisfaction"><option value="">not asked</option>{satisfaction}'
            "</select></p><p>Codes only: please do not write anything about the person.</p>"
            '<button type="submit">Record the outcome</button></form>')


def confirmation(secret, token, case_ref, mediator_id, action, state):
    title = f"Case {case_ref}"
    if state != reactions.DONE:
        return page(200 if state == reactions.ALREADY_DONE else 409, title, f"<p>{STATE_TEXT[state]}</p>")
    if action == "outcome":
        return page(200, title, outcome_form(token))
    # both choices on one page: the request's other link carries the same expiry
    expires = signed_links.expires_at_of(token)
    other = "decline" if action == "accept" else "accept"
    tokens = {action: token, other: signed_links.make_token(secret, case_ref, mediator_id, other, expires)}
    return page(200, title, "<p>Do you take on this mediation? Nothing happens until you press a button.</p>"
                + _button_form(tokens["accept"], "Accept this case")
                + _button_form(tokens["decline"], "Decline this case"))
