"""Casework's use cases end to end on a SQLite file: accounts and sign-in, a sealed case arriving, reading it with
the session's key, notes, statuses, mediator grants, a colleague added later, the recovery key, erasure, audit."""
import base64
import json
import time
from datetime import date

import pytest
from sqlalchemy import select

from libs.contracts.events import internal_event
from libs.kit.consuming import Event
from services.casework import cli
from services.casework.domain.second_factor import code_at
from services.casework.tables import case_items, cases, erased_cases, outbox
from services.casework.tables import key_directory as key_directory_table
from services.casework.use_cases import accounts, audit, case_events, case_file, grants, key_directory, queue, signin
from support.casework_desk import PASSWORD, file_case, make_desk, make_member, sign_in

@pytest.fixture()
def desk(tmp_path, monkeypatch):
    yield from make_desk(tmp_path, monkeypatch)


def test_a_case_handler_signs_in_reads_the_case_writes_a_note_and_works_it(desk):
    sessions, settings, server, _recovery = desk
    with sessions() as session:
        _id, secret = make_member(session, server, settings, "anna@desk.test")
        file_case(session, settings)
        viewer, _token = sign_in(session, server, "anna@desk.test", secret)
        opened = case_file.open_case(session, viewer, "VP-CASE-0001")
        assert opened.content["description"] == "CANARY banca a închis"
        assert opened.content["contact"]["address"] == "canary@example.org"
        case_file.add_note(session, viewer, "VP-CASE-0001", "called the bank", settings)
        row = session.execute(select(cases).where(cases.c.case_ref == "VP-CASE-0001")).one()
        assert row.status == "in_progress" and row.first_action_on is not None  # the first action
        case_file.change_status(session, viewer, "VP-CASE-0001", "closed", "resolved", settings)
        notes = case_file.open_case(session, viewer, "VP-CASE-0001").notes
        assert [n["text"] for n in notes] == ["called the bank"]
        sealed_note = session.execute(select(case_items.c.sealed).where(case_items.c.kind == "note")).scalar()
        assert "called the bank" not in sealed_note
        emitted = [json.loads(b)["data"] for b in session.execute(select(outbox.c.body)).scalars()
                   if json.loads(b)["type"] == "nl.voorportaal.case.status_changed.v1"]
        assert [(e["previous_status"], e["status"]) for e in emitted] == [("new", "in_progress"),
                                                                           ("in_progress", "closed")]
        actions = [r.action for r in audit.rows(session)]
        assert "signin.succeeded" in actions and actions.count("case.opened") == 2
        assert audit.verify_log(session).ok


def test_the_queue_counts_lists_and_filters(desk):
    sessions, settings, server, _recovery = desk
    with sessions() as session:
        account_id, secret = make_member(session, server, settings, "anna@desk.test")
        file_case(session, settings, "VP-CASE-0001")
        file_case(session, settings, "VP-CASE-0002")
        viewer, _ = sign_in(session, server, "anna@desk.test", secret)
        case_file.assign(session, viewer, "VP-CASE-0002", account_id, settings)
        today = date(2026, 12, 10)  # past the desk's 3-day term for the untouched case
        counts = queue.counts(session, account_id, queue.QueueQuery(), today)
        assert counts["new"] == 1 and counts["mine"] == 1 and counts["overdue"] == 1
        ro = queue.page(session, account_id, queue.QueueQuery("new", {"language": "ro"}), today)
        nl = queue.page(session, account_id, queue.QueueQuery("new", {"language": "nl"}), today)
        assert [r.case_ref for r in ro] == ["VP-CASE-0001"] and nl == []
        assert [r.case_ref for r in queue.page(session, account_id, queue.QueueQuery("mine", reference="vp-case-0002"),
                                               today)] == ["VP-CASE-0002"]


def test_a_mediator_sees_only_a_granted_case_and_only_with_consent(desk):
    sessions, settings, server, _recovery = desk
    with sessions() as session:
        _h, handler_secret = make_member(session, server, settings, "anna@desk.test")
        mediator_id, mediator_secret = make_member(session, server, settings, "med@desk.test", "mediator", "med-1")
        file_case(session, settings, "VP-CASE-0001")  # no consent to share with a mediator
        file_case(session, settings, "VP-CASE-0002", share_with_mediator=True)
        handler, _ = sign_in(session, server, "anna@desk.test", handler_secret)
        with pytest.raises(grants.GrantRefused, match="no_consent"):
            grants.grant(session, handler, "VP-CASE-0001", mediator_id)
        grants.grant(session, handler, "VP-CASE-0002", mediator_id)
        mediator, _ = sign_in(session, server, "med@desk.test", mediator_secret, client="10.0.0.8")
        assert [c.case_ref for c in grants.granted_cases(session, mediator)] == ["VP-CASE-0002"]
        assert case_file.open_case(session, mediator, "VP-CASE-0002").content["contact"]["address"] == \
            "canary@example.org"
        with pytest.raises(case_file.NotAllowed):
            case_file.open_case(session, mediator, "VP-CASE-0001")
        (granted,) = case_file.case_grants(session, "VP-CASE-0002")
        grants.revoke(session, handler, "VP-CASE-0002", granted["id"])
        with pytest.raises(case_file.NotAllowed):
            case_file.open_case(session, mediator, "VP-CASE-0002")
        assert {"grant.added", "grant.revoked"} <= {r.action for r in audit.rows(session, "VP-CASE-0002")}


