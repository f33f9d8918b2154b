"""Request bodies: the size limit every POST meets, and the API's JSON bodies (type and size checked before
parsing)."""
import io
import json

from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest as WerkzeugBadRequest
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import parse_form_data

from services.intake.web.responses import HttpError

MAX_BODY_BYTES = 1024 * 1024
# a message with its files: three files of at most 5 MB and the rest of the form
MAX_MESSAGE_BODY_BYTES = 16 * 1024 * 1024


def _in_memory(total_content_length, content_type, filename=None, content_length=None):
    return io.BytesIO()


def parse_form_in_memory(request, max_bytes=MAX_BODY_BYTES):
    """Parse a posted form now, with every uploaded file kept in memory: werkzeug's default spools a file over 500 KB
    to a temporary file on disk, and a person's letter or photo must never be written anywhere unsealed. Later reads of
    `request.form` / `request.files` get this result. Raises HttpError 413 over `max_bytes`."""
    if request.content_length is None or request.content_length > max_bytes:
        raise HttpError(413, "payload_too_large", "The request body is too large.")
    if "form" in request.__dict__:
        return
    try:
        _stream, form, files = parse_form_data(request.environ, stream_factory=_in_memory,
                                               max_content_length=max_bytes, max_form_memory_size=MAX_BODY_BYTES,
                                               silent=False)
    except RequestEntityTooLarge:
        raise HttpError(413, "payload_too_large", "The request body is too large.") from None
    except WerkzeugBadRequest:
        raise HttpError(400, "invalid_form", "The form could not be read.") from None
    request.__dict__["form"], request.__dict__["files"] = form, files


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
    except (UnicodeDecodeError, ValueError):
        raise HttpError(400, "invalid_json", "The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise HttpError(400, "invalid_json", "The body must be a JSON object.")
    return body


def validation_fields(messages):
    """marshmallow's messages name the fields and rules; they never contain the submitted values."""
    return messages if isinstance(messages, dict) else {"_schema": messages}


def load_or_400(schema, body, code):
    """The body loaded by a marshmallow schema, or HttpError 400 `code` naming the fields that need attention."""
    try:
        return schema.load(body)
    except ValidationError as exc:
        raise HttpError(400, code, "Some fields need attention.", validation_fields(exc.messages)) from None
