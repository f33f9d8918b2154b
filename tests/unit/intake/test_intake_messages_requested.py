"""Filing with consent and a contact method emits `complaint.messages_requested` with the address sealed to
notification's messaging key (never in plaintext); without consent nothing; withdrawal drops the event row;
stopping messages records the withdrawn consent and emits `complaint.messages_stopped`."""
import json
from datetime import datetime, timezone

import pytest
from nacl.public import PrivateKey
from sqlalchemy import select

from libs.kit.db import make_engine, make_session_factory
from libs.contracts.events import read_internal_event
from libs.contracts.messaging_keys import key_id, open_contact
from services.intake.domain.complaint_events import MESSAGES_EVENT, MESSAGES_STOPPED_EVENT as STOPPED_EVENT
from services.intake.tables import complaints, metadata, outbox
from services.intake.use_cases.filing import file_complaint
from services.intake.use_cases.follow_up import case_view, stop_messages, withdraw
from services.intake.use_cases.retention import purge_expired
from services.intake.web.api_schemas import ComplaintRequest
from support.desk_keys import give_intake_a_key_directory

CANARY = "canary.person@example.test"
MESSAGING_PRIVATE = bytes(PrivateKey.generate())
MESSAGING_PUBLIC = bytes(PrivateKey(MESSAGING_PRIVATE).public_key)


@pytest.fixture()
def sessions(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    metadata.create_all(engine)
    factory = make_session_factory(engine)
    with factory() as session:
        give_intake_a_key_directory(session)
    yield factory
    engine.dispose()


def complaint(contact=None, consent=True, language="es"):
    return ComplaintRequest().load({
        "institution_type": "bank", "issue": "other", "description": "text", "language": language,
        "contact": contact, "consent": {"referral": True, "share_description": False, "contact": consent}})


def events(session, event_type=MESSAGES_EVENT):
    rows = session.execute(select(outbox.c.body, outbox.c.routing_key)).fetchall()
    return [(json.loads(row.body), row.body) for row in rows if row.routing_key == event_type]


def file(session, body, **kwargs):
    return file_complaint(session, body, b"k" * 32, messaging_key=MESSAGING_PUBLIC, **kwargs)


def test_with_consent_and_an_email_the_event_carries_the_sealed_address_only(sessions):
    with sessions() as session:
        filed = file(session, complaint({"method": "email", "address": CANARY}))
        ((envelope, raw),) = events(session)
    assert CANARY not in raw and "canary" not in raw
    event_type, data = read_internal_event(envelope)
    assert event_type == MESSAGES_EVENT
    assert data["case_ref"] == filed.reference and data["language"] == "es" and data["channel"] == "email"
    assert data["key_id"] == key_id(MESSAGING_PUBLIC)
    assert open_contact(MESSAGING_PRIVATE, filed.reference, data["sealed_address"]) == CANARY


def test_without_consent_or_contact_there_is_no_event(sessions):
    with sessions() as session:
        file(session, complaint(None, consent=True))
        file(session, complaint({"method": "none"}, consent=False))
        assert events(session) == []


def test_a_phone_is_recorded_without_the_number(sessions):
    with sessions() as session:
        file(session, complaint({"method": "phone", "address": "+31 6 12345678"}))
        ((envelope, raw),) = events(session)
    assert "12345678" not in raw
    assert envelope["data"]["channel"] == "phone" and envelope["data"]["sealed_address"] is None


@pytest.mark.parametrize("erase", ["withdraw", "retention"])
def test_withdrawal_and_retention_drop_the_sealed_event_row(sessions, erase):
    with sessions() as session:
        then = datetime(2020, 1, 1, tzinfo=timezone.utc)
        filed = file(session, complaint({"method": "email", "address": CANARY}), now=then)
        kept = file(session, complaint({"method": "email", "address": CANARY}))
        if erase == "withdraw":
            withdraw(session, filed.reference, b"k" * 32)
        else:
            assert purge_expired(session, 730, b"k" * 32) == 1
        remaining = [envelope["data"]["case_ref"] for envelope, _raw in events(session)]
        assert remaining == [kept.reference]
        assert [e["data"]["case_ref"] for e, _ in events(session, "complaint.withdrawn")] == [filed.reference]


# -- stopping messages: consent to be contacted withdrawn, the complaint stays open ---------------------------------
def consent_of(session, reference):
    return session.execute(select(complaints.c.consent).where(complaints.c.reference == reference)).scalar_one()


def test_stopping_records_the_withdrawn_consent_drops_the_request_and_tells_notification(sessions):
    with sessions() as session:
        filed = file(session, complaint({"method": "email", "address": CANARY}))
        kept = file(session, complaint({"method": "email", "address": CANARY}))
        assert case_view(session, filed.reference)["contact_consent"] is True
        assert stop_messages(session, filed.reference) is True
        consent = consent_of(session, filed.reference)
        assert consent["contact"] is False and consent["contact_withdrawn_at"]
        assert consent["referral"] is True and consent["wording_version"]  # the rest of the record stays
        assert case_view(session, filed.reference)["contact_consent"] is False
        assert case_view(session, filed.reference)["status"] == "received"  # still open
        # the request with the sealed address is gone from the outbox (not published if it was not yet)
        assert [e["data"]["case_ref"] for e, _ in events(session)] == [kept.reference]
        stopped = [e["data"] for e, _ in events(session, STOPPED_EVENT)]
        assert stopped == [{"case_ref": filed.reference}]
        # a second stop changes nothing and tells nobody again
        assert stop_messages(session, filed.reference) is False
        assert len(events(session, STOPPED_EVENT)) == 1


def test_without_consent_or_after_withdrawal_there_is_nothing_to_stop(sessions):
    with sessions() as session:
        without = file(session, complaint(None, consent=False))
        withdrawn = file(session, complaint({"method": "email", "address": CANARY}))
        withdraw(session, withdrawn.reference, b"k" * 32)
        assert stop_messages(session, without.reference) is False
        assert stop_messages(session, withdrawn.reference) is False
        assert stop_messages(session, "VP-NONE-0000") is False
        assert events(session, STOPPED_EVENT) == []
        # the erased case stays erased: no row (so no consent) comes back, only the tombstone
        assert session.execute(select(complaints).where(complaints.c.reference == withdrawn.reference)).first() is None
