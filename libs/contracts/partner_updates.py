"""What a partner may say back about a referral it holds (`voorportaal.partner-updates.v1`); AsyncAPI is generated
from these, and routing validates every incoming update with them.

A status from a closed list and, when the partner answered or closed the referral, a short outcome code from a
closed list. Never free text: whatever a partner might write about the person stays with the partner.
"""
import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

UPDATE_STATUSES = ("received", "in_handling", "information_needed", "answered", "closed")
# statuses that may carry an outcome code; `closed` must carry one
STATUSES_WITH_OUTCOME = ("answered", "closed")
OUTCOME_CODES = (
    "upheld",               # the complaint was found justified
    "partly_upheld",        # partly justified
    "not_upheld",           # not justified
    "settled",              # resolved between the person and the institution
    "not_admissible",       # the partner cannot take it (too late, not first complained to the institution, ...)
    "not_competent",        # outside the partner's remit; another body is
    "withdrawn_by_person",  # the person stopped it at the partner
    "no_response",          # the partner asked for information and got none
)
UPDATE_TYPE = "nl.voorportaal.partner.status_updated.v1"
SOURCE_PREFIX = "urn:voorportaal:partner:"
SUBJECT_PATTERN = r"^[0-9a-f]{32}$"
EVENT_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
PARTNER_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
SOURCE_PATTERN = "^" + re.escape(SOURCE_PREFIX) + PARTNER_ID_PATTERN[1:]


class PartnerStatusData(Schema):
    """The `data` of a partner's status update about one referral."""

    class Meta:
        unknown = RAISE
        ordered = True

    status = fields.String(required=True, validate=validate.OneOf(UPDATE_STATUSES),
                           metadata={"description": "Where the referral stands at the partner."})
    outcome = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(OUTCOME_CODES),
                            metadata={"description": "Only with `answered` (optional) or `closed` (required): "
                                                     "the result, as a code. Never free text."})

    @validates_schema
    def _outcome_fits_status(self, data, **_kwargs):
        if data.get("outcome") is not None and data["status"] not in STATUSES_WITH_OUTCOME:
            raise ValidationError("an outcome only goes with answered or closed", "outcome")
        if data["status"] == "closed" and data.get("outcome") is None:
            raise ValidationError("closed needs an outcome code", "outcome")


class PartnerStatusEnvelope(Schema):
    """The CloudEvents 1.0 structured-mode envelope a partner publishes; nothing else is accepted."""

    class Meta:
        unknown = RAISE

    specversion = fields.String(required=True, validate=validate.Equal("1.0"))
    id = fields.String(required=True, validate=validate.Regexp(EVENT_ID_PATTERN))
    source = fields.String(required=True, validate=validate.Regexp(SOURCE_PATTERN))
    type = fields.String(required=True, validate=validate.Equal(UPDATE_TYPE))
    time = fields.AwareDateTime(required=True, format="iso")
    datacontenttype = fields.String(load_default="application/json", validate=validate.Equal("application/json"))
    subject = fields.String(required=True, validate=validate.Regexp(SUBJECT_PATTERN))
    data = fields.Nested(PartnerStatusData, required=True)


def partner_of_source(source: str) -> str:
    """`urn:voorportaal:partner:kifid` → `kifid` (the envelope was validated against SOURCE_PATTERN)."""
    return source[len(SOURCE_PREFIX):]
