"""The desk's side of the conversation: the person's messages arrive sealed from intake; staff read them in the
workspace (opening marks them read) and answer — in free text, or with a standard text in the person's language —
sealed to the case's public key, so the person reads it with the receipt alone. Asking for something (information,
a document) by a date puts the case on "waiting for the person" until they answer or the date passes.
"""
import base64
import io
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, update

from libs.contracts import attachments as files
from libs.contracts import conversation as messages_format
from libs.contracts.events import ATTACHMENTS_PER_MESSAGE
from libs.contracts.sealing import open_item, seal_item
from libs.kit.db import lock_until_commit
from libs.kit.outbox import emit
from services.casework.domain import roles, statuses
from services.casework.tables import attachments, case_items, cases, history, outbox
from services.casework.use_cases import audit, case_file
from services.casework.use_cases.case_events import event_case, note_history, per_case

class ReplyRefused(ValueError):
    """empty, too_long, too_many_files, request_date (a request needs a date in the future)"""


@dataclass(frozen=True)
class Upload:
    name: str
    declared_type: str
    data: bytes


def _now(now):
    return now or datetime.now(timezone.utc)


# -- from intake ---------------------------------------------------------------------------------------------------
@per_case
def on_person_wrote(session, event, settings):
    data, now = event.data, _now(None)
    row = event_case(session, data["case_ref"], now)
    if row is None:
        return
    if session.execute(select(case_items.c.id).where(case_items.c.message_id == data["message_id"])).first():
        return
    session.execute(case_items.insert().values(case_ref=row.case_ref, kind="message_in", sealed=data["sealed"],
                                               author_id=None, created_at=data["sent_at"],
                                               message_id=data["message_id"]))
    for item in data["attachments"]:
        session.execute(attachments.insert().values(
            attachment_id=item["attachment_id"], case_ref=row.case_ref, message_id=data["message_id"],
            content_type=item["content_type"], size=item["size"], sealed=base64.b64decode(item["sealed"])))
    note_history(session, row.case_ref, "message.from_person", now, files=len(data["attachments"]))
    if row.status == statuses.WAITING_PERSON:  # the person answered: back to the desk
        session.execute(update(cases).where(cases.c.case_ref == row.case_ref).values(
            status=statuses.IN_PROGRESS, updated_at=now))
        emit(session, outbox, "case.status_changed", {
            "case_ref": row.case_ref, "status": statuses.IN_PROGRESS, "previous_status": row.status,
            "closure_reason": None, "changed_on": now.date()}, correlation_id=row.case_ref)


def on_read_by_person(session, event, _settings):
    data = event.data
    session.execute(update(case_items).where(
        case_items.c.case_ref == data["case_ref"], case_items.c.message_id.in_(data["message_ids"]),
        case_items.c.kind == "message_out", case_items.c.read_at.is_(None)).values(read_at=data["read_at"]))


# -- in the workspace ---------------------------------------------------------------------------------------------
def messages(session, viewer, case_ref, case_key, now=None):
    """The conversation, oldest first, opened with the case key of the member's session; the person's unread
    messages are marked read (intake is told, so the person sees it)."""
    now = _now(now)
    rows = session.execute(select(case_items).where(case_items.c.case_ref == case_ref,
                                                    case_items.c.kind.in_(("message_in", "message_out")))
                           .order_by(case_items.c.created_at, case_items.c.id)).fetchall()
    shown, newly_read = [], []
    for row in rows:
        content = open_item(case_key, case_ref, "message", row.sealed)
        read_at = row.read_at
        if row.kind == "message_in" and read_at is None and roles.may(viewer.role, "work_case"):
            newly_read.append(row.message_id)
            read_at = now
        shown.append({"id": row.message_id, "from": "person" if row.kind == "message_in" else "desk",
                      "text": content.get("text", ""), "text_staff": content.get("text_staff"),
                      "about": content.get("about"),  # "feedback": the free answer to "did it help?"
                      "sent_at": row.created_at, "read_at": read_at, "request_due": row.request_due,
                      "attachments": messages_format.shown_files(content)})
    if newly_read:
        session.execute(update(case_items).where(case_items.c.message_id.in_(newly_read)).values(read_at=now))
        emit(session, outbox, "conversation.read_by_desk", {"case_ref": case_ref, "message_ids": newly_read,
                                                            "read_at": now}, correlation_id=case_ref)
        session.commit()
    return shown


