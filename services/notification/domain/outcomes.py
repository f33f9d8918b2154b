"""A mediator records how a mediation ended: an outcome code and, optionally, the person's satisfaction (1-5).

There is deliberately no free-text field (no "notes", no "summary"): whatever a mediator would write there is
about the person and the complaint, and the event built from it travels to intake and analytics. Unknown fields
are refused rather than dropped, so a form that grows a text box fails loudly in tests instead of leaking.
The case reference is not part of the form: it comes from the signed link (signed_links.py, action "outcome").
"""
from datetime import date

from marshmallow import RAISE, Schema, fields, pre_load, validate

from libs.contracts.events import MEDIATION_OUTCOMES, MediationOutcomeData

OUTCOME_EVENT = "mediation.outcome_recorded"


class OutcomeSchema(Schema):
    class Meta:
        unknown = RAISE

    outcome = fields.String(required=True, validate=validate.OneOf(MEDIATION_OUTCOMES))
    # strict: 3.5 must be refused, not quietly turned into 3
    satisfaction = fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(1, 5))

    @pre_load
    def _form_values(self, data, **_kwargs):
        """An HTML form sends "3" or "" (nothing chosen); JSON sends 3 or null. Accept both, nothing looser."""
        value = data.get("satisfaction") if isinstance(data, dict) else None
        if isinstance(value, str):
            data = {**data, "satisfaction": int(value) if value in ("1", "2", "3", "4", "5") else
                    None if value == "" else value}
        return data


def outcome_event_data(case_ref: str, recorded: dict, recorded_on: date) -> dict:
    """The `mediation.outcome_recorded` data for an outcome loaded by OutcomeSchema; validated before returning."""
    data = {"case_ref": case_ref, "outcome": recorded["outcome"], "satisfaction": recorded.get("satisfaction"),
            "recorded_on": recorded_on}
    schema = MediationOutcomeData()
    schema.load(schema.dump(data))  # the same check emit() makes, but here, where the mistake is
    return data
