""""Did it help?" / "is it solved?" on intake's side: asked when a case closes or an answer is due, answered once
within the window, a reopen request and the categories travel on, the free answer only sealed for the desk, and
every bad answer refused with nothing stored."""
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from libs.contracts import sealing
from libs.contracts.events import internal_event
from libs.kit.consuming import Event
from libs.kit.db import make_engine, make_session_factory
from services.intake.domain import feedback as rules
from services.intake.tables import feedback_requests, messages, metadata, outbox
from services.intake.use_cases import feedback
from services.intake.use_cases.filing import file_complaint
from services.intake.use_cases.follow_up import case_view, withdraw
from services.intake.web.api_schemas import ComplaintRequest
from support.desk_keys import give_intake_a_key_directory

TODAY = datetime.now(timezone.utc).date()


@pytest.fixture()
def case(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with sessions() as session:
        (desk_key,) = give_intake_a_key_directory(session)
        filed = file_complaint(session, ComplaintRequest().load({
            "institution_type": "bank", "issue": "other", "description": "x", "language": "pl",
            "consent": {"referral": True, "share_description": False, "contact": False}}), b"k" * 32)
    yield sessions, filed.reference, desk_key
    engine.dispose()


def event(event_type, data):
    return Event.from_envelope(internal_event(event_type, data))


def closed(reference, on=TODAY, status="closed", previous="in_progress"):
    return event("case.status_changed", {"case_ref": reference, "status": status, "previous_status": previous,
                                         "closure_reason": "resolved" if status == "closed" else None,
                                         "changed_on": on})


def emitted(session, event_type):
    return [json.loads(body)["data"] for body in session.execute(
        select(outbox.c.body).where(outbox.c.routing_key == event_type)).scalars()]


def test_closing_asks_once_and_tells_notification(case):
    sessions, reference, _key = case
    with sessions() as session:
        assert case_view(session, reference)["feedback_question"] is None
        feedback.on_case_status_changed(session, closed(reference), None)
        feedback.on_case_status_changed(session, closed(reference), None)  # closed again (another event id)
        feedback.on_mediation_outcome(session, event("mediation.outcome_recorded", {
            "case_ref": reference, "outcome": "resolved", "recorded_on": TODAY}), None)
        session.commit()
        question = case_view(session, reference)["feedback_question"]
        assert question == {"about": "closure", "trigger": "closed_by_desk", "asked_on": TODAY.isoformat(),
                            "answer_by": (TODAY + timedelta(days=90)).isoformat()}
        assert emitted(session, "complaint.feedback_requested") == [
            {"case_ref": reference, "trigger": "closed_by_desk", "asked_on": TODAY.isoformat()}]


def test_not_solved_reopen_goes_out_once_with_the_free_answer_sealed_for_the_desk(case):
    sessions, reference, desk_key = case
    canary = "CANARY-FEEDBACK-4411"
    with sessions() as session:
        feedback.on_case_status_changed(session, closed(reference), None)
        accepted = feedback.answer(session, reference, {
            "solved": "no", "institution_treatment": 2, "desk_treatment": 5, "reopen": True,
            "comment": f"Nic się nie zmieniło {canary}"})
        session.commit()
        with pytest.raises(rules.FeedbackRefused) as twice:
            feedback.answer(session, reference, {"solved": "yes"})
        session.rollback()
        given = emitted(session, "complaint.feedback_given")
        wrote = emitted(session, "conversation.person_wrote")
        sealed_file = emitted(session, "complaint.sealed")[0]
        stored = session.execute(select(messages.c.sealed)).scalars().all()
        assert case_view(session, reference)["feedback_question"] is None
    assert twice.value.args[0] == "already_given"
    assert accepted["reopen"] is True and accepted["solved"] == "no"
    assert given == [{"case_ref": reference, "about": "closure", "trigger": "closed_by_desk", "solved": "no",
                      "answer_came": None, "institution_treatment": 2, "desk_treatment": 5, "reopen": True,
                      "with_comment": True, "given_on": TODAY.isoformat()}]
    outbox_text = json.dumps(given) + json.dumps(wrote) + "".join(stored)
    assert canary not in outbox_text
    case_key = sealing.unwrap_case_key(sealed_file["wraps"][0]["wrapped"], desk_key)
    content = sealing.open_item(case_key, reference, "message", wrote[0]["sealed"])
    assert content == {"text": f"Nic się nie zmieniło {canary}", "attachments": [], "about": "feedback"}


def test_an_answer_due_asks_is_it_solved_and_reports_whether_the_answer_came(case):
    sessions, reference, _key = case
    due = event("referral.deadline_due", {"case_ref": reference, "channel_id": "bank-internal", "due_on": TODAY})
    with sessions() as session:
        feedback.on_deadline_due(session, due, None)
        feedback.on_deadline_due(session, due, None)  # the same clock again: asked once
        session.commit()
        assert len(session.execute(select(feedback_requests)).all()) == 1
        assert emitted(session, "complaint.feedback_requested") == []  # its e-mail is notification's deadline one
        with pytest.raises(rules.FeedbackRefused) as missing:
            feedback.answer(session, reference, {"solved": "partly"})
        session.rollback()
        feedback.answer(session, reference, {"solved": "partly", "answer_came": True})
        session.commit()
        (progress,) = emitted(session, "complaint.progress_reported")
        (given,) = emitted(session, "complaint.feedback_given")
    assert missing.value.args[0] == {"answer_came": "required_choice"}
    assert progress == {"case_ref": reference, "kind": "answer_received", "on": TODAY.isoformat()}
    assert given["about"] == "answer_due" and given["answer_came"] is True and given["reopen"] is False


def test_the_plans_last_clock_is_a_closure(case):
    sessions, reference, _key = case
    with sessions() as session:
        from services.intake.use_cases.read_model import apply_status_event
        apply_status_event(session, event("referral.planned", {
            "case_ref": reference, "directory_version": "t", "institution_type": "bank", "issue": "other",
            "language": "pl", "wants_mediation": False, "partner_referrals": [],
            "steps": [{"channel_id": "bank-internal", "kind": "internal", "status": "waiting"},
                      {"channel_id": "kifid", "kind": "external", "status": "planned"}]}), None)
        feedback.on_deadline_due(session, event("referral.deadline_due", {
            "case_ref": reference, "channel_id": "kifid", "due_on": TODAY}), None)
        session.commit()
        assert case_view(session, reference)["feedback_question"]["trigger"] == "plan_ended"


@pytest.mark.parametrize("raw, errors", [
    ({}, {"solved": "required_choice"}),
    ({"solved": "maybe"}, {"solved": "invalid_choice"}),
    ({"solved": "yes", "institution_treatment": "6"}, {"institution_treatment": "invalid_choice"}),
    ({"solved": "yes", "desk_treatment": "2.5"}, {"desk_treatment": "invalid_choice"}),
    ({"solved": "yes", "reopen": "perhaps"}, {"reopen": "invalid_choice"}),
    ({"solved": "yes", "comment": "x" * 2001}, {"comment": "too_long"}),
])
def test_bad_answers_are_refused_and_nothing_is_stored(case, raw, errors):
    sessions, reference, _key = case
    with sessions() as session:
        feedback.on_case_status_changed(session, closed(reference), None)
        session.commit()
        with pytest.raises(rules.FeedbackRefused) as refused:
            feedback.answer(session, reference, raw)
        session.rollback()
        assert refused.value.args[0] == errors
        assert emitted(session, "complaint.feedback_given") == [] and session.execute(select(messages)).all() == []
        assert case_view(session, reference)["feedback_question"] is not None  # still open


def test_not_asked_after_the_window_and_after_a_reopen(case):
    sessions, reference, _key = case
    with sessions() as session:
        with pytest.raises(rules.FeedbackRefused) as not_asked:
            feedback.answer(session, reference, {"solved": "yes"})
        session.rollback()
        feedback.on_case_status_changed(session, closed(reference, on=TODAY - timedelta(days=91)), None)
        session.commit()
        with pytest.raises(rules.FeedbackRefused) as late:
            feedback.answer(session, reference, {"solved": "yes"})
        session.rollback()
        # exactly on the last day it is still open
        assert feedback.answer(session, reference, {"solved": "yes"},
                               now=datetime.now(timezone.utc) - timedelta(days=1))["solved"] == "yes"
        session.rollback()
        feedback.on_case_status_changed(session, closed(reference, status="in_progress", previous="closed"), None)
        session.commit()
        with pytest.raises(rules.FeedbackRefused) as reopened:
            feedback.answer(session, reference, {"solved": "yes"}, now=datetime.now(timezone.utc) - timedelta(days=1))
    assert (not_asked.value.args[0], late.value.args[0], reopened.value.args[0]) == (
        "not_asked", "window_closed", "not_asked")


def test_a_withdrawn_case_is_not_asked_and_its_questions_are_erased(case):
    sessions, reference, _key = case
    with sessions() as session:
        feedback.on_case_status_changed(session, closed(reference), None)
        session.commit()
        withdraw(session, reference, b"k" * 32)  # the receipt key it was filed with
        assert session.execute(select(feedback_requests)).all() == []
        feedback.on_case_status_changed(session, closed(reference), None)  # a late event
        session.commit()
        assert session.execute(select(feedback_requests)).all() == []


def test_the_rules_prefer_the_closure_question():
    class Row:
        def __init__(self, id, about, asked_on, answered_at=None, cancelled_on=None):
            self.id, self.about, self.trigger, self.asked_on = id, about, about, asked_on
            self.answered_at, self.cancelled_on = answered_at, cancelled_on
    today = date(2027, 5, 1)
    rows = [Row(1, "answer_due", today), Row(2, "closure", today - timedelta(days=3))]
    assert rules.open_question(rows, today).id == 2
    assert rules.open_question([Row(1, "closure", today - timedelta(days=91))], today) is None
    assert rules.why_not_open([Row(1, "closure", today, answered_at=today)], today) == "already_given"


@pytest.mark.parametrize("lang", ["nl", "en", "es", "ro", "bg", "pl"])
def test_the_follow_up_page_asks_in_every_language_and_names_a_bad_answer(lang):
    from services.intake.web import pages
    status = {"reference": "VP-AAAA-BBBB", "status": "planned", "steps": [], "mediator": {}, "progress": [],
              "messages": [], "contact_consent": True,
              "feedback_question": {"about": "answer_due", "trigger": "answer_due", "asked_on": "2026-12-04",
                                    "answer_by": "2027-03-04"}}
    page = pages.render_follow_up(lang, "token", status, None, receipt="r", feedback={
        "answers": {"solved": "no", "comment": "kept"}, "errors": {"answer_came": "required_choice",
                                                                  "comment": "comment_too_long"}, "refused": None})
    assert 'id="feedback-title"' in page and 'name="answer_came"' in page and 'value="feedback"' in page
    assert 'id="f-solved-no" name="solved" value="no" checked' in page and ">kept</textarea>" in page
    assert "2000" in page and "limit is 0" not in page.lower()
    if lang == "en":
        assert "Is your problem solved?" in page and "Please choose an answer." in page
    refused = pages.render_follow_up(lang, "token", dict(status, feedback_question=None), None, receipt="r",
                                     feedback={"answers": {}, "errors": {}, "refused": "window_closed"})
    assert 'id="feedback-title"' not in refused and "90" in refused
