"""Plans with dates travel in `referral.planned` (a regression: ISO strings from the plan dict broke the event)."""
from datetime import date

from libs.contracts.events import internal_event, read_internal_event
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.planner import make_plan
from services.routing.use_cases.referrals import step_summary


def test_plan_steps_with_dates_make_a_valid_referral_planned_event():
    facts = ComplaintFacts(institution_type="municipality", issue="rude_treatment", municipality="GM0363",
                           prior_complaint_filed_on=date(2026, 10, 1))
    plan = make_plan(facts, date(2026, 11, 28)).to_dict()
    steps = [step_summary(step) for step in plan["steps"]]
    assert any(step["answer_due"] for step in steps)
    envelope = internal_event("referral.planned", {
        "case_ref": "VP-TEST-0001", "directory_version": plan["directory_version"],
        "institution_type": "municipality", "issue": "rude_treatment", "municipality": "GM0363",
        "language": "nl", "wants_mediation": False, "steps": steps, "partner_referrals": []})
    _type, data = read_internal_event(envelope)
    assert data["steps"][0]["answer_due"] == date(2026, 11, 12)


def test_why_travels_as_a_code_with_directory_parameters_only():
    import pytest
    from marshmallow import ValidationError

    facts = ComplaintFacts(institution_type="municipality", issue="rude_treatment", municipality="GM0363")
    steps = [step_summary(step) for step in make_plan(facts, date(2026, 11, 28)).to_dict()["steps"]]
    assert all(step["why_message"] and step["why_message"]["code"] for step in steps)

    def planned(why):
        return internal_event("referral.planned", {
            "case_ref": "VP-TEST-0001", "directory_version": "1", "institution_type": "municipality",
            "issue": "rude_treatment", "municipality": "GM0363", "language": "nl", "wants_mediation": False,
            "steps": [dict(steps[0], why_message=why)], "partner_referrals": []})
    assert read_internal_event(planned(None))[1]["steps"][0]["why_message"] is None
    for bad in ({"code": "x", "params": {"text": "y" * 121}},      # longer than any directory value
                {"code": "x", "params": {"details": {"a": "b"}}},   # nested structures
                {"code": "Free text here"}):
        with pytest.raises(ValidationError):
            read_internal_event(planned(bad))
    received = planned(None)  # what another producer might send: refused on reading too
    for bad in ({"code": "x", "extra": 1}, {"code": "x", "params": {"note": ["y" * 121]}}, {"code": "x", "params": {"n": True}}):
        received["data"]["steps"][0]["why_message"] = bad
        with pytest.raises(ValidationError):
            read_internal_event(received)
