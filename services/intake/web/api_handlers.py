"""The public API's handlers: a werkzeug request in, a JSON response out; the use cases do the work.

Every handler runs inside `observed` (rate limits, failures, metrics); an HttpError becomes the uniform error
body. A case is only shown or changed with its receipt (receipt_auth.py). Logs name the case reference only.
"""
from libs.kit.logs import get_logger
from services.intake.metrics import COMPLAINTS_RECEIVED
from services.intake.domain.feedback import FeedbackRefused
from services.intake.use_cases import feedback, filing, follow_up, route_explorer
from services.intake.web.api_schemas import ComplaintRequest, FeedbackAnswer, ProgressUpdate, RouteQuery
from services.intake.web.receipt_auth import authorise
from services.intake.web.request_bodies import load_or_400, read_json_body
from services.intake.web.responses import HttpError, json_response

log = get_logger()
# built once: constructing a marshmallow schema costs more than a load, and these keep no per-request state
COMPLAINT_SCHEMA, PROGRESS_SCHEMA, ROUTE_SCHEMA = ComplaintRequest(), ProgressUpdate(), RouteQuery()
FEEDBACK_SCHEMA = FeedbackAnswer()
FEEDBACK_CONFLICTS = {
    "not_asked": "There is no question to answer for this complaint yet.",
    "already_given": "You have answered already. Thank you.",
    "window_closed": "The time to answer has passed (90 days after we asked).",
    "comment_not_possible": "This complaint has no conversation with the desk, so a free answer cannot be kept.",
}


def file_complaint(request, sessions, settings):
    """POST /api/v1/complaints: 201 with the reference and the receipt (shown this once). A repeated request (same
    Idempotency-Key, same body) gets 201 with the reference only and `receipt_shown_before`: whoever can repeat a
    request must not get a working receipt for a day (issue 19, finding 8)."""
    complaint = load_or_400(COMPLAINT_SCHEMA, read_json_body(request), "invalid_complaint")
    idempotency_key = request.headers.get("Idempotency-Key")
    if idempotency_key is not None and not (8 <= len(idempotency_key) <= 128):
        raise HttpError(400, "invalid_idempotency_key", "Idempotency-Key must be 8 to 128 characters.")
    with sessions() as session:
        try:
            filed = filing.file_complaint(session, complaint, settings.receipt_key,
                                          idempotency_key, messaging_key=settings.messaging_key)
        except filing.IdempotencyConflict:
            raise HttpError(422, "idempotency_key_reused",
                            "This Idempotency-Key was used for a different complaint.") from None
    if filed.created:
        COMPLAINTS_RECEIVED.inc()
        log.info("complaint.accepted", case_ref=filed.reference)
    body = {"reference": filed.reference, "status_url": f"/api/v1/complaints/{filed.reference}",
            "receipt_shown_before": not filed.created}
    if filed.created:
        body["receipt"] = filed.receipt
    return json_response(201, body, {"Location": f"/api/v1/complaints/{filed.reference}"})


def show_complaint(request, sessions, settings, reference):
    with sessions() as session:
        authorise(session, request, reference, settings.receipt_key)
        return json_response(200, follow_up.case_view(session, reference))


def report_progress(request, sessions, settings, reference):
    body = read_json_body(request)
    with sessions() as session:
        authorise(session, request, reference, settings.receipt_key)  # before the body is judged
        update = load_or_400(PROGRESS_SCHEMA, body, "invalid_update")
        follow_up.report_progress(session, reference, update["kind"], update["on"])
    return json_response(202, {"reference": reference, "accepted": True})


def give_feedback(request, sessions, settings, reference):
    """POST .../feedback: 201 with the accepted answers; 409 when there is no open question (see FEEDBACK_CONFLICTS)."""
    body = read_json_body(request)
    with sessions() as session:
        authorise(session, request, reference, settings.receipt_key)  # before the body is judged
        answers = load_or_400(FEEDBACK_SCHEMA, body, "invalid_feedback")
        try:
            accepted = feedback.answer(session, reference, answers)
        except FeedbackRefused as refused:
            session.rollback()
            reason = refused.args[0]
            if isinstance(reason, dict):
                raise HttpError(400, "invalid_feedback", "Some fields need attention.",
                                {name: [code] for name, code in reason.items()}) from None
            raise HttpError(409, reason, FEEDBACK_CONFLICTS[reason]) from None
        session.commit()
    log.info("complaint.feedback_given", case_ref=reference, reopen=accepted["reopen"])
    return json_response(201, {"reference": reference, **{k: v.isoformat() if hasattr(v, "isoformat") else v
                                                          for k, v in accepted.items()}})


def withdraw(request, sessions, settings, reference):
    with sessions() as session:
        authorise(session, request, reference, settings.receipt_key)
        follow_up.withdraw(session, reference, settings.receipt_key)
    log.info("complaint.withdrawn", case_ref=reference)
    return json_response(200, {"reference": reference, "status": "withdrawn"})


def stop_messages(request, sessions, settings, reference):
    """Withdraw consent to be contacted: no more status messages; the complaint stays open. Repeating it
    changes nothing."""
    with sessions() as session:
        authorise(session, request, reference, settings.receipt_key)
        if follow_up.stop_messages(session, reference):
            log.info("complaint.messages_stopped", case_ref=reference)
    return json_response(200, {"reference": reference, "contact_consent": False})


def route(request):
    """POST /api/v1/route: the plan for the given facts; stores nothing, emits nothing."""
    query = load_or_400(ROUTE_SCHEMA, read_json_body(request), "invalid_route_question")
    return json_response(200, route_explorer.plan_for(query))


def channels():
    return json_response(200, route_explorer.public_channels())


def openapi():
    # imported on the first request: apispec (and PyYAML with it) then stays out of a process nobody asks for it
    from services.intake.web.openapi import openapi_document
    return json_response(200, openapi_document())
