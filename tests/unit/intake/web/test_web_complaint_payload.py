"""The finished form becomes exactly the JSON payload of POST /api/v1/complaints."""
import datetime

from libs.contracts.events import ConsentSchema, PriorComplaintSchema
from services.intake.web.pages import form_to_complaint, next_step
from web_form_answers import COMPLETE

TODAY = datetime.date(2026, 11, 28)
PAYLOAD_KEYS = {"institution_type", "institution_name", "municipality", "issue", "incident_date", "capacity",
                "prior_complaint", "description", "language", "reporter_role", "wants_mediation", "contact",
                "consent"}


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
        "consent": {"referral": True, "share_description": False, "contact": False},
    }


def test_full_complaint_with_contact_and_prior_complaint():
    values = finished(prior_complaint="yes", prior_filed_on="2-4-2026", prior_final_answer_on="",
                      wants_mediation="yes", contact_method="phone", contact_address="06 1234 5678",
                      contact_safe_times="after 14:00", contact_no_voicemail="yes", consent_contact="yes",
                      institution_name="Voorbeeldbank", capacity="business")
    payload = form_to_complaint(values, "nl")
    assert payload["prior_complaint"] == {"filed_on": "2026-04-02", "final_answer_on": None}
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
