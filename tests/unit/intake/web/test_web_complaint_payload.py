"""The finished form becomes exactly the JSON payload of POST /api/v1/complaints."""
import datetime

from libs.contracts.events import ConsentSchema, PriorComplaintSchema
from services.intake.web.pages import form_to_complaint, next_step
from web_form_answers import COMPLETE

TODAY = datetime.date(2026, 11, 28)
PAYLOAD_KEYS = {"institution_type", "institution_name", "municipality", "issue", "incident_date", "capacity",
                "prior_complaint", "description", "language", "reporter_role", "wants_mediation", "contact",
                "consent", "first_complaint_unreasonable", "public_body", "about_care", "housing_corporation"}


def finished(**changes):
    following, values, errors = next_step("review", dict(COMPLETE, **changes), today=TODAY)
    assert following is None and errors == {}
    return values


def test_minimal_anonymous_complaint():
    payload = form_to_complaint(finished(), "pl")
    assert set(payload) == PAYLOAD_KEYS
    assert payload == {
        "institution_type": "bank", "institution_name": None, "municipality": "GM0363",
        "issue": "account_refused_or_closed", "incident_date": "2026-03-31", "capacity": "private",
        "prior_complaint": None, "description": "They closed my account.", "language": "pl",
        "reporter_role": "sex_worker", "wants_mediation": False, "contact": None,
        "consent": {"referral": True, "share_description": False, "contact": False, "share_with_mediator": False},
        "first_complaint_unreasonable": False, "public_body": False, "about_care": None, "housing_corporation": None,
    }


def test_full_complaint_with_contact_and_prior_complaint():
    values = finished(prior_complaint="yes", prior_filed_on="2-4-2026", prior_final_answer_on="",
                      prior_extension_notified="yes", prior_advisory_committee="unknown",
                      wants_mediation="yes", consent_share_with_mediator="yes", contact_method="phone", contact_address="06 1234 5678",
                      contact_safe_times="after 14:00", contact_no_voicemail="yes", consent_contact="yes",
                      institution_name="Voorbeeldbank", capacity="business")
    payload = form_to_complaint(values, "nl")
    assert payload["prior_complaint"] == {"filed_on": "2026-04-02", "final_answer_on": None,
                                          "extension_notified": True, "advisory_committee": None}
    assert payload["consent"]["share_with_mediator"] is True
    assert payload["contact"] == {"method": "phone", "address": "06 1234 5678", "safe_times": "after 14:00",
                                  "no_voicemail": True}
    assert payload["wants_mediation"] is True and payload["capacity"] == "business"
    assert payload["institution_name"] == "Voorbeeldbank"
    # The nested parts load in the platform's own schemas.
    PriorComplaintSchema().load(payload["prior_complaint"])
    ConsentSchema().load(payload["consent"])


def test_contact_details_are_left_out_without_consent_to_contact():
    values = finished(contact_method="email", contact_address="me@example.org", consent_contact="no")
    payload = form_to_complaint(values, "en")
    assert payload["contact"] is None
    assert "me@example.org" not in repr(payload)


def test_capacity_only_for_financial_institutions():
    assert form_to_complaint(finished(institution_type="police", capacity="business"), "en")["capacity"] is None


def test_empty_optional_answers_become_null():
    payload = form_to_complaint(finished(municipality="", incident_date=""), "en")
    assert payload["municipality"] is None and payload["incident_date"] is None


def test_sharing_with_the_mediator_is_asked_only_of_someone_who_wants_mediation():
    following, _values, errors = next_step("review", dict(COMPLETE, wants_mediation="yes"), today=TODAY)
    assert following == "consent" and set(errors) == {"consent_share_with_mediator"}
    # without mediation a stale answer is dropped, never sent
    payload = form_to_complaint(finished(wants_mediation="no", consent_share_with_mediator="yes"), "en")
    assert payload["consent"]["share_with_mediator"] is False


def test_a_ggd_complaint_about_something_other_than_care_carries_both_facts():
    payload = form_to_complaint(finished(institution_type="care_provider", capacity="", public_body="yes",
                                         about_care="no"), "nl")
    assert (payload["public_body"], payload["about_care"]) == (True, False)
    unknown = form_to_complaint(finished(institution_type="care_provider", capacity="", public_body="yes",
                                         about_care="unknown"), "nl")
    assert unknown["about_care"] is None


def test_route_questions_that_do_not_apply_are_dropped():
    # answers left over from an earlier choice of institution never travel
    payload = form_to_complaint(finished(institution_type="police", capacity="", public_body="yes",
                                         about_care="yes", housing_corporation="yes"), "en")
    assert (payload["public_body"], payload["about_care"], payload["housing_corporation"]) == (False, None, None)
    landlord = form_to_complaint(finished(institution_type="landlord", capacity="", housing_corporation="no"), "en")
    assert landlord["housing_corporation"] is False


def test_complaining_first_being_unreasonable_is_asked_only_without_a_prior_complaint():
    assert form_to_complaint(finished(first_complaint_unreasonable="yes"), "en")["first_complaint_unreasonable"]
    with_prior = form_to_complaint(finished(prior_complaint="yes", first_complaint_unreasonable="yes"), "en")
    assert with_prior["first_complaint_unreasonable"] is False


def test_an_invalid_route_answer_is_a_field_error():
    following, _values, errors = next_step("review", dict(COMPLETE, institution_type="landlord", capacity="",
                                                          housing_corporation="maybe"), today=TODAY)
    assert following == "what" and errors == {"housing_corporation": "invalid_choice"}
