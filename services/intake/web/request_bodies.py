"""Request bodies: the size limit every POST meets, and the API's JSON bodies (type and size checked before
parsing)."""
import json

from marshmallow import ValidationError

from libs.kit import web_forms
from services.intake.web.responses import HttpError

MAX_BODY_BYTES = 1024 * 1024
# a message with its files: three files of at most 5 MB and the rest of the form
MAX_MESSAGE_BODY_BYTES = 16 * 1024 * 1024
# no body of ours nests deeper than a few levels; deeper is refused before anything walks it recursively
MAX_JSON_DEPTH = 32


def parse_form_in_memory(request, max_bytes=MAX_BODY_BYTES):
    """The posted form, files kept in memory (libs/kit/web_forms.py); HttpError 413 or 400 when refused."""
    try:
        web_forms.parse_form_in_memory(request, max_bytes)
    except web_forms.FormRefused as refused:
        message = "The request body is too large." if refused.status == 413 else "The form could not be read."
        raise HttpError(refused.status, "payload_too_large" if refused.status == 413 else "invalid_form",
                        message) from None


def read_json_body(request):
    """Checks content type and size before parsing; raises HttpError (415, 413, 400)."""
    mimetype = (request.mimetype or "").lower()
    if mimetype != "application/json":
        raise HttpError(415, "unsupported_media_type", "Send the body as application/json.")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise HttpError(413, "payload_too_large", "The request body is larger than 1 MB.")
    raw = request.stream.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise HttpError(413, "payload_too_large", "The request body is larger than 1 MB.")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        # RecursionError: nested deeper than the parser's stack allows ("[[[[..." of 1 MB); bad input, not our fault
        raise HttpError(400, "invalid_json", "The body is not valid JSON.") from None
    if json_depth(body) > MAX_JSON_DEPTH:
        raise HttpError(400, "invalid_json", f"The body is nested deeper than {MAX_JSON_DEPTH} levels.")
    if not isinstance(body, dict):
        raise HttpError(400, "invalid_json", "The body must be a JSON object.")
    return body


def json_depth(value):
    """How deeply a parsed JSON value nests, measured without recursion (so it cannot overflow itself)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def validation_fields(messages):
    """marshmallow's messages name the fields and rules; they never contain the submitted values."""
    return messages if isinstance(messages, dict) else {"_schema": messages}


def load_or_400(schema, body, code):
    """The body loaded by a marshmallow schema, or HttpError 400 `code` naming the fields that need attention."""
    try:
        return schema.load(body)
    except ValidationError as exc:
        raise HttpError(400, code, "Some fields need attention.", validation_fields(exc.messages)) from None
