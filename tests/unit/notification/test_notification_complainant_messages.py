"""Status messages to the person: wording per language, the sealed address, when a message is queued, erasure,
and sending through the real sender to a real SMTP server (aiosmtpd) with a real SQLite file."""
import json
from datetime import date, datetime, timezone

import pytest
from nacl.public import PrivateKey
from sqlalchemy import select, text

from libs.contracts.events import LANGUAGES
from libs.contracts.messaging_keys import ContactUnreadable, key_id, open_contact, seal_contact
from services.intake.web.urls import PATHS
from libs.i18n import LANGUAGES as CATALOGUE_LANGUAGES
from services.notification.domain import complainant_mail
from services.notification.domain.complainant_texts import KINDS, LEADS, SUBJECTS, email_text
from services.notification.domain.deliveries import COMPLAINANT
from services.notification.domain.mediator_messages import Links
from services.notification.tables import complainants, deliveries
from services.notification.use_cases import complainant_messages as cm
from services.notification.use_cases import sender
from services.notification.use_cases.channels import Channels
from support.platform import start_smtp_server, wait_for

REF = "VP-AB12-CD34"
ADDRESS = "canary.person@example.test"
NOW = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)
PRIVATE = bytes(PrivateKey.generate())
PUBLIC = bytes(PrivateKey(PRIVATE).public_key)
FOLLOW_UP = "https://desk.test/nl/follow-up"


# -- wording ---------------------------------------------------------------------------------------------------
def test_every_language_of_the_form_has_every_message():
    """Every kind has a subject and a lead, in a catalogue for every language of the form (that each catalogue
    translates every msgid: test_notification_translations.py)."""
    assert set(CATALOGUE_LANGUAGES) == set(LANGUAGES)
    assert set(SUBJECTS) == set(LEADS) == set(KINDS)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_message_is_short_and_carries_the_reference_the_link_and_nothing_else(language, kind):
    url = f"https://desk.test/{language}/follow-up"
    subject, body = email_text(kind, language, REF, url, "2026-12-30")
    assert REF in subject and REF in body and url in body
    assert "{" not in subject + body and len(body) < 900
    if kind in ("deadline", "next_step"):
        assert "2026" in body and "30" in body
    # nothing about the complaint: no category words, no receipt
    for word in ("bank", "account", "receipt:", "Receipt:"):
        assert word not in subject


def test_the_wording_is_the_persons_language():
    assert "je zaak" in email_text("plan", "nl", REF, FOLLOW_UP)[1]
    assert "tu caso" in email_text("plan", "es", REF, FOLLOW_UP)[1]
    assert "cazul dumneavoastră" in email_text("plan", "ro", REF, FOLLOW_UP)[1]
    assert "вашия случай" in email_text("plan", "bg", REF, FOLLOW_UP)[1]
    assert "twojej sprawy" in email_text("plan", "pl", REF, FOLLOW_UP)[1]
    assert "your case" in email_text("plan", "en", REF, FOLLOW_UP)[1]
    assert "30-12-2026" in email_text("deadline", "nl", REF, FOLLOW_UP, "2026-12-30")[1]


def test_the_link_is_intakes_public_follow_up_page_without_any_secret():
    assert complainant_mail.FOLLOW_UP_PATH == PATHS["follow_up"]
    assert complainant_mail.follow_up_url("https://desk.test/", "ro") == "https://desk.test/ro/follow-up"


# -- the sealed address ----------------------------------------------------------------------------------------
def test_the_sealed_address_opens_only_with_the_key_and_only_for_its_case():
    sealed = seal_contact(PUBLIC, REF, ADDRESS)
    assert ADDRESS not in sealed and "canary" not in sealed
    assert open_contact(PRIVATE, REF, sealed) == ADDRESS
    with pytest.raises(ContactUnreadable) as other_case:
        open_contact(PRIVATE, "VP-ZZZZ-ZZZZ", sealed)  # copied onto another case's event
    with pytest.raises(ContactUnreadable) as other_key:
        open_contact(bytes(PrivateKey.generate()), REF, sealed)
    assert ADDRESS not in str(other_case.value) + str(other_key.value)


