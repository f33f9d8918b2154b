"""Posted forms with files, parsed with every uploaded file kept in memory: werkzeug's default spools a file over
500 KB to a temporary file on disk, and a person's letter or photo must never be written anywhere unsealed. For
every service that takes files (intake's follow-up page and API, the workspace)."""
import io

from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.formparser import parse_form_data

FIELDS_MAX_BYTES = 1024 * 1024  # the form's text fields together


class FormRefused(Exception):
    """The form is too large (status 413) or cannot be read (400)."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def _in_memory(total_content_length, content_type, filename=None, content_length=None):
    return io.BytesIO()


def parse_form_in_memory(request, max_bytes):
    """Parse the posted form now; later reads of `request.form` and `request.files` get this result. Raises
    FormRefused over `max_bytes` (checked before reading) or for a malformed body."""
    if request.content_length is None or request.content_length > max_bytes:
        raise FormRefused(413)
    if "form" in request.__dict__:
        return
    try:
        _stream, form, files = parse_form_data(request.environ, stream_factory=_in_memory,
                                               max_content_length=max_bytes, max_form_memory_size=FIELDS_MAX_BYTES,
                                               silent=False)
    except RequestEntityTooLarge:
        raise FormRefused(413) from None
    except (BadRequest, ValueError):  # werkzeug raises ValueError for a multipart type without a boundary
        raise FormRefused(400) from None
    request.__dict__["form"], request.__dict__["files"] = form, files