def test_a_colleague_added_later_reads_old_cases_once_someone_shares_them(desk):
    sessions, settings, server, _recovery = desk
    with sessions() as session:
        _a, anna_secret = make_member(session, server, settings, "anna@desk.test")
        file_case(session, settings)
        _b, bram_secret = make_member(session, server, settings, "bram@desk.test")
        bram, _ = sign_in(session, server, "bram@desk.test", bram_secret, client="10.0.0.7")
        assert case_file.open_case(session, bram, "VP-CASE-0001").unreadable_reason == "no_key_for_you"
        anna, _ = sign_in(session, server, "anna@desk.test", anna_secret)
        assert case_file.share_with_team(session, anna, key_directory.current_keys(session, settings)) >= 1
        assert case_file.open_case(session, bram, "VP-CASE-0001").content["description"].startswith("CANARY")
        file_case(session, settings, "VP-CASE-0002")  # filed after Bram joined: sealed for him at once
        assert case_file.open_case(session, bram, "VP-CASE-0002").content is not None


def test_a_damaged_key_wrap_is_skipped_and_counted_while_the_rest_are_shared(desk):
    """Sharing with the team runs at every sign-in: one wrap that cannot be opened (damaged data) must not turn the
    sign-in into a 500 (found by make bench on seeded cases), nor stop the other cases from being shared."""
    from sqlalchemy import update

    from services.casework import metrics
    from services.casework.tables import key_wraps

    sessions, settings, server, _recovery = desk
    with sessions() as session:
        anna_id, anna_secret = make_member(session, server, settings, "anna@desk.test")
        file_case(session, settings, "VP-CASE-0001")
        file_case(session, settings, "VP-CASE-0002")
        _b, bram_secret = make_member(session, server, settings, "bram@desk.test")
        anna, _ = sign_in(session, server, "anna@desk.test", anna_secret)
        session.execute(update(key_wraps).where(key_wraps.c.case_ref == "VP-CASE-0001",
                                                key_wraps.c.key_id == anna.key_id)
                        .values(wrapped=base64.b64encode(b"x" * 80).decode()))
        session.commit()
        before = metrics.WRAPS_UNREADABLE._value.get()
        assert case_file.share_with_team(session, anna, key_directory.current_keys(session, settings)) == 1
        assert metrics.WRAPS_UNREADABLE._value.get() == before + 1
        bram, _ = sign_in(session, server, "bram@desk.test", bram_secret, client="10.0.0.7")
        assert case_file.open_case(session, bram, "VP-CASE-0002").content["description"].startswith("CANARY")
        assert case_file.open_case(session, bram, "VP-CASE-0001").unreadable_reason == "no_key_for_you"


def test_the_recovery_key_opens_a_case_for_a_member_who_lost_their_password(desk, tmp_path, monkeypatch):
    sessions, settings, server, recovery = desk
    with sessions() as session:
        account_id, _secret = make_member(session, server, settings, "anna@desk.test")
        file_case(session, settings)
        setup = accounts.new_setup_code(session, account_id, "system:test")  # forgotten password: a new key
        _row, _key, secret = accounts.complete_setup(session, server, "anna@desk.test", setup.setup_code,
                                                     "another long password")
        accounts.confirm_second_factor(session, server, account_id, code_at(secret, time.time() - 30), settings)
    key_file = tmp_path / "recovery.key"
    key_file.write_text(base64.b64encode(bytes(recovery)).decode())
    monkeypatch.setattr(cli.settings, "load", lambda: settings)
    assert cli.main(["recovery", "share", "--recovery-key", str(key_file), "--to", "anna@desk.test"]) == 0
    with sessions() as session:
        first = signin.with_password(session, server, "anna@desk.test", "another long password", "10.0.0.9")
        second = signin.with_second_factor(session, server, first.token, code_at(secret, time.time()), "10.0.0.9")
        anna = signin.viewer(session, second.token)
        assert case_file.open_case(session, anna, "VP-CASE-0001").content["description"].startswith("CANARY")