# -- when messages are queued -----------------------------------------------------------------------------------


def request_data(channel="email", language="ro", case_ref=REF):
    sealed = seal_contact(PUBLIC, case_ref, ADDRESS) if channel == "email" else None
    return {"case_ref": case_ref, "language": language, "channel": channel, "sealed_address": sealed,
            "key_id": key_id(PUBLIC) if sealed else None}


def plan(*open_steps, case_ref=REF, later=()):
    steps = [{"channel_id": c, "kind": "complaint", "status": "available_now", "answer_due": None,
              "escalate_by": None} for c in open_steps]
    steps += [{"channel_id": c, "kind": "complaint", "status": "after_previous_step", "answer_due": None,
               "escalate_by": None} for c in later]
    return {"case_ref": case_ref, "steps": steps}


def person_messages(session, case_ref=REF):
    return session.execute(select(deliveries).where(deliveries.c.case_ref == case_ref,
                                                    deliveries.c.recipient_id == COMPLAINANT)
                           .order_by(deliveries.c.idempotency_key)).fetchall()


def test_a_plan_a_new_step_clocks_and_the_mediator_each_queue_one_message(sessions):
    with sessions() as session:
        assert cm.record_request(session, request_data(), NOW) == (cm.STORED, None)
        assert cm.on_plan(session, plan("internal:bank", later=("kifid",)), NOW) == "plan"
        assert cm.on_plan(session, plan("internal:bank", later=("kifid",)), NOW) is None  # same plan again
        assert cm.on_plan(session, plan("internal:bank", "kifid"), NOW) == "plan"  # kifid opened: a new step
        assert cm.on_plan(session, plan("kifid"), NOW) is None  # a step closed: nothing new to take
        clock = {"case_ref": REF, "channel_id": "internal:bank", "due_on": date(2026, 12, 30)}
        assert cm.on_clock(session, "referral.deadline_due", clock, NOW) == "deadline"
        assert cm.on_clock(session, "referral.deadline_due", clock, NOW) is None  # fired again: same key
        assert cm.on_clock(session, "referral.escalation_available", clock, NOW) == "next_step"
        assert cm.on_mediator_accepted(session, REF, NOW) == "mediator"
        session.commit()
        rows = person_messages(session)
    assert sorted(row.template for row in rows) == sorted(
        ["complainant_plan", "complainant_plan", "complainant_deadline", "complainant_next_step",
         "complainant_mediator"])
    for row in rows:
        assert row.channel == "email" and row.status == "pending"
        context = json.loads(row.context)
        assert set(context) <= {"reference", "language", "due_on"} and context["language"] == "ro"


def test_a_plan_that_arrives_before_the_request_is_told_when_the_request_arrives(sessions):
    with sessions() as session:
        assert cm.on_plan(session, plan("internal:bank"), NOW) is None
        assert cm.record_request(session, request_data(), NOW) == (cm.STORED, "plan")
        assert cm.on_plan(session, plan("internal:bank"), NOW) is None  # the same plan redelivered
        session.commit()
        assert len(person_messages(session)) == 1


def test_without_a_request_or_with_a_phone_nothing_is_queued(sessions):
    with sessions() as session:
        assert cm.on_plan(session, plan("internal:bank", case_ref="VP-NONE-0000"), NOW) is None
        assert cm.on_mediator_accepted(session, "VP-NONE-0000", NOW) is None
        phone = request_data("phone", case_ref="VP-PHON-0000")
        assert cm.record_request(session, phone, NOW) == (cm.UNSUPPORTED_CHANNEL, None)
        assert cm.on_plan(session, plan("internal:bank", case_ref="VP-PHON-0000"), NOW) is None
        session.commit()
        assert session.execute(select(deliveries)).fetchall() == []
        assert session.execute(select(complainants.c.sealed_address).where(
            complainants.c.case_ref == "VP-PHON-0000")).scalar() is None


