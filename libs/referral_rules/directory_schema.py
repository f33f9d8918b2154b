"""Marshmallow schemas that validate the directory's data files on load (channels.yaml, municipalities.yaml)."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from libs.referral_rules.periods import Period

CHANNEL_KINDS = ("first_line", "second_line", "signal", "support")
FACT_STATUSES = ("confirmed", "unconfirmed")
CHANNEL_ID = validate.Regexp(r"^(internal:[a-z_]+|[a-z0-9][a-z0-9-]*)$")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class _Sourced(_Strict):
    """What every fact carries: where it comes from and when someone last checked it."""
    source = fields.String(required=True, validate=validate.Length(min=1))
    verified_on = fields.Date(required=True)
    status = fields.String(load_default="confirmed", validate=validate.OneOf(FACT_STATUSES))


class FactSchema(_Sourced):
    value = fields.Raw(required=True, allow_none=True)


class ContactSchema(_Strict):
    phone = fields.Nested(FactSchema)
    web = fields.Nested(FactSchema)
    address = fields.Nested(FactSchema)
    email = fields.Nested(FactSchema)


def _iso_period(text):
    try:
        Period.parse(text)
    except ValueError as error:
        raise ValidationError(str(error)) from error


COUNTINGS = ("calendar", "working_days")


class DeadlineSchema(_Sourced):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]+$"))
    period = fields.String(required=True, validate=_iso_period)
    counting = fields.String(load_default="calendar", validate=validate.OneOf(COUNTINGS))
    text = fields.String(required=True, validate=validate.Length(min=1))

    @validates_schema
    def _working_days_are_days(self, data, **_kwargs):
        if data.get("counting") == "working_days" and not str(data.get("period", "")).endswith("D"):
            raise ValidationError("a term in working days must be a number of days (P5D)", "counting")


class ChannelSchema(_Strict):
    id = fields.String(required=True, validate=CHANNEL_ID)
    name = fields.String(required=True, validate=validate.Length(min=1))
    kind = fields.String(required=True, validate=validate.OneOf(CHANNEL_KINDS))
    handles = fields.Nested(FactSchema, required=True)
    contact = fields.Nested(ContactSchema, load_default=dict)
    accepts_anonymous = fields.Nested(FactSchema, required=True)
    cost = fields.Nested(FactSchema, required=True)
    binding = fields.Nested(FactSchema, required=True)
    deadlines = fields.List(fields.Nested(DeadlineSchema), required=True)
    staff_notes = fields.String(load_default=None)  # for the desk; never in the public listing

    @validates_schema
    def _unique_deadline_keys(self, data, **_kwargs):
        keys = [deadline["key"] for deadline in data.get("deadlines", [])]
        if len(keys) != len(set(keys)):
            raise ValidationError("deadline keys must be unique within a channel", "deadlines")


class ChannelsFileSchema(_Strict):
    version = fields.String(required=True, validate=validate.Length(min=1, max=32))
    sources = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    channels = fields.List(fields.Nested(ChannelSchema), required=True, validate=validate.Length(min=1))


class MunicipalityEntrySchema(_Sourced):
    name = fields.String(required=True)
    ombudsman = fields.String(required=True, validate=CHANNEL_ID)
    note = fields.String(load_default=None)


class MunicipalitiesFileSchema(_Strict):
    version = fields.String(required=True)
    municipalities = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^GM\d{4}$")),
                                 values=fields.Nested(MunicipalityEntrySchema), required=True)