def test_wrong_passwords_and_replayed_codes_change_nothing_and_lock_out_nobody(desk):
    sessions, settings, server, _recovery = desk
    with sessions() as session:
        _id, secret = make_member(session, server, settings, "anna@desk.test")
        for _ in range(6):
            assert not signin.with_password(session, server, "anna@desk.test", "guess guess guess", "6.6.6.6").ok
        throttled = signin.with_password(session, server, "anna@desk.test", PASSWORD, "6.6.6.6")
        assert throttled.reason == "throttled" and throttled.retry_after > 0
        first = signin.with_password(session, server, "anna@desk.test", PASSWORD, "10.0.0.9")  # Anna herself
        assert first.ok
        code = code_at(secret, time.time())
        assert signin.with_second_factor(session, server, first.token, code, "10.0.0.9").ok
        again = signin.with_password(session, server, "anna@desk.test", PASSWORD, "10.0.0.9")
        replay = signin.with_second_factor(session, server, again.token, code, "10.0.0.9")
        assert not replay.ok and replay.reason == "wrong"
        assert signin.viewer(session, again.token).stage == signin.SECOND_FACTOR  # still not signed in
        unknown = signin.with_password(session, server, "nobody@desk.test", PASSWORD, "10.0.0.9")
        assert unknown.reason == "wrong"


def test_withdrawal_erases_the_case_and_a_replayed_event_cannot_bring_it_back(desk):
    sessions, settings, server, _recovery = desk
    with sessions() as session:
        make_member(session, server, settings, "anna@desk.test")
        sealed = file_case(session, settings)
        withdrawn = Event.from_envelope(internal_event("complaint.withdrawn", {"case_ref": "VP-CASE-0001"}))
        case_events.on_complaint_withdrawn(session, withdrawn, settings)
        session.commit()
        case_events.on_complaint_sealed(session, sealed, settings)  # replayed from the dead letters
        planned = Event.from_envelope(internal_event("referral.planned", {
            "case_ref": "VP-CASE-0001", "directory_version": "x", "institution_type": "bank",
            "issue": "other", "municipality": None, "language": "nl", "wants_mediation": False, "steps": [],
            "partner_referrals": []}))
        case_events.on_referral_planned(session, planned, settings)
        session.commit()
        assert session.execute(select(cases)).fetchall() == [] and session.execute(select(case_items)).fetchall() == []
        assert session.execute(select(erased_cases.c.case_ref)).scalars().all() == ["VP-CASE-0001"]


def test_the_key_directory_lists_active_readers_and_the_recovery_key(desk):
    sessions, settings, server, recovery = desk
    with sessions() as session:
        anna_id, _ = make_member(session, server, settings, "anna@desk.test")
        make_member(session, server, settings, "med@desk.test", "mediator", "med-1")
        make_member(session, server, settings, "admin@desk.test", "administrator")
        latest = session.execute(select(key_directory_table).order_by(key_directory_table.c.version.desc())).first()
        assert [k["purpose"] for k in latest.entries] == ["case_reader", "recovery"]  # not mediators or admins
        accounts.disable(session, anna_id, "system:test", settings)
        latest = session.execute(select(key_directory_table).order_by(key_directory_table.c.version.desc())).first()
        assert [k["purpose"] for k in latest.entries] == ["recovery"]
        published = [json.loads(b) for b in session.execute(select(outbox.c.body)).scalars()]
        versions = [p["data"]["version"] for p in published if "key_directory" in p["type"]]
        assert len(versions) == 2 and versions[0] < versions[1]  # rising (from the clock: also after a restore)
        assert all(len(base64.b64decode(k["public_key"])) == 32 for k in latest.entries)


def test_a_partners_status_updates_show_on_the_case_latest_first_and_go_with_a_withdrawal(desk):
    from datetime import datetime, timezone

    from services.casework.tables import history

    sessions, settings, server, _recovery = desk

    def partner_status(status, day, outcome=None, partner="kifid"):
        return Event.from_envelope(internal_event("referral.partner_status_changed", {
            "case_ref": "VP-CASE-0001", "partner_id": partner, "status": status, "outcome": outcome,
            "changed_at": datetime(2026, 11, day, 9, 0, tzinfo=timezone.utc), "referred_on": date(2026, 11, 2)}))
    with sessions() as session:
        _id, secret = make_member(session, server, settings, "anna@desk.test")
        file_case(session, settings)
        for event in (partner_status("received", 5), partner_status("answered", 20, "not_upheld"),
                      partner_status("in_handling", 10), partner_status("received", 6, partner="nationale-ombudsman")):
            case_events.on_partner_status_changed(session, event, settings)
        session.commit()
        viewer, _token = sign_in(session, server, "anna@desk.test", secret)
        opened = case_file.open_case(session, viewer, "VP-CASE-0001")
        assert [(u["partner_id"], u["partner_status"], u["outcome"]) for u in opened.partner_updates] == [
            ("kifid", "answered", "not_upheld"), ("nationale-ombudsman", "received", None)]
        assert sum(1 for h in opened.history if h["action"] == "referral.partner_status_changed") == 4
        withdrawn = Event.from_envelope(internal_event("complaint.withdrawn", {"case_ref": "VP-CASE-0001"}))
        case_events.on_complaint_withdrawn(session, withdrawn, settings)
        session.commit()
        case_events.on_partner_status_changed(session, partner_status("closed", 25, "settled"), settings)
        session.commit()
        assert session.execute(select(history).where(history.c.case_ref == "VP-CASE-0001")).fetchall() == []
        assert session.execute(select(cases)).fetchall() == []
