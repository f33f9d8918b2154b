""""Did it help?" on the desk's side: the person's closed-list answers land in the case's history, and "not solved,
reopen" puts a closed case back in the queue (in progress, due today) with one status change for the evaluation."""
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from libs.contracts.events import internal_event
from libs.kit.consuming import Event
from services.casework.tables import cases, history, outbox
from services.casework.use_cases import case_events, case_file, feedback, queue
from support.casework_desk import file_case, make_desk, make_member, sign_in

TODAY = datetime.now(timezone.utc).date()


@pytest.fixture()
def desk(tmp_path, monkeypatch):
    yield from make_desk(tmp_path, monkeypatch)


def given(case_ref, reopen, **answers):
    data = {"case_ref": case_ref, "about": "closure", "trigger": "closed_by_desk", "solved": "no",
            "institution_treatment": 2, "desk_treatment": 4, "reopen": reopen, "with_comment": False,
            "given_on": TODAY, **answers}
    return Event.from_envelope(internal_event("complaint.feedback_given", data))


def status_changes(session):
    return [(e["data"]["previous_status"], e["data"]["status"]) for e in
            (json.loads(b) for b in session.execute(select(outbox.c.body)).scalars())
            if e["type"] == "nl.voorportaal.case.status_changed.v1"]


def test_not_solved_reopen_puts_the_closed_case_back_in_the_queue(desk):
    sessions, settings, server, _recovery = desk
    with sessions() as session:
        account_id, secret = make_member(session, server, settings, "anna@desk.test")
        file_case(session, settings)
        viewer, _token = sign_in(session, server, "anna@desk.test", secret)
        case_file.change_status(session, viewer, "VP-CASE-0001", "closed", "resolved", settings)
        assert queue.counts(session, account_id, queue.QueueQuery(), TODAY)["closed"] == 1
        feedback.on_feedback_given(session, given("VP-CASE-0001", reopen=True), settings)
        session.commit()
        row = session.execute(select(cases).where(cases.c.case_ref == "VP-CASE-0001")).one()
        counts = queue.counts(session, account_id, queue.QueueQuery(), TODAY)
        actions = {h.action: h.detail for h in session.execute(select(history)).fetchall()}
        changes = status_changes(session)
    assert (row.status, row.closure_reason, row.closed_on, row.next_due) == ("in_progress", None, None, TODAY)
    assert counts["closed"] == 0 and counts["due_soon"] == 1
    assert changes[-1] == ("closed", "in_progress") and changes.count(("closed", "in_progress")) == 1
    assert actions["feedback.given"]["solved"] == "no" and actions["feedback.given"]["reopen"] is True
    assert actions["case.reopen_requested"] == {"previous": "closed"}


def test_an_answer_without_reopen_changes_no_status_and_an_erased_case_stays_erased(desk):
    sessions, settings, server, _recovery = desk
    with sessions() as session:
        make_member(session, server, settings, "anna@desk.test")  # a key directory to seal for
        file_case(session, settings, "VP-CASE-0001")
        feedback.on_feedback_given(session, given("VP-CASE-0001", reopen=False, solved="yes"), settings)
        case_events.on_complaint_withdrawn(session, Event.from_envelope(internal_event(
            "complaint.withdrawn", {"case_ref": "VP-CASE-0001"})), settings)
        feedback.on_feedback_given(session, given("VP-CASE-0001", reopen=True), settings)  # late
        session.commit()
        assert status_changes(session) == []
        assert session.execute(select(cases)).all() == []
