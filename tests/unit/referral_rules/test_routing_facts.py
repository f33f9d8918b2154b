"""ComplaintFacts from event data, and the calendar arithmetic behind every deadline."""
from datetime import date as d

import pytest

from libs.contracts.events import ComplaintReceivedData
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.periods import Period

EVENT = {
    "case_ref": "VP-1", "received_on": "2026-11-28", "institution_type": "municipality", "issue": "permit",
    "municipality": "GM0363", "capacity": None, "incident_date": "2026-10-01",
    "prior_complaint": {"filed_on": "2026-10-05", "final_answer_on": None}, "language": "ro",
    "reporter_role": "operator", "wants_mediation": True, "has_contact": False,
    "consent": {"referral": True, "share_description": False, "contact": False},
}


def test_from_loaded_complaint_received_data():
    facts = ComplaintFacts.from_event_data(ComplaintReceivedData().load(EVENT))
    assert facts == ComplaintFacts("municipality", "permit", "GM0363", None, d(2026, 10, 1), d(2026, 10, 5), None,
                                   "operator", True, "ro")


def test_from_route_question_with_iso_strings_and_no_prior_complaint():
    facts = ComplaintFacts.from_event_data({"institution_type": "bank", "issue": "other", "capacity": "business",
                                            "incident_date": "2026-01-02", "prior_complaint": None})
    assert (facts.incident_date, facts.prior_complaint_filed_on, facts.reporter_role) == (d(2026, 1, 2), None,
                                                                                          "sex_worker")


def test_a_final_answer_means_the_complaint_was_filed():
    assert ComplaintFacts("uwv", "other", prior_final_answer_on=d(2026, 1, 1)).filed_with_institution
    assert not ComplaintFacts("uwv", "other").filed_with_institution


@pytest.mark.parametrize("field, value", [("institution_type", "church"), ("issue", "noise"),
                                          ("capacity", "both"), ("reporter_role", "neighbour"),
                                          ("language", "fr")])
def test_unknown_categories_are_refused(field, value):
    kwargs = {"institution_type": "uwv", "issue": "other", field: value}
    with pytest.raises(ValueError):
        ComplaintFacts(**kwargs)


@pytest.mark.parametrize("period, start, expected", [
    ("P6W", d(2026, 10, 1), d(2026, 11, 12)),
    ("P4W", d(2026, 11, 12), d(2026, 12, 10)),
    ("P3M", d(2026, 11, 30), d(2027, 2, 28)),
    ("P1M", d(2027, 1, 31), d(2027, 2, 28)),
    ("P1M", d(2028, 1, 31), d(2028, 2, 29)),
    ("P1Y", d(2024, 2, 29), d(2025, 2, 28)),
    ("P1Y", d(2026, 12, 31), d(2027, 12, 31)),
    ("P5D", d(2026, 12, 30), d(2027, 1, 4)),
])
def test_period_arithmetic(period, start, expected):
    assert Period.parse(period).after(start) == expected


@pytest.mark.parametrize("text", ["6 weeks", "P", "P6", "PT6H", "P1Y2M", "", None])
def test_only_simple_periods_parse(text):
    with pytest.raises(ValueError):
        Period.parse(text)
