"""The server-rendered pages' handlers: a werkzeug request in, an HTML response out (the pages themselves are
rendered by pages.py). The same use cases as the API's handlers do the work; a POST passes the size, type and
CSRF checks first, and the follow-up page checks the receipt before every action."""
import functools

from marshmallow import ValidationError
from werkzeug.wrappers import Response

from libs.contracts.attachments import RefusedFile
from libs.kit.logs import get_logger
from services.intake.domain.conversation import MessageRefused
from services.intake.metrics import COMPLAINTS_RECEIVED
from services.intake.domain.feedback import FeedbackRefused
from services.intake.use_cases import conversation, feedback, filing, follow_up
from services.intake.web import csrf, pages
from services.intake.web.api_schemas import ComplaintRequest
from services.intake.web.conversation_handlers import file_response, uploads_of
from services.intake.web.page_data import follow_up_status, plan_for_page
from services.intake.web.receipt_auth import check_form_receipt
from services.intake.web.request_bodies import MAX_BODY_BYTES, MAX_MESSAGE_BODY_BYTES, parse_form_in_memory
from services.intake.web.responses import HttpError, error_page, html, secured

log = get_logger()
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def known_language(page):
    """Route decorator: a page in a language we do not have is a 404, not a page in the wrong language."""
    @functools.wraps(page)
    def wrapper(self, request, lang):
        if lang not in pages.SUPPORTED_LANGUAGES:
            return error_page("nl", 404)
        return page(self, request, lang)
    return wrapper


def checked_post(request, lang, max_bytes=MAX_BODY_BYTES):
    """None when the POST may proceed, else the error response (size, type, CSRF). The form is parsed here, with
    any uploaded file kept in memory (never spooled to disk unsealed)."""
    if request.content_length is not None and request.content_length > max_bytes:
        return error_page(lang, 413)
    if (request.mimetype or "") not in FORM_TYPES:
        return error_page(lang, 415)
    try:
        parse_form_in_memory(request, max_bytes)
    except HttpError as refused:
        return error_page(lang, refused.status)
    if not csrf.valid(request):
        return error_page(lang, 403)
    return None


def start_page(request, lang):
    token = csrf.token_for(request)
    return html(pages.render_start(lang, token), lang=lang, token=token)


def form_page(request, lang, sessions, settings):
    """GET: the first step. POST: validate this step, show the next, or file the complaint after review."""
    token = csrf.token_for(request)
    if request.method == "GET":
        return html(pages.render_form_step(lang, pages.FORM_STEPS[0], {}, {}, token), lang=lang, token=token)
    refused = checked_post(request, lang)
    if refused is not None:
        return refused
    current = request.form.get("step", pages.FORM_STEPS[0])
    following, values, errors = pages.next_step(current, request.form)
    if following is not None:
        status = 400 if errors else 200
        return html(pages.render_form_step(lang, following, values, errors, token), status=status, lang=lang,
                    token=token)
    try:
        complaint = ComplaintRequest().load(pages.form_to_complaint(values, lang))
    except ValidationError:
        # the steps check the same rules; this only happens when hidden fields were edited by hand
        return html(pages.render_form_step(lang, "review", values, {"description": "invalid"}, token),
                    status=400, lang=lang, token=token)
    with sessions() as session:
        filed = filing.file_complaint(session, complaint, settings.receipt_key,
                                      messaging_key=settings.messaging_key)    # as POST /api/v1/complaints
    COMPLAINTS_RECEIVED.inc()
    log.info("complaint.accepted", case_ref=filed.reference, via="form")
    return html(pages.render_confirmation(lang, filed.reference, filed.receipt,
                                          f"/{lang}/follow-up"), status=201, lang=lang, token=token)


