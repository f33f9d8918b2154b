"""The person's side of the conversation with the desk: write (with files), read (with read marks), download a file.

Sealing needs only the case's public key, so intake seals what the person writes on arrival; reading needs the
case's private key, which intake holds only wrapped for a key derived from the receipt: it is opened during the
person's own request, with the receipt they sent, and forgotten when the request ends. Casework gets the person's
messages in `conversation.person_wrote`; the desk's come back in `conversation.desk_wrote`.
"""
import base64
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update

from libs.contracts import attachments as files
from libs.contracts import conversation as messages_format
from libs.contracts.events import ATTACHMENTS_PER_MESSAGE
from libs.contracts.sealing import open_item, receipt_key, seal_item, unwrap_case_key
from libs.kit.outbox import emit
from services.intake.domain import conversation as rules
from services.intake.tables import attachments, case_keys, messages, outbox
from services.intake.use_cases import cases


class NoConversation(Exception):
    """The case has no key for a conversation (filed before the desk's workspace existed) or is erased."""


@dataclass(frozen=True)
class Upload:
    name: str
    declared_type: str
    data: bytes


def _now(now):
    return now or datetime.now(timezone.utc)


def _case_public_key(session, reference):
    row = session.execute(select(case_keys.c.case_public_key, case_keys.c.receipt_wrap)
                          .where(case_keys.c.reference == reference)).first()
    case = cases.find_case(session, reference)
    if row is None or case is None or case.status in cases.ERASED_STATUSES:
        raise NoConversation()
    return row


def write(session, reference: str, text: str, uploads=(), now=None) -> str:
    """Seal the person's message (and files) for the desk; returns its id. Raises MessageRefused (empty, too_long,
    too_many_files, too_many_messages), files.RefusedFile, NoConversation. Stores nothing when it raises."""
    now = _now(now)
    keys = _case_public_key(session, reference)
    if len(uploads) > ATTACHMENTS_PER_MESSAGE:
        raise rules.MessageRefused("too_many_files")
    recent = session.execute(select(func.count()).select_from(messages).where(
        messages.c.reference == reference, messages.c.author == "person",
        messages.c.sent_at > now - timedelta(hours=1))).scalar()
    if recent >= rules.MESSAGES_PER_HOUR:
        raise rules.MessageRefused("too_many_messages")
    try:
        text = messages_format.clean_text(text or "")
    except messages_format.TextTooLong:
        raise rules.MessageRefused("too_long") from None
    sealed_files = [messages_format.seal_upload(u.name, u.declared_type, u.data) for u in uploads]
    if not text and not sealed_files:
        raise rules.MessageRefused("empty")
    content = {"text": text, "attachments": [meta for meta, _sealed in sealed_files]}
    message_id = store_person_message(session, reference, keys.case_public_key, content, sealed_files, now)
    session.commit()
    return message_id


def seal_free_answer(session, reference: str, text: str, now=None) -> str:
    """The free answer to "did it help?": sealed for the desk as a message from the person (marked as such, so the
    workspace can say what it answers); the caller commits. Raises NoConversation."""
    keys = _case_public_key(session, reference)
    return store_person_message(session, reference, keys.case_public_key,
                                {"text": text, "attachments": [], "about": "feedback"}, [], _now(now))


def store_person_message(session, reference, case_public_key, content, sealed_files, now) -> str:
    """Seal and store one message from the person and emit it to casework (no commit)."""
    message_id = messages_format.new_id()
    sealed = seal_item(base64.b64decode(case_public_key), reference, "message", content)
    session.execute(messages.insert().values(message_id=message_id, reference=reference, author="person",
                                             sealed=sealed, sent_at=now))
    for meta, ciphertext in sealed_files:
        session.execute(attachments.insert().values(
            attachment_id=meta["attachment_id"], message_id=message_id, reference=reference,
            content_type=meta["content_type"], size=meta["size"], sealed=ciphertext))
    emit(session, outbox, "conversation.person_wrote", {
        "case_ref": reference, "message_id": message_id, "sealed": sealed, "sent_at": now,
        "attachments": messages_format.event_files(sealed_files)}, correlation_id=reference)
    return message_id


def _case_key_for_person(session, reference, receipt):
    keys = _case_public_key(session, reference)
    return unwrap_case_key(keys.receipt_wrap, receipt_key(reference, receipt))


def read(session, reference: str, receipt: str, now=None) -> list:
    """The conversation, oldest first, opened with the receipt; the desk's unread messages are marked read (and
    casework is told)."""
    now = _now(now)
    case_key = _case_key_for_person(session, reference, receipt)
    rows = session.execute(select(messages).where(messages.c.reference == reference)
                           .order_by(messages.c.sent_at, messages.c.message_id)).fetchall()
    shown, newly_read = [], []
    for row in rows:
        content = open_item(case_key, reference, "message", row.sealed)
        read_at = row.read_at
        if row.author == "desk" and read_at is None:
            newly_read.append(row.message_id)
            read_at = now
        shown.append({"id": row.message_id, "from": row.author, "text": content.get("text", ""),
                      "sent_at": row.sent_at, "read_at": read_at, "request_due": row.request_due,
                      "attachments": messages_format.shown_files(content)})
    if newly_read:
        session.execute(update(messages).where(messages.c.message_id.in_(newly_read)).values(read_at=now))
        emit(session, outbox, "conversation.read_by_person",
             {"case_ref": reference, "message_ids": newly_read, "read_at": now}, correlation_id=reference)
        session.commit()
    return shown


def attachment(session, reference: str, receipt: str, attachment_id: str):
    """(name, content type, plaintext bytes) of one file of the case, opened with the receipt; None if unknown."""
    row = session.execute(select(attachments).where(attachments.c.attachment_id == attachment_id,
                                                    attachments.c.reference == reference)).first()
    if row is None:
        return None
    case_key = _case_key_for_person(session, reference, receipt)
    message = session.execute(select(messages.c.sealed).where(messages.c.message_id == row.message_id)).scalar()
    name, key = messages_format.file_key(open_item(case_key, reference, "message", message), attachment_id)
    return name, row.content_type, b"".join(files.decrypt_chunks(key, io.BytesIO(row.sealed)))


# -- the desk's side, from casework's events --------------------------------------------------------------------
def on_desk_wrote(session, event, _settings):
    data = event.data
    case = cases.find_case(session, data["case_ref"])
    if case is None or case.status in cases.ERASED_STATUSES:
        return  # an erased case gets no message back
    if session.execute(select(messages.c.message_id).where(messages.c.message_id == data["message_id"])).first():
        return
    session.execute(messages.insert().values(
        message_id=data["message_id"], reference=data["case_ref"], author="desk", sealed=data["sealed"],
        request_due=data.get("request_due"), sent_at=data["sent_at"]))
    for item in data["attachments"]:
        session.execute(attachments.insert().values(
            attachment_id=item["attachment_id"], message_id=data["message_id"], reference=data["case_ref"],
            content_type=item["content_type"], size=item["size"], sealed=base64.b64decode(item["sealed"])))


def on_read_by_desk(session, event, _settings):
    data = event.data
    session.execute(update(messages).where(
        messages.c.reference == data["case_ref"], messages.c.message_id.in_(data["message_ids"]),
        messages.c.author == "person", messages.c.read_at.is_(None)).values(read_at=data["read_at"]))


def unread_from_desk(session, reference) -> int:
    return session.execute(select(func.count()).select_from(messages).where(
        messages.c.reference == reference, messages.c.author == "desk", messages.c.read_at.is_(None))).scalar()

