"""The mediator's link pages on notification's own address: GET shows a confirmation, POST acts.

Mail scanners and link previews open links, so a GET never changes anything; the POST from the page calls the
use case (accept, decline, record the outcome). The token is checked before any database lookup. The HTML is
pages.py.
"""
import html

from marshmallow import ValidationError

from services.notification.domain import signed_links
from services.notification.use_cases import reactions
from services.notification.web.pages import INVALID, STATE_TEXT, confirmation, outcome_form, page

MAX_FORM_BYTES = 4096


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
                return page(400, title, f"<p>Please check: {names}.</p>" + outcome_form(token)), action, "invalid"
            done_text = "Thank you: the outcome is recorded and the case is closed."
        session.commit()
    if code == reactions.DONE:
        return page(200, title, f"<p>{done_text}</p>"), action, code
    return page(200 if code == reactions.ALREADY_DONE else 409, title, f"<p>{STATE_TEXT[code]}</p>"), action, code
