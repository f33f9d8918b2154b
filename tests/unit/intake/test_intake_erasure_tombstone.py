"""Issue 19, finding 5: a withdrawal leaves nothing about the person behind in intake. The case's row becomes a
tombstone (a keyed hash of the reference, why, the day), its idempotency rows and its published events go at
once, published events of other cases are pruned after the retention window, and the idempotency fingerprint is
keyed, not a plain hash of the description."""
import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from libs.kit.db import make_engine, make_session_factory
from libs.kit.outbox import prune_published
from services.intake.domain import receipts
from services.intake.tables import complaints, erased_cases, idempotency_keys, metadata, outbox
from services.intake.use_cases import cases
from services.intake.use_cases.filing import IdempotencyConflict, file_complaint
from services.intake.use_cases.follow_up import withdraw
from services.intake.use_cases.retention import purge_expired
from services.intake.web.api_schemas import ComplaintRequest
from support.desk_keys import give_intake_a_key_directory

KEY = b"k" * 32
CANARY = "CANARY-2718 the clerk at the counter"


@pytest.fixture()
def sessions(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    metadata.create_all(engine)
    factory = make_session_factory(engine)
    with factory() as session:
        give_intake_a_key_directory(session)
    yield factory
    engine.dispose()


def complaint(description=CANARY):
    return ComplaintRequest().load({
        "institution_type": "municipality", "issue": "permit", "description": description, "language": "ro",
        "municipality": "GM0363", "consent": {"referral": True, "share_description": False, "contact": False}})


def publish_all(session, at):
    session.execute(update(outbox).values(published_at=at))
    session.commit()


def everything_stored(session) -> str:
    """Every row of every intake table but the outbox (checked on its own: the withdrawal's own event is there
    until the relay publishes it), as text: what someone with the database sees."""
    return json.dumps({table.name: [list(map(str, row)) for row in session.execute(select(table))]
                       for table in metadata.sorted_tables if table is not outbox})


def test_a_withdrawn_case_leaves_a_tombstone_that_holds_nothing_about_the_person(sessions):
    with sessions() as session:
        filed = file_complaint(session, complaint(), KEY, idempotency_key="client-key-1")
        kept = file_complaint(session, complaint("another case"), KEY)
        publish_all(session, datetime.now(timezone.utc))
        withdraw(session, filed.reference, KEY)
        stored = everything_stored(session)
        assert session.execute(select(complaints).where(complaints.c.reference == filed.reference)).first() is None
        (tombstone,) = session.execute(select(erased_cases)).fetchall()
        assert tombstone.status == "withdrawn" and tombstone.erased_on == datetime.now(timezone.utc).date()
        assert tombstone.reference_hash == receipts.reference_tombstone_hash(KEY, filed.reference)
        assert cases.is_erased(session, KEY, filed.reference) and not cases.is_erased(session, KEY, kept.reference)
        # nothing of the withdrawn case is left but the hash: not its reference, not its categories or place,
        # not the complaint.received it published, not its idempotency row
        assert filed.reference not in stored and "client-key-1" not in stored
        assert session.execute(select(idempotency_keys)).fetchall() == []
        bodies = [row.body for row in session.execute(select(outbox))]
        assert [json.loads(body)["type"] for body in bodies if filed.reference in body] == \
               ["nl.voorportaal.complaint.withdrawn.v1"]  # only the news of the withdrawal, still to go out
        assert any(kept.reference in body for body in bodies), "another case's rows are untouched"


def test_a_replayed_filing_request_after_the_withdrawal_does_not_bring_the_reference_back(sessions):
    with sessions() as session:
        filed = file_complaint(session, complaint(), KEY)
        withdraw(session, filed.reference, KEY)
        assert cases.is_erased(session, KEY, filed.reference)
        assert cases.find_case(session, filed.reference) is None


def test_the_idempotency_fingerprint_is_keyed(sessions):
    body = complaint()
    with sessions() as session:
        first = file_complaint(session, body, KEY, idempotency_key="client-key-2")
        (row,) = session.execute(select(idempotency_keys)).fetchall()
        plain = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        assert row.request_fingerprint != plain, "a plain hash of the description can be confirmed by guessing"
        assert row.request_fingerprint == receipts.request_fingerprint(
            KEY, json.dumps(body, sort_keys=True, default=str))
        again = file_complaint(session, body, KEY, idempotency_key="client-key-2")
        # the retry gets the reference only: the receipt was shown once (issue 19, finding 8)
        assert (again.reference, again.receipt, again.created) == (first.reference, None, False)
        with pytest.raises(IdempotencyConflict):
            file_complaint(session, complaint("a different text"), KEY, idempotency_key="client-key-2")


def test_an_idempotency_row_from_before_the_keyed_fingerprint_still_answers_its_retry(sessions):
    body = complaint()
    with sessions() as session:
        first = file_complaint(session, body, KEY, idempotency_key="client-key-3")
        legacy = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        session.execute(update(idempotency_keys).values(request_fingerprint=legacy))
        session.commit()
        again = file_complaint(session, body, KEY, idempotency_key="client-key-3")
        assert again.reference == first.reference and again.created is False


def test_published_rows_are_pruned_after_the_window_and_unpublished_ones_never(sessions):
    now = datetime.now(timezone.utc)
    with sessions() as session:
        file_complaint(session, complaint(), KEY)
        publish_all(session, now - timedelta(days=8))
        file_complaint(session, complaint("recent"), KEY)  # unpublished
        assert prune_published(session, outbox, 7, now) == 2  # complaint.received and complaint.sealed
        session.commit()
        left = session.execute(select(outbox)).fetchall()
        assert len(left) == 2 and all(row.published_at is None for row in left)
        assert prune_published(session, outbox, 7, now + timedelta(days=30)) == 0


def test_retention_erases_to_a_tombstone_and_converts_rows_erased_before(sessions):
    with sessions() as session:
        old = file_complaint(session, complaint(), KEY)
        legacy = file_complaint(session, complaint("erased the old way"), KEY)
        long_ago = datetime.now(timezone.utc) - timedelta(days=800)
        session.execute(update(complaints).where(complaints.c.reference == old.reference).values(received_at=long_ago))
        # a case erased before this release: status withdrawn, but its categories and dates still in the row
        session.execute(update(complaints).where(complaints.c.reference == legacy.reference).values(
            status="withdrawn", closed_at=long_ago, receipt_hash=None))
        session.commit()
        assert purge_expired(session, 730, KEY) == 1
        assert session.execute(select(complaints)).fetchall() == []
        statuses = {row.reference_hash: row.status for row in session.execute(select(erased_cases))}
        assert statuses == {receipts.reference_tombstone_hash(KEY, old.reference): "expired",
                            receipts.reference_tombstone_hash(KEY, legacy.reference): "withdrawn"}
