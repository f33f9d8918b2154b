"""The conversation's rules on intake's side: what a person's message may hold, how much of it, how often.

A message is sealed to the case's public key (libs/contracts/sealing.py, kind "message") as
{"text", "attachments": [{"attachment_id", "name", "content_type", "size", "key"}]}: the files' keys travel only
inside the sealed message. Free text is kept as written, with control characters (except line breaks and tabs)
and bidirectional overrides removed, so a message cannot disguise what it says.
"""
import re
import secrets

TEXT_MAX_CHARS = 10_000
MESSAGES_PER_HOUR = 20  # per case: a flood from one person or a stolen receipt is bounded
NAME_MAX_CHARS = 120
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class MessageRefused(ValueError):
    """A message that cannot be taken: empty, too_long, too_many_files, too_many_messages."""


def new_id() -> str:
    return secrets.token_hex(16)


def clean_text(text) -> str:
    if not isinstance(text, str):
        raise MessageRefused("empty")
    cleaned = _CONTROLS.sub("", text.replace("\r\n", "\n")).strip()
    if len(cleaned) > TEXT_MAX_CHARS:
        raise MessageRefused("too_long")
    return cleaned


def clean_name(name: str) -> str:
    """A file name for display only: no path, no controls, bounded."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return _CONTROLS.sub("", base).strip()[:NAME_MAX_CHARS] or "file"


def content(text: str, files: list) -> dict:
    """The sealed message's content; `files`: dicts with attachment_id, name, content_type, size, key."""
    if not text and not files:
        raise MessageRefused("empty")
    return {"text": text, "attachments": files}
