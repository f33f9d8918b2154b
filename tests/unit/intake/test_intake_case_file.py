"""A filed complaint's case file is sealed for the desk's key directory and sent to casework in `complaint.sealed`:
intake keeps no content, only the case's public key and its receipt-wrapped private key. Without a key directory
nothing is stored at all."""
import json

import pytest
from sqlalchemy import func, select

from libs.contracts import sealing
from libs.contracts.events import read_internal_event
from libs.kit.db import make_engine, make_session_factory
from services.intake.domain.case_file import NoKeyDirectory
from services.intake.tables import case_keys, complaints, metadata, outbox
from services.intake.use_cases.filing import file_complaint
from services.intake.use_cases.follow_up import stop_messages, withdraw
from services.intake.web.api_schemas import ComplaintRequest
from support.desk_keys import give_intake_a_key_directory

CANARY = "CANARY-3141 the inspector shouted"


@pytest.fixture()
def sessions(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


def complaint(**consent):
    return ComplaintRequest().load({
        "institution_type": "municipality", "issue": "permit", "description": CANARY, "language": "ro",
        "institution_name": "Handhaving CANARY", "wants_mediation": True,
        "contact": {"method": "email", "address": "canary@example.test"},
        "consent": {"referral": True, "share_description": False, "contact": True, **consent}})


def outbox_events(session, event_type):
    return [json.loads(body) for key, body in session.execute(select(outbox.c.routing_key, outbox.c.body))
            if key == event_type]


def test_the_case_file_opens_for_the_directorys_keys_and_intake_keeps_no_content(sessions):
    with sessions() as session:
        handler, recovery = give_intake_a_key_directory(session, 3, *[sealing.new_case_key() for _ in range(2)])
        filed = file_complaint(session, complaint(share_with_mediator=True), b"k" * 32)
        (envelope,) = outbox_events(session, "complaint.sealed")
        stored = session.execute(select(complaints).where(complaints.c.reference == filed.reference)).one()
        keys = session.execute(select(case_keys)).one()
    assert stored.sealed_content is None and CANARY not in json.dumps(envelope)
    _type, data = read_internal_event(envelope)  # valid against the catalogue
    assert data["key_directory_version"] == 3 and data["consent"]["share_with_mediator"] is True
    assert data["case_public_key"] == keys.case_public_key
    for reader in (handler, recovery):
        wrap = next(w["wrapped"] for w in data["wraps"] if w["key_id"] == sealing.key_id(bytes(reader.public_key)))
        case_key = sealing.unwrap_case_key(wrap, reader)
        assert sealing.open_item(case_key, filed.reference, "description", data["items"]["description"]) == CANARY
        assert sealing.open_item(case_key, filed.reference, "contact", data["items"]["contact"])["address"] == \
            "canary@example.test"
    person = sealing.receipt_key(filed.reference, filed.receipt)  # the person's key: only with the receipt
    assert bytes(sealing.unwrap_case_key(keys.receipt_wrap, person)) == bytes(case_key)
    with pytest.raises(sealing.Unreadable):
        sealing.unwrap_case_key(keys.receipt_wrap, sealing.receipt_key(filed.reference, "a wrong receipt"))


def test_without_a_key_directory_the_complaint_is_refused_and_nothing_is_stored(sessions):
    with sessions() as session:
        with pytest.raises(NoKeyDirectory):
            file_complaint(session, complaint(), b"k" * 32)
        assert session.execute(select(func.count()).select_from(complaints)).scalar() == 0
        assert session.execute(select(func.count()).select_from(outbox)).scalar() == 0


def test_stopping_messages_keeps_the_case_file_and_withdrawal_drops_it(sessions):
    with sessions() as session:
        give_intake_a_key_directory(session)
        filed = file_complaint(session, complaint(), b"k" * 32)
        assert stop_messages(session, filed.reference)
        assert len(outbox_events(session, "complaint.sealed")) == 1  # still on its way to casework
        withdraw(session, filed.reference, b"k" * 32)
        assert outbox_events(session, "complaint.sealed") == []  # unpublished: it need not go anywhere now
        assert session.execute(select(func.count()).select_from(case_keys)).scalar() == 0
