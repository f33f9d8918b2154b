"""The desk's side of the conversation: the person's messages and files arrive sealed and open with a case
handler's key; reading marks them read; a standard text goes in the person's language with the staff's beside it;
a request makes the case wait for the person until they answer; erasure takes the conversation too."""
import base64
import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from PIL import Image
from sqlalchemy import select

from libs.contracts import conversation as messages_format
from libs.contracts import sealing
from libs.contracts.events import internal_event
from libs.kit.consuming import Event
from services.casework.domain import standard_texts
from services.casework.tables import attachments, case_items, cases, outbox
from services.casework.use_cases import case_events, conversation
from services.casework.web.rendering import STANDARD_TEXTS
from support.casework_desk import file_case, make_desk, make_member, sign_in


@pytest.fixture()
def desk(tmp_path, monkeypatch):
    yield from make_desk(tmp_path, monkeypatch)


@pytest.fixture()
def worked_case(desk):
    sessions, settings, server, _recovery = desk
    with sessions() as session:
        _id, secret = make_member(session, server, settings, "anna@desk.test")
        filed = file_case(session, settings)
        viewer, _ = sign_in(session, server, "anna@desk.test", secret)
    return sessions, settings, viewer, filed.data


def person_wrote(public_key_b64, case_ref, text, with_photo=False, sent_at=None):
    """conversation.person_wrote as intake emits it."""
    uploads = []
    if with_photo:
        out = io.BytesIO()
        Image.new("RGB", (8, 8)).save(out, format="PNG")
        uploads.append(messages_format.seal_upload("photo.png", "image/png", out.getvalue()))
    content = {"text": text, "attachments": [meta for meta, _ in uploads]}
    sealed = sealing.seal_item(base64.b64decode(public_key_b64), case_ref, "message", content)
    return Event.from_envelope(internal_event("conversation.person_wrote", {
        "case_ref": case_ref, "message_id": messages_format.new_id(), "sealed": sealed,
        "sent_at": sent_at or datetime.now(timezone.utc), "attachments": messages_format.event_files(uploads)}))


def outbox_data(session, event_type):
    return [json.loads(b)["data"] for b in session.execute(select(outbox.c.body).where(
        outbox.c.routing_key == event_type)).scalars()]


def test_the_persons_message_and_photo_open_for_the_case_handler_and_reading_marks_them_read(worked_case):
    sessions, settings, viewer, data = worked_case
    with sessions() as session:
        event = person_wrote(data["case_public_key"], data["case_ref"], "Salut, am o întrebare", with_photo=True)
        conversation.on_person_wrote(session, event, settings)
        conversation.on_person_wrote(session, event, settings)  # redelivered: stored once
        session.commit()
        key = conversation.case_file.case_key(session, viewer, data["case_ref"])
        (shown,) = conversation.messages(session, viewer, data["case_ref"], key)
        assert shown["text"] == "Salut, am o întrebare" and shown["from"] == "person"
        (marks,) = outbox_data(session, "conversation.read_by_desk")
        assert marks["message_ids"] == [shown["id"]]
        name, content_type, photo = conversation.attachment(session, viewer, data["case_ref"],
                                                            shown["attachments"][0]["attachment_id"])
        assert (name, content_type) == ("photo.png", "image/png") and photo.startswith(b"\x89PNG")


def test_a_standard_text_goes_in_the_persons_language_and_a_request_makes_the_case_wait(worked_case):
    sessions, settings, viewer, data = worked_case
    due = date.today() + timedelta(days=10)
    text = standard_texts.fill("ask_document", STANDARD_TEXTS.gettext("ro"), "ro", data["case_ref"],
                               {"missing": "scrisoarea băncii", "date": due.isoformat()})
    staff = standard_texts.fill("ask_document", STANDARD_TEXTS.gettext("nl"), "nl", data["case_ref"],
                                {"missing": "scrisoarea băncii", "date": due.isoformat()})
    with sessions() as session:
        message_id = conversation.reply(session, viewer, data["case_ref"], text, staff, request_due=due,
                                        settings=settings)
        row = session.execute(select(cases).where(cases.c.case_ref == data["case_ref"])).one()
        assert row.status == "waiting_person" and row.next_due == due
        (sent,) = outbox_data(session, "conversation.desk_wrote")
        (waiting,) = outbox_data(session, "conversation.desk_message_waiting")
        assert waiting == {"case_ref": data["case_ref"], "message_id": message_id}  # no content for notification
        person_key = sealing.unwrap_case_key(  # the person's view: the case key through the receipt-derived key
            sealing.wrap_case_key(conversation.case_file.case_key(session, viewer, data["case_ref"]),
                                  sealing.public_key_bytes(sealing.receipt_key(data["case_ref"], "r"))),
            sealing.receipt_key(data["case_ref"], "r"))
        opened = sealing.open_item(person_key, data["case_ref"], "message", sent["sealed"])
        assert "Vă rugăm să ne trimiteți scrisoarea băncii" in opened["text"]
        assert opened["text_staff"].startswith("Wil je ons scrisoarea băncii sturen")
        assert sent["request_due"] == due.isoformat()
        # the person answers: the case is back with the desk
        conversation.on_person_wrote(session, person_wrote(data["case_public_key"], data["case_ref"], "Iată"),
                                     settings)
        session.commit()
        assert session.execute(select(cases.c.status).where(cases.c.case_ref == data["case_ref"])).scalar() \
            == "in_progress"


def test_replies_are_refused_when_empty_too_long_or_with_a_past_request_date(worked_case):
    sessions, settings, viewer, data = worked_case
    with sessions() as session:
        for kwargs, reason in (({"text": ""}, "empty"), ({"text": "x" * 10_001}, "too_long"),
                               ({"text": "ok", "request_due": date.today()}, "request_date")):
            with pytest.raises(conversation.ReplyRefused, match=reason):
                conversation.reply(session, viewer, data["case_ref"], kwargs["text"], None,
                                   request_due=kwargs.get("request_due"), settings=settings)
            session.rollback()
        assert session.execute(select(case_items).where(case_items.c.kind == "message_out")).fetchall() == []


def test_erasure_takes_the_conversation_and_its_files(worked_case):
    sessions, settings, viewer, data = worked_case
    with sessions() as session:
        conversation.on_person_wrote(session, person_wrote(data["case_public_key"], data["case_ref"], "x",
                                                           with_photo=True), settings)
        session.commit()
        case_events.on_complaint_withdrawn(session, Event.from_envelope(internal_event(
            "complaint.withdrawn", {"case_ref": data["case_ref"]})), settings)
        session.commit()
        assert session.execute(select(attachments)).fetchall() == []
        assert session.execute(select(case_items)).fetchall() == []
