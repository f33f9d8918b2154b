"""The route explorer's questions become a query for the routing engine; nothing else."""
import datetime

from services.intake.web.pages import parse_route_question

TODAY = datetime.date(2026, 11, 28)


def test_minimal_question():
    query, values, errors = parse_route_question({"institution_type": "police", "issue": "rude_treatment"}, TODAY)
    assert errors == {}
    assert query == {"institution_type": "police", "issue": "rude_treatment", "municipality": None,
                     "incident_date": None, "capacity": None, "prior_complaint": None}


def test_full_question():
    form = {"institution_type": "insurer", "issue": "refused_service", "municipality": "GM0014",
            "incident_date": "01-02-2026", "capacity": "private", "prior_complaint": "yes",
            "prior_filed_on": "2026-02-10", "prior_final_answer_on": "2026-03-10", "description": "ignored"}
    query, values, errors = parse_route_question(form, TODAY)
    assert errors == {} and "description" not in values
    assert query["prior_complaint"] == {"filed_on": "2026-02-10", "final_answer_on": "2026-03-10"}
    assert query["incident_date"] == "2026-02-01" and query["capacity"] == "private"


def test_capacity_ignored_for_non_financial_institutions():
    query, _, _ = parse_route_question({"institution_type": "landlord", "issue": "other", "capacity": "business"},
                                       TODAY)
    assert query["capacity"] is None


def test_errors_come_back_with_the_answers():
    query, values, errors = parse_route_question({"municipality": "GM0000", "incident_date": "2030-01-01"}, TODAY)
    assert query is None and values["municipality"] == "GM0000"
    assert errors == {"institution_type": "required_choice", "issue": "required_choice",
                      "municipality": "invalid_municipality", "incident_date": "future_date"}
