"""The conversation over the API: GET and POST /api/v1/complaints/{reference}/messages and a message's files.

Every call carries the receipt in `Authorization: Receipt …` (receipt_auth.py), which also opens the case's key
for that request. A message is JSON `{"text": …}`, or multipart/form-data with a `text` field and up to three
`attachment` files (PDF, JPEG, PNG; 5 MB each). Errors are the API's uniform body, never an echo of the message.
"""
from werkzeug.wrappers import Response

from libs.contracts.attachments import RefusedFile
from libs.kit.logs import get_logger
from services.intake.domain.conversation import MessageRefused
from services.intake.use_cases import conversation
from services.intake.web.receipt_auth import authorise
from services.intake.web.request_bodies import MAX_MESSAGE_BODY_BYTES, parse_form_in_memory, read_json_body
from services.intake.web.responses import HttpError, json_response, secured

log = get_logger()
REFUSALS = {
    "empty": (400, "empty_message", "Write a message or attach a file."),
    "too_long": (413, "message_too_long", "A message can be at most 10,000 characters."),
    "too_many_files": (400, "too_many_files", "A message can have at most three files."),
    "too_many_messages": (429, "too_many_messages", "Too many messages for this complaint in the last hour. "
                                                    "Please wait and try again."),
    "too_large": (413, "file_too_large", "A file can be at most 5 MB."),
    "wrong_type": (415, "unsupported_file_type", "Send a PDF, JPEG or PNG file."),
    "content_mismatch": (415, "file_content_mismatch", "The file's content is not the type it says it is."),
    "unreadable_image": (415, "unreadable_image", "This image could not be read."),
}


def refusal(reason):
    status, code, message = REFUSALS[reason]
    headers = {"Retry-After": "3600"} if status == 429 else None
    return HttpError(status, code, message, headers=headers)


def message_view(item):
    return {"id": item["id"], "from": item["from"], "text": item["text"], "sent_at": item["sent_at"].isoformat(),
            "read_at": item["read_at"].isoformat() if item["read_at"] else None,
            "request_due": item["request_due"].isoformat() if item["request_due"] else None,
            "attachments": item["attachments"]}


def list_messages(request, sessions, settings, reference):
    with sessions() as session:
        receipt = authorise(session, request, reference, settings.receipt_key)
        try:
            shown = conversation.read(session, reference, receipt)
        except conversation.NoConversation:
            raise HttpError(409, "conversation_unavailable", "This complaint has no conversation.") from None
    return json_response(200, {"reference": reference, "messages": [message_view(m) for m in shown]})


def uploads_of(request):
    return [conversation.Upload(f.filename or "file", f.mimetype or "", f.read())
            for f in request.files.getlist("attachment") if f.filename or f.content_length]


def post_message(request, sessions, settings, reference):
    if (request.mimetype or "") == "multipart/form-data":
        parse_form_in_memory(request, MAX_MESSAGE_BODY_BYTES)
        text, uploads = request.form.get("text", ""), uploads_of(request)
    else:
        body = read_json_body(request)
        if set(body) - {"text"} or not isinstance(body.get("text", ""), str):
            raise HttpError(400, "invalid_message", "Send {\"text\": \"…\"}.", {"text": ["A string."]})
        text, uploads = body.get("text", ""), []
    with sessions() as session:
        authorise(session, request, reference, settings.receipt_key)
        try:
            message_id = conversation.write(session, reference, text, uploads)
        except (MessageRefused, RefusedFile) as refused:
            raise refusal(str(refused)) from None
        except conversation.NoConversation:
            raise HttpError(409, "conversation_unavailable", "This complaint has no conversation.") from None
    log.info("conversation.person_wrote", case_ref=reference, files=len(uploads))
    return json_response(201, {"reference": reference, "id": message_id})


def download(request, sessions, settings, reference, attachment_id):
    with sessions() as session:
        receipt = authorise(session, request, reference, settings.receipt_key)
        try:
            found = conversation.attachment(session, reference, receipt, attachment_id[:32])
        except conversation.NoConversation:
            found = None
    if found is None:
        raise HttpError(404, "not_found", "There is no such file.")
    return file_response(*found)


def file_response(name, content_type, data):
    """A file as a download (never shown inline: a PDF or image from the conversation is not a page of ours)."""
    safe_name = "".join(c for c in name if c.isalnum() or c in "._- ")[:100] or "file"
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return secured(response)
