"""The data of partner events on `voorportaal.referrals.v1` (CloudEvents `data`); AsyncAPI is generated from these.

Only non-identifying categories and dates. Each partner receives the subset its contract lists. The signal
report's announcement (`signals.<sector>`) carries only the report's published, disclosure-controlled counts for
one sector and quarter: no case, no subject, no free text.
"""
from marshmallow import RAISE, Schema, fields, validate

from libs.contracts.events import CAPACITIES, INSTITUTION_TYPES, ISSUES, LANGUAGES, QUARTER, SIGNAL_SECTORS
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


# -- the signal report (analytics → subscribed institutions) -------------------------------------------------------
SIGNAL_REPORT_EVENT_TYPE = "nl.voorportaal.signal_report.published.v1"
SIGNAL_REPORT_SOURCE = "urn:voorportaal:analytics"
# `other_institutions` appears in the report but is announced to nobody: it is not one sector
SIGNAL_REPORT_SECTORS = tuple(s for s in SIGNAL_SECTORS if s != "other_institutions")
TERM_STATES = ("within_term", "after_term", "unknown")
_COUNT = {"allow_none": True, "validate": validate.Range(min=0),
          "metadata": {"description": "A published count: 0 or at least the threshold; null = hidden."}}


class AnswerDaysData(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    median = fields.Integer(required=True, allow_none=True, validate=validate.Range(min=0))
    p90 = fields.Integer(required=True, allow_none=True, validate=validate.Range(min=0))


class SignalReportPublishedData(Schema):
    """`signals.<sector>`: the desk published its quarterly signal report; these are its numbers for one sector.
    Only aggregates that the report itself publishes (0 or at least `threshold`, null = hidden); never a case."""

    class Meta:
        unknown = RAISE
        ordered = True

    quarter = fields.String(required=True, validate=QUARTER, metadata={"description": "YYYY-Qn."})
    sector = fields.String(required=True, validate=validate.OneOf(SIGNAL_REPORT_SECTORS))
    threshold = fields.Integer(required=True, validate=validate.Range(min=2),
                               metadata={"description": "Smallest count the report publishes."})
    report_sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"),
                                  metadata={"description": "SHA-256 of the report as the desk published it."})
    complaints = fields.Integer(required=True, **_COUNT)
    by_issue = fields.Dict(keys=fields.String(validate=validate.OneOf(ISSUES)),
                           values=fields.Integer(allow_none=True, validate=validate.Range(min=0)), required=True,
                           metadata={"description": "Complaints by issue (null = hidden)."})
    second_line = fields.Integer(required=True, **_COUNT)
    by_term = fields.Dict(keys=fields.String(validate=validate.OneOf(TERM_STATES)),
                          values=fields.Integer(allow_none=True, validate=validate.Range(min=0)), required=True,
                          metadata={"description": "Answered within the legal term, after it, unknown."})
    answer_days = fields.Nested(AnswerDaysData, required=True,
                                metadata={"description": "Days from filing to the institution's answer: median "
                                                         "and 90th percentile, null when too few complaints."})
    growing_issues = fields.List(fields.String(validate=validate.OneOf(ISSUES)), required=True,
                                 metadata={"description": "Issues whose published count rose since the quarter "
                                                          "before."})
    has_observation = fields.Boolean(required=True, metadata={
        "description": "The report holds the desk's written observation on this sector (read it there)."})