def follow_up_page(request, lang, sessions, settings):
    """GET: the lookup form. POST: reference + receipt (in the body, never in a URL) and an `action`: show the
    status, report progress, stop messages, ask to confirm a withdrawal, or withdraw and erase. Every action checks
    the receipt."""
    token = csrf.token_for(request)

    def page(status_view, http_status=200, **shown):
        return html(pages.render_follow_up(lang, token, status_view, shown.pop("error", None), **shown),
                    status=http_status, lang=lang, token=token)
    if request.method == "GET":
        return page(None)
    refused = checked_post(request, lang, max_bytes=MAX_MESSAGE_BODY_BYTES)
    if refused is not None:
        return refused
    reference = request.form.get("reference", "").strip().upper()[:16]
    receipt = request.form.get("receipt", "")[:64]
    action = pages.chosen_action(request.form)
    with sessions() as session:
        outcome = check_form_receipt(session, request, reference, receipt, settings.receipt_key)
        if outcome != "ok":
            locked = outcome == "locked"
            return page(None, 429 if locked else 404, error="rate_limited" if locked else "not_found")
        if action == "withdraw_confirmed":
            follow_up.withdraw(session, reference, settings.receipt_key)  # the use case of DELETE /api/v1/...
            log.info("complaint.withdrawn", case_ref=reference, via="form")
            return page(None, notice="withdrawn")
        update, values, errors, notice = None, {}, {}, None
        if action == "stop_messages":
            if follow_up.stop_messages(session, reference):    # the same use case as DELETE .../contact
                log.info("complaint.messages_stopped", case_ref=reference, via="form")
            notice = "messages_stopped"
        if action == "progress":
            update, values, errors = pages.parse_progress(request.form)
        if update is not None:
            follow_up.report_progress(session, reference, update["kind"], update["on"])  # as POST .../updates
            values, notice = {}, "progress_saved"
        if action == "download":
            found = _attachment(session, reference, receipt, request.form.get("attachment_id", ""))
            if found is not None:
                return file_response(*found)
        feedback_shown, http_status = None, 200
        if action == "feedback":
            feedback_shown, notice, http_status = _give_feedback(session, reference, request.form)
        message_errors = {}
        if action == "write_message":
            message_errors = _write_message(session, reference, request)
            notice = None if message_errors else "message_sent"
        view = follow_up_status(follow_up.case_view(session, reference))
        messages = _conversation(session, reference, receipt)
    # the receipt is shown back only now that it has been checked, in hidden fields for the next action
    return page(view, 400 if errors or message_errors else http_status, receipt=receipt, values=values, errors=errors,
                notice=notice, confirm_withdraw=action == "withdraw", conversation=messages,
                message_errors=message_errors, feedback=feedback_shown)


def _give_feedback(session, reference, form):
    """The answer to "did it help?" / "is it solved?" from the page (the same use case as POST .../feedback):
    (what the form shows again, the notice, the HTTP status)."""
    values = pages.feedback_values(form)
    try:
        accepted = feedback.answer(session, reference, values)
    except FeedbackRefused as refused:
        session.rollback()
        reason = refused.args[0]
        if isinstance(reason, dict):
            errors = {name: "comment_too_long" if name == "comment" else code for name, code in reason.items()}
            return {"answers": values, "errors": errors, "refused": None}, None, 400
        return {"answers": {}, "errors": {}, "refused": reason}, None, 409
    session.commit()
    log.info("complaint.feedback_given", case_ref=reference, via="form", reopen=accepted["reopen"])
    return None, "feedback_reopen" if accepted["reopen"] else "feedback_saved", 200


MESSAGE_ERRORS = {"empty": ("message", "message_empty"), "too_long": ("message", "too_long"),
                  "too_many_files": ("attachment", "too_many_files"),
                  "too_many_messages": ("message", "too_many_messages"),
                  "too_large": ("attachment", "file_too_large"), "wrong_type": ("attachment", "file_type"),
                  "content_mismatch": ("attachment", "file_mismatch"),
                  "unreadable_image": ("attachment", "image_unreadable")}


def _write_message(session, reference, request):
    """The person's message from the page (the same use case as POST .../messages); {field: error code}."""
    try:
        conversation.write(session, reference, request.form.get("text", ""), uploads_of(request))
    except (MessageRefused, RefusedFile) as refused:
        session.rollback()
        field, code = MESSAGE_ERRORS[str(refused)]
        return {field: code}
    except conversation.NoConversation:
        return {"message": "message_empty"}
    log.info("conversation.person_wrote", case_ref=reference, via="form")
    return {}


def _conversation(session, reference, receipt):
    try:
        return conversation.read(session, reference, receipt)
    except conversation.NoConversation:
        return None


def _attachment(session, reference, receipt, attachment_id):
    try:
        return conversation.attachment(session, reference, receipt, attachment_id[:32])
    except conversation.NoConversation:
        return None


def options_page(request, lang):
    token = csrf.token_for(request)
    if request.method == "GET":
        return html(pages.render_route_explorer(lang, token, {}, None, {}), lang=lang, token=token)
    refused = checked_post(request, lang)
    if refused is not None:
        return refused
    query, values, errors = pages.parse_route_question(request.form)
    plan = plan_for_page(query) if query is not None else None
    return html(pages.render_route_explorer(lang, token, values, plan, errors), status=400 if errors else 200,
                lang=lang, token=token)


def static(name):
    found = pages.static_file(name)
    if found is None:
        return error_page("nl", 404)
    content_type, body = found
    response = Response(body, mimetype=content_type)
    # no-store like every page (secured): a cached stylesheet on a shared or checked phone shows the desk was visited
    secured(response)
    return response
