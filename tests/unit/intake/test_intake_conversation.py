"""The person's side of the conversation: messages and files sealed on arrival for the desk, read back only with the
receipt, read marks, the limits, and a photo's metadata gone before anything is sealed."""
import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image
from sqlalchemy import func, select

from libs.contracts import attachments as files
from libs.contracts import sealing
from libs.contracts.events import internal_event, read_internal_event
from libs.kit.consuming import Event
from libs.kit.db import make_engine, make_session_factory
from services.intake.domain.conversation import MessageRefused
from services.intake.tables import attachments, messages, metadata, outbox
from services.intake.use_cases import conversation
from services.intake.use_cases.filing import file_complaint
from services.intake.use_cases.follow_up import withdraw
from services.intake.web.api_schemas import ComplaintRequest
from support.desk_keys import give_intake_a_key_directory


@pytest.fixture()
def case(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with sessions() as session:
        (desk_key,) = give_intake_a_key_directory(session)
        filed = file_complaint(session, ComplaintRequest().load({
            "institution_type": "bank", "issue": "other", "description": "x", "language": "ro",
            "consent": {"referral": False, "share_description": False, "contact": False}}), b"k" * 32)
    yield sessions, filed, desk_key
    engine.dispose()


def photo_with_exif(canary):
    exif = Image.Exif()
    exif[0x0110], exif[0x010F] = f"{canary}-phone", f"{canary}-make"  # Model, Make
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 30)).save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def desk_case_key(session, reference, desk_key):
    """What casework does: the case key from the sealed file's wrap for a case handler."""
    body = json.loads(session.execute(select(outbox.c.body).where(outbox.c.routing_key == "complaint.sealed"))
                      .scalar())
    wrap = next(w["wrapped"] for w in body["data"]["wraps"])
    return sealing.unwrap_case_key(wrap, desk_key)


def test_a_message_with_a_photo_is_sealed_for_the_desk_and_the_photo_loses_its_metadata(case):
    sessions, filed, desk_key = case
    canary = "CANARY-EXIF-77"
    with sessions() as session:
        message_id = conversation.write(session, filed.reference, "Banca mi-a închis contul. CANARY-TEXT",
                                        [conversation.Upload("banca.jpg", "image/jpeg", photo_with_exif(canary))])
        stored = session.execute(select(messages)).one()
        stored_file = session.execute(select(attachments)).one()
        envelope = json.loads(session.execute(select(outbox.c.body).where(
            outbox.c.routing_key == "conversation.person_wrote")).scalar())
        case_key = desk_case_key(session, filed.reference, desk_key)
    assert "CANARY" not in stored.sealed and canary.encode() not in stored_file.sealed
    assert "CANARY" not in json.dumps(envelope)
    event_type, data = read_internal_event(envelope)
    assert event_type == "conversation.person_wrote" and data["message_id"] == message_id
    content = sealing.open_item(case_key, filed.reference, "message", data["sealed"])
    assert content["text"] == "Banca mi-a închis contul. CANARY-TEXT"
    (meta,) = content["attachments"]
    photo = files.open_bytes(files.key_from_text(meta["key"]), data["attachments"][0]["sealed"])
    assert canary.encode() not in photo and dict(Image.open(io.BytesIO(photo)).getexif()) == {}
    assert meta["name"] == "banca.jpg" and meta["content_type"] == "image/jpeg"


def test_the_person_reads_the_conversation_with_the_receipt_and_the_desks_messages_are_marked_read(case):
    sessions, filed, desk_key = case
    with sessions() as session:
        conversation.write(session, filed.reference, "hello")
        case_key = desk_case_key(session, filed.reference, desk_key)
        public = sealing.public_key_bytes(case_key)
        reply = sealing.seal_item(public, filed.reference, "message", {"text": "Răspunsul biroului", "attachments": []})
        sent_at = datetime.now(timezone.utc) + timedelta(seconds=1)
        desk_wrote = Event.from_envelope(internal_event("conversation.desk_wrote", {
            "case_ref": filed.reference, "message_id": "d" * 32, "sealed": reply, "sent_at": sent_at,
            "request_due": None, "attachments": []}))
        conversation.on_desk_wrote(session, desk_wrote, None)
        conversation.on_desk_wrote(session, desk_wrote, None)  # a redelivery stores nothing twice
        session.commit()
        shown = conversation.read(session, filed.reference, filed.receipt)
        assert [(m["from"], m["text"]) for m in shown] == [("person", "hello"), ("desk", "Răspunsul biroului")]
        assert shown[1]["read_at"] is not None
        marks = [json.loads(b)["data"] for b in session.execute(select(outbox.c.body).where(
            outbox.c.routing_key == "conversation.read_by_person")).scalars()]
        assert [m["message_ids"] for m in marks] == [["d" * 32]]
        conversation.read(session, filed.reference, filed.receipt)  # nothing new to mark
        assert session.execute(select(func.count()).select_from(outbox).where(
            outbox.c.routing_key == "conversation.read_by_person")).scalar() == 1
        with pytest.raises(sealing.Unreadable):
            conversation.read(session, filed.reference, "not the receipt")


