"""The public API's request and response schemas (also the source of /openapi.json: openapi.py).

The enums, the progress kinds and the prior complaint are the event catalogue's (libs/contracts/events.py): what
the API accepts is what its events can carry.
"""
from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema, RAISE

from libs.contracts.events import (
    CAPACITIES, INSTITUTION_TYPES, ISSUES, LANGUAGES, PROGRESS_KINDS, REPORTER_ROLES, SOLVED_ANSWERS,
    PriorComplaintSchema,
)
from libs.reference.municipalities import municipalities
from services.intake.domain.contact_address import is_single_mailbox

DESCRIPTION_MAX = 10_000


class StrictBoolean(fields.Boolean):
    """JSON true/false only: a consent must be explicit, not "yes", 1 or "on" (1 == True in Python sets)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def known_municipality(value):
    if value not in municipalities():
        raise ValidationError("Not a municipality code of 2025 (GM followed by four digits).")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class Contact(_Strict):
    method = fields.String(required=True, validate=validate.OneOf(("none", "email", "phone")))
    address = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=254))
    safe_times = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))
    no_voicemail = StrictBoolean(load_default=False)

    @validates_schema
    def address_matches_method(self, data, **_kwargs):
        method, address = data["method"], data.get("address")
        if method != "none" and not address:
            raise ValidationError("An address is needed for this contact method.", "address")
        if method == "email" and address and not is_single_mailbox(address):
            # exactly one plain mailbox: no list, no display name, no line break (issue 19, finding 4)
            raise ValidationError("Not a valid e-mail address: give exactly one address, like name@example.org.",
                                  "address")


class Consent(_Strict):
    referral = StrictBoolean(required=True)
    share_description = StrictBoolean(required=True)
    contact = StrictBoolean(required=True)
    # its own explicit answer, asked only of someone who wants mediation: may the desk give the mediator access to
    # the description and contact details? Absent means no.
    share_with_mediator = StrictBoolean(load_default=False)


class ComplaintRequest(_Strict):
    institution_type = fields.String(required=True, validate=validate.OneOf(INSTITUTION_TYPES))
    institution_name = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))
    municipality = fields.String(allow_none=True, load_default=None, validate=known_municipality)
    issue = fields.String(required=True, validate=validate.OneOf(ISSUES))
    incident_date = fields.Date(allow_none=True, load_default=None)
    capacity = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(CAPACITIES))
    prior_complaint = fields.Nested(PriorComplaintSchema, allow_none=True, load_default=None)
    description = fields.String(required=True, validate=validate.Length(min=1, max=DESCRIPTION_MAX))
    language = fields.String(load_default="nl", validate=validate.OneOf(LANGUAGES))
    reporter_role = fields.String(load_default="sex_worker", validate=validate.OneOf(REPORTER_ROLES))
    wants_mediation = StrictBoolean(load_default=False)
    contact = fields.Nested(Contact, allow_none=True, load_default=None)
    consent = fields.Nested(Consent, required=True)
    first_complaint_unreasonable = StrictBoolean(load_default=False, metadata={"description": (
        "Complaining to the institution first cannot reasonably be asked (for example for fear of reprisals); "
        "the ombudsman may then take the complaint directly (Awb 9:20, 9:24)")})
    public_body = StrictBoolean(load_default=False, metadata={"description": (
        "With institution_type care_provider: it is a government body, such as a GGD")})
    about_care = StrictBoolean(allow_none=True, load_default=None, metadata={"description": (
        "With public_body: the complaint is about the care itself (null: not known)")})
    housing_corporation = StrictBoolean(allow_none=True, load_default=None, metadata={"description": (
        "With institution_type landlord: the landlord is a housing corporation (null: not known)")})

    @validates("incident_date")
    def not_in_future(self, value, **_kwargs):
        if value is not None and value > date.today():
            raise ValidationError("The date cannot be in the future.")

    @validates_schema
    def contact_needs_consent(self, data, **_kwargs):
        contact = data.get("contact")
        if contact and contact["method"] != "none" and not data["consent"]["contact"]:
            raise ValidationError("Contact details are only kept with consent to be contacted.", "contact")


class ComplaintCreated(Schema):
    reference = fields.String(required=True)
    receipt = fields.String(metadata={"description": "Shown once, in the first answer only. Keep it: it is the only "
                                                     "key. A repeated request with the same Idempotency-Key gets "
                                                     "the reference without it."})
    status_url = fields.String(required=True)
    receipt_shown_before = fields.Boolean(required=True, metadata={
        "description": "true when this answers a repeated request (same Idempotency-Key and body): the complaint "
                       "was filed before and its receipt was shown then, once; it is not shown again"})


class ProgressUpdate(_Strict):
    kind = fields.String(required=True, validate=validate.OneOf(PROGRESS_KINDS))
    on = fields.Date(required=True)

    @validates("on")
    def not_in_future(self, value, **_kwargs):
        if value > date.today():
            raise ValidationError("The date cannot be in the future.")


class FeedbackAnswer(_Strict):
    """POST /api/v1/complaints/{reference}/feedback: the answer to the open question ("did it help?" after the case
    closed, "is it solved?" when an answer was due; the status view's `feedback_question`)."""
    solved = fields.String(required=True, validate=validate.OneOf(SOLVED_ANSWERS))
    answer_came = StrictBoolean(allow_none=True, load_default=None, metadata={"description": (
        "Did the institution's answer come? Required when the question is about an answer that was due")})
    institution_treatment = fields.Integer(strict=True, allow_none=True, load_default=None,
                                           validate=validate.Range(1, 5), metadata={"description": (
                                               "How the institution treated you: 1 very badly ... 5 very well")})
    desk_treatment = fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(1, 5),
                                    metadata={"description": "How the desk treated you: 1 very badly ... 5 very well"})
    reopen = StrictBoolean(load_default=False, metadata={"description": (
        "Ask the desk to take the case up again (a closed case goes back in the desk's queue)")})
    comment = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000), metadata={
        "description": "A free answer, sealed for the desk (it shows in the conversation as your message)"})


class RouteQuery(_Strict):
    """POST /api/v1/route: the facts of a complaint the route explorer plans for (no text, nothing stored)."""
    institution_type = fields.String(required=True, validate=validate.OneOf(INSTITUTION_TYPES))
    issue = fields.String(required=True, validate=validate.OneOf(ISSUES))
    municipality = fields.String(allow_none=True, load_default=None, validate=known_municipality)
    capacity = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(CAPACITIES))
    incident_date = fields.Date(allow_none=True, load_default=None)
    prior_complaint = fields.Nested(PriorComplaintSchema, allow_none=True, load_default=None)
    reporter_role = fields.String(load_default="sex_worker", validate=validate.OneOf(REPORTER_ROLES))
    first_complaint_unreasonable = StrictBoolean(load_default=False)
    public_body = StrictBoolean(load_default=False)
    about_care = StrictBoolean(allow_none=True, load_default=None)
    housing_corporation = StrictBoolean(allow_none=True, load_default=None)


class ErrorDetail(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(load_default=None)


class ErrorBody(Schema):
    error = fields.Nested(ErrorDetail, required=True)
