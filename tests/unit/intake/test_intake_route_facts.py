"""The facts that choose between routes (issue 17) travel from the API request through `complaint.received` to the
referral rules routing plans with: a GGD's conduct goes through the Awb, its care through the Wkkgz."""
from datetime import date, datetime, timezone

import pytest
from marshmallow import ValidationError

from libs.contracts.events import ComplaintReceivedData, ComplaintSealedData
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.planner import make_plan
from services.intake.domain.complaint_events import received_event_data
from services.intake.web.api_schemas import ComplaintRequest

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)


def request(**changes):
    body = {"institution_type": "care_provider", "issue": "rude_treatment", "municipality": "GM0363",
            "description": "x", "consent": {"referral": True, "share_description": False, "contact": False}}
    return ComplaintRequest().load(dict(body, **changes))


def planned_channels(complaint):
    received = ComplaintReceivedData().load(ComplaintReceivedData().dump(received_event_data("VP-AAAA-BBBB",
                                                                                             complaint, NOW)))
    return make_plan(ComplaintFacts.from_event_data(received), date(2026, 12, 3)).channel_ids()


def test_a_ggds_conduct_goes_through_the_awb_and_its_care_through_the_wkkgz():
    assert planned_channels(request(public_body=True, about_care=False)) == [
        "internal:ggd", "ombudsman-metropool-amsterdam"]
    assert planned_channels(request(public_body=True, about_care=True)) == [
        "internal:care_provider", "geschilleninstantie-zorg"]
    # asked nothing: the care route only, as before this question existed
    assert planned_channels(request()) == ["internal:care_provider", "geschilleninstantie-zorg"]


def test_the_facts_and_the_prior_complaints_details_are_in_the_event_and_older_events_still_load():
    data = received_event_data("VP-AAAA-BBBB", request(
        first_complaint_unreasonable=True, housing_corporation=None,
        prior_complaint={"filed_on": "2026-10-01", "extension_notified": True, "advisory_committee": True}), NOW)
    loaded = ComplaintReceivedData().load(ComplaintReceivedData().dump(data))
    assert loaded["first_complaint_unreasonable"] is True and loaded["public_body"] is False
    assert loaded["prior_complaint"]["extension_notified"] is True
    assert loaded["prior_complaint"]["advisory_committee"] is True
    older = {key: value for key, value in ComplaintReceivedData().dump(data).items()
             if key not in ("first_complaint_unreasonable", "public_body", "about_care", "housing_corporation")}
    assert ComplaintReceivedData().load(older)["about_care"] is None
    facts = ComplaintFacts.from_event_data(loaded)
    assert (facts.extension_notified, facts.advisory_committee, facts.first_complaint_unreasonable) == (
        True, True, True)
    assert "first_complaint_unreasonable" in ComplaintSealedData().fields


@pytest.mark.parametrize("field, value", [("public_body", "yes"), ("about_care", 1),
                                          ("first_complaint_unreasonable", None), ("housing_corporation", "no")])
def test_the_api_takes_only_json_booleans_for_these_facts(field, value):
    with pytest.raises(ValidationError) as refused:
        request(**{field: value})
    assert set(refused.value.messages) == {field}