def test_erasure_forgets_the_contact_and_cancels_pending_messages(sessions):
    with sessions() as session:
        cm.record_request(session, request_data(), NOW)
        cm.on_plan(session, plan("internal:bank"), NOW)
        other = request_data(case_ref="VP-KEEP-0000")
        cm.record_request(session, other, NOW)
        cm.on_plan(session, plan("internal:bank", case_ref="VP-KEEP-0000"), NOW)
        session.commit()
        assert cm.erase(session, REF) == 2
        session.commit()
        assert cm.contact_for(session, REF) is None and person_messages(session) == []
        assert cm.contact_for(session, "VP-KEEP-0000") is not None  # only that case
        assert cm.on_clock(session, "referral.deadline_due",
                           {"case_ref": REF, "channel_id": "x", "due_on": date(2026, 12, 30)}, NOW) is None


# -- stopping messages (the complaint stays open) -----------------------------------------------------------------
def test_stopping_forgets_the_address_drops_unsent_messages_and_keeps_the_rest(sessions):
    with sessions() as session:
        cm.record_request(session, request_data(), NOW)
        cm.on_plan(session, plan("internal:bank"), NOW)           # a plan message, sent below
        cm.on_mediator_accepted(session, REF, NOW)               # a mediator message, still pending
        cm.record_request(session, request_data(case_ref="VP-KEEP-0000"), NOW)
        cm.on_plan(session, plan("internal:bank", case_ref="VP-KEEP-0000"), NOW)
        session.execute(deliveries.update().where(deliveries.c.case_ref == REF,
                                                  deliveries.c.template == "complainant_plan").values(status="sent"))
        session.commit()
        assert cm.stop(session, REF, NOW) == 1                   # the pending one
        session.commit()
        contact = cm.contact_for(session, REF)
        assert contact.sealed_address is None and contact.channel is None and contact.key_id is None
        assert [row.template for row in person_messages(session)] == ["complainant_plan"]  # sent stays as a record
        # nothing new is queued for this case, whatever routing or a mediator does next
        assert cm.on_plan(session, plan("internal:bank", "kifid"), NOW) is None
        assert cm.on_clock(session, "referral.deadline_due",
                           {"case_ref": REF, "channel_id": "kifid", "due_on": date(2026, 12, 30)}, NOW) is None
        assert cm.on_mediator_accepted(session, REF, NOW) is None
        # another case is untouched
        assert cm.contact_for(session, "VP-KEEP-0000").sealed_address is not None
        assert len(person_messages(session, "VP-KEEP-0000")) == 1


@pytest.mark.parametrize("close", ["stop", "erase"])
def test_a_request_handled_after_the_stop_or_the_withdrawal_does_not_bring_the_address_back(sessions, close):
    """The request and the stop travel on different queues: after an outage the stop can be handled first."""
    with sessions() as session:
        getattr(cm, close)(session, REF, NOW)
        session.commit()
        assert cm.record_request(session, request_data(), NOW) == (cm.CLOSED, None)
        session.commit()
        contact = cm.contact_for(session, REF)
        assert contact is None or contact.sealed_address is None
        assert cm.on_plan(session, plan("internal:bank"), NOW) is None
        session.commit()
        assert person_messages(session) == []
    if close == "stop":
        with sessions() as session:
            assert cm.stop(session, REF, NOW) == 0   # a second stop changes nothing


def test_the_database_never_holds_the_address_in_plaintext(sessions, tmp_path):
    with sessions() as session:
        cm.record_request(session, request_data(), NOW)
        cm.on_plan(session, plan("internal:bank"), NOW)
        session.commit()
        dump = "\n".join(str(tuple(row)) for table in ("notification_complainants", "notification_deliveries")
                         for row in session.execute(text(f"SELECT * FROM {table}")))
    assert REF in dump and ADDRESS not in dump and "canary" not in dump
    assert ADDRESS.encode() not in (tmp_path / "notification.db").read_bytes()


# -- sending -----------------------------------------------------------------------------------------------------
@pytest.fixture()
def smtp():
    controller, mailbox = start_smtp_server()
    yield controller, mailbox
    controller.stop()


