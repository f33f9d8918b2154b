"""The data of partner events on `voorportaal.referrals.v1` (CloudEvents `data`); AsyncAPI is generated from these.

Only non-identifying categories and dates. Each partner receives the subset its contract lists.
"""
from marshmallow import RAISE, Schema, fields, validate

from libs.contracts.events import CAPACITIES, INSTITUTION_TYPES, ISSUES, LANGUAGES
from libs.referral_rules.plan import STATUSES

# The fixed set a partner contract may choose from. Never free text, contact details or exact dates of events.
ALLOWED_FIELDS = ("institution_type", "issue", "province", "capacity", "incident_month", "channel_id",
                  "step_status", "answer_due", "escalate_by", "directory_version", "language", "wants_mediation")


class PartnerReferralData(Schema):
    """A referral for one partner (`referral.<partner-id>.created|updated`). Every field is optional: a partner
    receives only the fields its contract lists."""

    class Meta:
        unknown = RAISE
        ordered = True

    institution_type = fields.String(validate=validate.OneOf(INSTITUTION_TYPES),
                                     metadata={"description": "Kind of institution complained about."})
    issue = fields.String(validate=validate.OneOf(ISSUES), metadata={"description": "What the complaint is about."})
    province = fields.String(allow_none=True, metadata={"description": "Province of the municipality, if given."})
    capacity = fields.String(allow_none=True, validate=validate.OneOf(CAPACITIES),
                             metadata={"description": "Private person or business, if given."})
    incident_month = fields.String(allow_none=True, validate=validate.Regexp(r"^\d{4}-\d{2}$"),
                                   metadata={"description": "Month of the incident (YYYY-MM), never the day."})
    channel_id = fields.String(metadata={"description": "The partner's channel in the referral plan."})
    step_status = fields.String(validate=validate.OneOf(STATUSES),
                                metadata={"description": "Status of the partner's step on the planning day."})
    answer_due = fields.Date(allow_none=True,
                             metadata={"description": "When the institution's own answer is due."})
    escalate_by = fields.Date(allow_none=True,
                              metadata={"description": "When the window for the partner's step closes."})
    directory_version = fields.String(metadata={"description": "Version of the channel directory used."})
    language = fields.String(allow_none=True, validate=validate.OneOf(LANGUAGES),
                             metadata={"description": "The person's language."})
    wants_mediation = fields.Boolean(metadata={"description": "The person asked for a mediator."})


class PartnerWithdrawalData(Schema):
    """`referral.<partner-id>.withdrawn`: the person withdrew; erase everything under this subject."""

    class Meta:
        unknown = RAISE

    withdrawn = fields.Boolean(required=True, validate=validate.Equal(True))


assert tuple(PartnerReferralData().fields) == ALLOWED_FIELDS  # one list, two views: keep them in step
