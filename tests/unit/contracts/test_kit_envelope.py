from datetime import date

import pytest
from marshmallow import ValidationError

from libs.contracts.events import event_type_of, internal_event, read_internal_event


def received_data(**overrides):
    data = {"case_ref": "VP-AAAA-BBBB", "received_on": date(2026, 11, 1), "institution_type": "bank",
            "issue": "account_refused_or_closed", "language": "nl", "reporter_role": "sex_worker",
            "wants_mediation": True, "has_contact": False,
            "consent": {"referral": True, "share_description": False, "contact": False}}
    data.update(overrides)
    return data


def test_internal_event_is_a_cloudevent_that_round_trips():
    envelope = internal_event("complaint.received", received_data(), correlation_id="VP-AAAA-BBBB")
    assert envelope["specversion"] == "1.0"
    assert envelope["type"] == "nl.voorportaal.complaint.received.v1"
    assert envelope["source"] == "urn:voorportaal:intake"
    assert envelope["data"]["received_on"] == "2026-11-01"
    event_type, data = read_internal_event(envelope)
    assert event_type == "complaint.received"
    assert data["received_on"] == date(2026, 11, 1)


def test_producing_an_event_with_a_field_outside_the_schema_fails():
    with pytest.raises(ValidationError):
        internal_event("complaint.received", received_data(description="free text must never travel"))


def test_consuming_rejects_unknown_types_and_bad_envelopes():
    envelope = internal_event("complaint.received", received_data())
    with pytest.raises(ValueError):
        read_internal_event(dict(envelope, type="nl.voorportaal.nonsense.v1"))
    with pytest.raises(ValidationError):
        read_internal_event(dict(envelope, specversion="0.3"))
    with pytest.raises(ValueError):
        event_type_of("com.example.thing")