def channels_for(controller, key=PRIVATE):
    links = Links(secret=b"l" * 32, base_url="https://notify.test", case_base_url="https://desk.test")
    return Channels(smtp={"host": "127.0.0.1", "port": controller.port}, sender="desk@x.test", links=links,
                           coordinator_email="coordinator@x.test", complainant_key=key)


def test_the_sender_opens_the_address_at_send_time_and_mails_the_person_in_their_language(sessions, smtp):
    controller, mailbox = smtp
    counted, by_kind = [], []
    with sessions() as session:
        cm.record_request(session, request_data(language="pl"), NOW)
        cm.on_plan(session, plan("internal:bank"), NOW)
        session.commit()
        assert sender.send_due(session, {}, channels_for(controller), lambda *a: counted.append(a), now=NOW,
                               count_complainant=lambda *a: by_kind.append(a)) == 1
        (row,) = person_messages(session)
    (mail,) = wait_for(lambda: mailbox.messages, what="the e-mail")
    assert mail["to"] == [ADDRESS]
    assert REF in mail["subject"] and "nowy krok" in mail["subject"]
    assert "https://desk.test/pl/follow-up" in mail["content"] and "Content-Language: pl" in mail["raw"]
    assert row.status == "sent" and counted == [("email", "sent")] and by_kind == [("plan", "sent")]


def test_a_contact_sealed_for_another_key_fails_permanently_with_a_code_only(sessions, smtp):
    controller, mailbox = smtp
    with sessions() as session:
        cm.record_request(session, request_data(), NOW)
        cm.on_plan(session, plan("internal:bank"), NOW)
        session.commit()
        sender.send_due(session, {}, channels_for(controller, key=bytes(PrivateKey.generate())), lambda *a: None,
                        now=NOW)
        (row,) = person_messages(session)
    assert row.status == "failed" and row.last_error == "contact_key_unknown" and mailbox.messages == []


def test_an_address_the_smtp_library_cannot_encode_fails_without_quoting_it(sessions, smtp):
    controller, _mailbox = smtp
    data = dict(request_data(), sealed_address=seal_contact(PUBLIC, REF, "pérsoná@exämple.test"))
    with sessions() as session:
        cm.record_request(session, data, NOW)
        cm.on_plan(session, plan("internal:bank"), NOW)
        session.commit()
        sender.send_due(session, {}, channels_for(controller), lambda *a: None, now=NOW)
        (row,) = person_messages(session)
    assert row.status in ("failed", "sent") and "xam" not in (row.last_error or "")


def test_each_desk_message_queues_one_content_free_email_and_none_after_a_stop(sessions):
    with sessions() as session:
        assert cm.on_desk_message(session, REF, "a" * 32, NOW) is None  # no request: nobody to tell
        cm.record_request(session, request_data(), NOW)
        assert cm.on_desk_message(session, REF, "a" * 32, NOW) == "message"
        assert cm.on_desk_message(session, REF, "a" * 32, NOW) is None  # the same message again: same key
        assert cm.on_desk_message(session, REF, "b" * 32, NOW) == "message"  # another message
        session.commit()
        rows = person_messages(session)
        assert [row.template for row in rows] == ["complainant_message"] * 2
        assert all(set(json.loads(row.context)) == {"reference", "language"} for row in rows)
        cm.stop(session, REF, NOW)
        session.commit()
        assert cm.on_desk_message(session, REF, "c" * 32, NOW) is None
    subject, body = email_text("message", "ro", REF, "https://voorportaal.example/ro/follow-up")
    assert REF in subject and "vă așteaptă un mesaj" in subject and "pagina de urmărire" in body


