"""The route explorer's questions ("what are my options?"): parse them into a query for POST /api/v1/route.

It asks a subset of the complaint form's questions and checks them with the same rules.
"""
import datetime

from libs.contracts.events import CAPACITIES, INSTITUTION_TYPES, ISSUES

from .form_fields import FINANCIAL_INSTITUTIONS, YES_NO, check_choice, check_past_date, clean_text
from .municipalities import MUNICIPALITY_NAMES

ROUTE_FIELDS = ("institution_type", "issue", "municipality", "incident_date", "capacity", "prior_complaint",
                "prior_filed_on", "prior_final_answer_on")


def parse_route_question(form, today=None):
    """(query dict for the routing engine or None when there are errors, normalised values, {field: error})."""
    today = today or datetime.date.today()
    values = {name: clean_text(form.get(name, "")) for name in ROUTE_FIELDS}
    errors = {}
    check_choice(values, errors, "institution_type", INSTITUTION_TYPES, required=True)
    check_choice(values, errors, "issue", ISSUES, required=True)
    if values["municipality"] and values["municipality"] not in MUNICIPALITY_NAMES:
        errors["municipality"] = "invalid_municipality"
    check_past_date(values, errors, "incident_date", today)
    check_choice(values, errors, "capacity", CAPACITIES, required=False)
    check_choice(values, errors, "prior_complaint", YES_NO, required=False)
    filed = check_past_date(values, errors, "prior_filed_on", today)
    answered = check_past_date(values, errors, "prior_final_answer_on", today)
    if filed and answered and answered < filed:
        errors["prior_final_answer_on"] = "date_order"
    if errors:
        return None, values, errors
    prior = None
    if values["prior_complaint"] == "yes" or filed or answered:
        prior = {"filed_on": values["prior_filed_on"] or None,
                 "final_answer_on": values["prior_final_answer_on"] or None}
    query = {
        "institution_type": values["institution_type"],
        "issue": values["issue"],
        "municipality": values["municipality"] or None,
        "incident_date": values["incident_date"] or None,
        "capacity": (values["capacity"] or None) if values["institution_type"] in FINANCIAL_INSTITUTIONS else None,
        "prior_complaint": prior,
    }
    return query, values, errors