def attachment(session, viewer, case_ref, attachment_id):
    """(name, content type, bytes) of one of the case's files, for a member who can open the case (audited)."""
    row = session.execute(select(attachments).where(attachments.c.attachment_id == attachment_id,
                                                    attachments.c.case_ref == case_ref)).first()
    if row is None:
        return None
    case_key = case_file.case_key(session, viewer, case_ref)
    sealed = session.execute(select(case_items.c.sealed).where(case_items.c.message_id == row.message_id)).scalar()
    name, key = messages_format.file_key(open_item(case_key, case_ref, "message", sealed), attachment_id)
    data = b"".join(files.decrypt_chunks(key, io.BytesIO(row.sealed)))
    audit.append(session, viewer.actor, "attachment.opened", case_ref)
    session.commit()
    return name, row.content_type, data


def reply(session, viewer, case_ref, text, text_staff, uploads=(), request_due=None, settings=None, now=None):
    """The desk writes to the person: sealed to the case's public key (the person opens it with the receipt),
    stored here, sent to intake, and — content-free — to notification, which tells a person who agreed to be
    contacted that a message waits. With `request_due`, the case waits for the person until then."""
    now = _now(now)
    if not roles.may(viewer.role, "work_case") and not roles.may(viewer.role, "read_granted_case"):
        raise case_file.NotAllowed()
    lock_until_commit(session, "casework-case", case_ref)
    row = case_file.case_row(session, viewer, case_ref)
    if row.case_public_key is None:
        raise case_file.CaseUnreadable("file_not_arrived")
    try:
        text = messages_format.clean_text(text)
    except messages_format.TextTooLong:
        raise ReplyRefused("too_long") from None
    if not text and not uploads:
        raise ReplyRefused("empty")
    if len(uploads) > ATTACHMENTS_PER_MESSAGE:
        raise ReplyRefused("too_many_files")
    if request_due is not None and request_due <= now.date():
        raise ReplyRefused("request_date")
    sealed_files = [messages_format.seal_upload(u.name, u.declared_type, u.data) for u in uploads]
    message_id = messages_format.new_id()
    content = {"text": text, "text_staff": text_staff if text_staff and text_staff != text else None,
               "attachments": [meta for meta, _ in sealed_files]}
    sealed = seal_item(base64.b64decode(row.case_public_key), case_ref, "message", content)
    session.execute(case_items.insert().values(case_ref=case_ref, kind="message_out", sealed=sealed,
                                               author_id=viewer.account_id, created_at=now, message_id=message_id,
                                               request_due=request_due))
    for meta, ciphertext in sealed_files:
        session.execute(attachments.insert().values(
            attachment_id=meta["attachment_id"], case_ref=case_ref, message_id=message_id,
            content_type=meta["content_type"], size=meta["size"], sealed=ciphertext))
    emit(session, outbox, "conversation.desk_wrote", {
        "case_ref": case_ref, "message_id": message_id, "sealed": sealed, "sent_at": now,
        "request_due": request_due, "attachments": messages_format.event_files(sealed_files)},
         correlation_id=case_ref)
    emit(session, outbox, "conversation.desk_message_waiting", {"case_ref": case_ref, "message_id": message_id},
         correlation_id=case_ref)
    session.execute(history.insert().values(case_ref=case_ref, at=now, actor_id=viewer.account_id,
                                            action="message.to_person",
                                            detail={"files": len(sealed_files), "request": bool(request_due)}))
    audit.append(session, viewer.actor, "message.sent", case_ref)
    if request_due is not None:
        _wait_for_person(session, viewer, row, request_due, settings, now)
    elif row.status == statuses.NEW and roles.may(viewer.role, "work_case"):
        case_file.first_action(session, viewer, row, settings, now)
    session.commit()
    return message_id


def _wait_for_person(session, viewer, row, request_due, settings, now):
    """Asking for something: the case waits for the person until the date; then it is due (the handler's list)."""
    if row.status != statuses.WAITING_PERSON:
        case_file.set_status(session, viewer, row, statuses.WAITING_PERSON, None, settings, now)
    session.execute(update(cases).where(cases.c.case_ref == row.case_ref).values(next_due=request_due))