def test_one_address_gets_at_most_the_daily_cap_of_messages_whatever_the_number_of_complaints(sessions, smtp):
    """Issue 19, finding 4: someone could file many complaints giving another person's address. Whatever the
    number of cases, one address gets at most MAX_MESSAGES_PER_ADDRESS_PER_DAY messages a day; the rest are recorded
    as failed with a code (no address anywhere), and the next day the address may be mailed again."""
    from datetime import timedelta

    from services.notification.domain.address_cap import MAX_MESSAGES_PER_ADDRESS_PER_DAY as CAP
    controller, mailbox = smtp
    references = [f"VP-CAP{n:02d}-AAAA" for n in range(CAP + 3)]
    with sessions() as session:
        for reference in references:
            cm.record_request(session, request_data(case_ref=reference), NOW)
            cm.on_plan(session, plan("internal:bank", case_ref=reference), NOW)
        session.commit()
        sent = sender.send_due(session, {}, channels_for(controller), lambda *a: None, batch=100, now=NOW)
        rows = [row for reference in references for row in person_messages(session, reference)]
        dump = " ".join(str(tuple(row)) for row in session.execute(text("SELECT * FROM notification_address_sends")))
    wait_for(lambda: len(mailbox.messages) >= CAP, what="the e-mails")
    assert sent == CAP and len(mailbox.messages) == CAP
    capped = [row for row in rows if row.status == "failed"]
    assert len(capped) == 3 and {row.last_error for row in capped} == {"address_daily_cap"}
    assert ADDRESS not in dump and "canary" not in dump
    # a day later the same address may be mailed again
    later = NOW + timedelta(days=1, minutes=1)
    with sessions() as session:
        cm.record_request(session, request_data(case_ref="VP-NEXT-DAY1"), later)
        cm.on_plan(session, plan("internal:bank", case_ref="VP-NEXT-DAY1"), later)
        session.commit()
        assert sender.send_due(session, {}, channels_for(controller), lambda *a: None, now=later) == 1


def test_other_addresses_are_not_held_back_by_a_capped_one(sessions, smtp):
    from services.notification.domain.address_cap import MAX_MESSAGES_PER_ADDRESS_PER_DAY as CAP
    controller, mailbox = smtp
    with sessions() as session:
        for n in range(CAP):
            cm.record_request(session, request_data(case_ref=f"VP-CAP{n:02d}-BBBB"), NOW)
            cm.on_plan(session, plan("internal:bank", case_ref=f"VP-CAP{n:02d}-BBBB"), NOW)
        other = dict(request_data(case_ref="VP-OTHE-R001"),
                     sealed_address=seal_contact(PUBLIC, "VP-OTHE-R001", "someone.else@example.test"))
        cm.record_request(session, other, NOW)
        cm.on_plan(session, plan("internal:bank", case_ref="VP-OTHE-R001"), NOW)
        session.commit()
        assert sender.send_due(session, {}, channels_for(controller), lambda *a: None, batch=100, now=NOW) == CAP + 1


def test_did_it_help_queues_one_content_free_email_per_question_and_none_after_a_stop(sessions):
    from datetime import date
    asked = date(2026, 12, 1)
    with sessions() as session:
        assert cm.on_feedback_requested(session, REF, asked, NOW) is None  # no request: nobody to tell
        cm.record_request(session, request_data(), NOW)
        assert cm.on_feedback_requested(session, REF, asked, NOW) == "feedback"
        assert cm.on_feedback_requested(session, REF, asked, NOW) is None  # the same question again
        session.commit()
        (row,) = person_messages(session)
        assert row.template == "complainant_feedback" and set(json.loads(row.context)) == {"reference", "language"}
        cm.stop(session, REF, NOW)
        session.commit()
        assert cm.on_feedback_requested(session, REF, date(2027, 3, 1), NOW) is None  # stopped: asked no more
    subject, body = email_text("feedback", "pl", REF, "https://voorportaal.example/pl/follow-up")
    assert REF in subject and "czy to pomogło?" in subject and "stronie sprawdzania skargi" in body


def test_the_deadline_message_asks_once_whether_it_is_solved():
    _subject, body = email_text("deadline", "nl", REF, FOLLOW_UP, "2026-12-30")
    assert "heeft het je probleem opgelost?" in body
    assert "solve your problem?" in email_text("deadline", "en", REF, FOLLOW_UP, "2026-12-30")[1]
