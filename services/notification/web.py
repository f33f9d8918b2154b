"""The mediator's link pages on notification's own address: GET shows a confirmation, POST acts (plain werkzeug).

Mail scanners and link previews open links, so a GET never changes anything. The token is in the path, so
the pages send `Referrer-Policy: no-referrer` and are never cached. Pages name the case reference only.
"""
import html

from marshmallow import ValidationError
from werkzeug.wrappers import Response

from libs.contracts.events import MEDIATION_OUTCOMES
from services.notification import reactions, signed_links

MAX_FORM_BYTES = 4096
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


def _outcome_form(token):
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
        return page(200, title, _outcome_form(token))
    # both choices on one page: the request's other link carries the same expiry
    expires = signed_links.expires_at_of(token)
    other = "decline" if action == "accept" else "accept"
    tokens = {action: token, other: signed_links.make_token(secret, case_ref, mediator_id, other, expires)}
    return page(200, title, "<p>Do you take on this mediation? Nothing happens until you press a button.</p>"
                + _button_form(tokens["accept"], "Accept this case")
                + _button_form(tokens["decline"], "Decline this case"))


def handle_link(request, token, sessions, secret, policy, now):
    """GET: confirmation page. POST: accept / decline / record the outcome. Returns (response, action, code)."""
    try:
        case_ref, mediator_id, action = signed_links.read_token(secret, token, now)
    except signed_links.InvalidToken as exc:
        status, text = INVALID.get(str(exc), INVALID["malformed"])
        return page(status, "Link not valid", f"<p>{text}</p>"), None, str(exc)
    title = f"Case {case_ref}"
    if request.method != "POST":
        with sessions() as session:
            state = reactions.state_for(session, case_ref, mediator_id, action)
        return confirmation(secret, token, case_ref, mediator_id, action, state), action, "shown"
    if request.content_length is not None and request.content_length > MAX_FORM_BYTES:
        return page(413, title, "<p>The form is too large.</p>"), action, "too_large"
    with sessions() as session:
        if action == "accept":
            code = reactions.accept(session, case_ref, mediator_id, now)
            done_text = "Thank you: you accepted this case. An e-mail with the outcome link is on its way."
        elif action == "decline":
            code, _handed = reactions.decline(session, case_ref, mediator_id, now, policy)
            done_text = "Thank you: you declined this case. It goes to another mediator or the desk's coordinator."
        else:
            try:
                code = reactions.record_outcome(session, case_ref, mediator_id, request.form.to_dict(), now)
            except ValidationError as exc:
                session.rollback()
                names = ", ".join(sorted(html.escape(str(name)[:40]) for name in exc.messages))
                return page(400, title, f"<p>Please check: {names}.</p>" + _outcome_form(token)), action, "invalid"
            done_text = "Thank you: the outcome is recorded and the case is closed."
        session.commit()
    if code == reactions.DONE:
        return page(200, title, f"<p>{done_text}</p>"), action, code
    return page(200 if code == reactions.ALREADY_DONE else 409, title, f"<p>{STATE_TEXT[code]}</p>"), action, code