@pytest.mark.parametrize("upload, reason", [
    (conversation.Upload("a.pdf", "application/pdf", b"not a pdf"), "content_mismatch"),
    (conversation.Upload("a.exe", "application/x-msdownload", b"MZ..."), "wrong_type"),
    (conversation.Upload("a.pdf", "application/pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)), "too_large"),
    (conversation.Upload("a.png", "image/png", b"\x89PNG\r\n\x1a\nbroken"), "unreadable_image"),
])
def test_a_refused_file_stores_nothing(case, upload, reason):
    sessions, filed, _desk_key = case
    with sessions() as session:
        with pytest.raises(files.RefusedFile, match=reason):
            conversation.write(session, filed.reference, "with a file", [upload])
        session.rollback()
        assert session.execute(select(func.count()).select_from(messages)).scalar() == 0


def test_limits_empty_too_long_too_many_files_and_a_flood(case):
    sessions, filed, _desk_key = case
    with sessions() as session:
        for text, reason in (("   ", "empty"), ("x" * 10_001, "too_long")):
            with pytest.raises(MessageRefused, match=reason):
                conversation.write(session, filed.reference, text)
        pdf = conversation.Upload("a.pdf", "application/pdf", b"%PDF-1.4 tiny")
        with pytest.raises(MessageRefused, match="too_many_files"):
            conversation.write(session, filed.reference, "four", [pdf] * 4)
        for _ in range(20):
            conversation.write(session, filed.reference, "again")
        with pytest.raises(MessageRefused, match="too_many_messages"):
            conversation.write(session, filed.reference, "one too many")


def test_control_and_bidirectional_characters_are_removed(case):
    sessions, filed, desk_key = case
    with sessions() as session:
        conversation.write(session, filed.reference, "pay \u202egnp.exe\u202c now\x00\x07 ok\nline two")
        (shown,) = conversation.read(session, filed.reference, filed.receipt)
    assert shown["text"] == "pay gnp.exe now ok\nline two"


def test_a_withdrawn_case_takes_no_message_and_its_conversation_is_erased(case):
    sessions, filed, _desk_key = case
    with sessions() as session:
        conversation.write(session, filed.reference, "before",
                           [conversation.Upload("a.pdf", "application/pdf", b"%PDF-1.4 tiny")])
        withdraw(session, filed.reference, b"k" * 32)
        assert session.execute(select(func.count()).select_from(messages)).scalar() == 0
        assert session.execute(select(func.count()).select_from(attachments)).scalar() == 0
        assert session.execute(select(func.count()).select_from(outbox).where(
            outbox.c.routing_key == "conversation.person_wrote")).scalar() == 0
        with pytest.raises(conversation.NoConversation):
            conversation.write(session, filed.reference, "after")


def test_the_person_downloads_a_file_with_the_receipt_only(case):
    sessions, filed, _desk_key = case
    with sessions() as session:
        conversation.write(session, filed.reference, "", [conversation.Upload("brief.pdf", "application/pdf",
                                                                              b"%PDF-1.4 the letter")])
        attachment_id = session.execute(select(attachments.c.attachment_id)).scalar()
        assert conversation.attachment(session, filed.reference, filed.receipt, attachment_id) == \
            ("brief.pdf", "application/pdf", b"%PDF-1.4 the letter")
        assert conversation.attachment(session, filed.reference, filed.receipt, "0" * 32) is None
