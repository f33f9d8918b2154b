"""The conversation's message format, shared by intake (the person's side) and casework (the desk's side).

A message is a sealed item (sealing.py, kind "message") whose content is
{"text", "text_staff"?, "attachments": [{"attachment_id", "name", "content_type", "size", "key"}]}: the files'
keys travel only inside the sealed message (attachments.py). Free text is kept as written, with control
characters (except line breaks and tabs) and bidirectional overrides removed, so a message cannot disguise what it
says; file names are for display only.
"""
import base64
import io
import re
import secrets

from libs.contracts import attachments as files
from libs.contracts.events import ATTACHMENT_MAX_BYTES

TEXT_MAX_CHARS = 10_000
NAME_MAX_CHARS = 120
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class TextTooLong(ValueError):
    pass


def new_id() -> str:
    return secrets.token_hex(16)


def clean_text(text) -> str:
    cleaned = _CONTROLS.sub("", (text if isinstance(text, str) else "").replace("\r\n", "\n")).strip()
    if len(cleaned) > TEXT_MAX_CHARS:
        raise TextTooLong("too_long")
    return cleaned


def clean_name(name: str) -> str:
    """A file name for display only: no path, no controls, bounded."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return _CONTROLS.sub("", base).strip()[:NAME_MAX_CHARS] or "file"


def seal_upload(name: str, declared_type: str, data: bytes) -> tuple:
    """(the file's entry for the sealed message, its ciphertext): checked by content and cleaned of metadata
    (attachments.check_and_clean; raises RefusedFile), then encrypted with a key of its own."""
    content_type, clean = files.check_and_clean(declared_type, data, ATTACHMENT_MAX_BYTES)
    key = files.new_file_key()
    out = io.BytesIO()
    size = files.encrypt(key, io.BytesIO(clean), out)
    return {"attachment_id": new_id(), "name": clean_name(name), "content_type": content_type, "size": size,
            "key": files.key_text(key)}, out.getvalue()


def shown_files(content: dict) -> list:
    """The files of an opened message as shown (their keys stay inside)."""
    return [{k: f[k] for k in ("attachment_id", "name", "content_type", "size")}
            for f in content.get("attachments", [])]


def file_key(content: dict, attachment_id: str):
    """(name, key) of one file of an opened message, or None."""
    found = next((f for f in content.get("attachments", []) if f["attachment_id"] == attachment_id), None)
    return (found["name"], files.key_from_text(found["key"])) if found else None


def event_files(sealed_files) -> list:
    """The `attachments` of a conversation event: each file's ciphertext, base64."""
    return [{"attachment_id": meta["attachment_id"], "content_type": meta["content_type"], "size": meta["size"],
             "sealed": base64.b64encode(ciphertext).decode()} for meta, ciphertext in sealed_files]
