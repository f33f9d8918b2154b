"""POST /api/v1/letters: the request's schema (also in /openapi.json), the answer's format from Accept, and the
request turned into a coded letter. Stateless like POST /api/v1/route: nothing is stored, emitted or logged.

Formats: `Accept: application/pdf`, `text/html` or `text/plain` (the highest quality wins; equal qualities in the
client's order). Anything else, also a bare `*/*`, is 406 with the three types named: a letter has no JSON form,
and a client should say which document it wants. Errors are the API's uniform JSON body and never echo input.
"""
from datetime import date

from marshmallow import RAISE, Schema, fields, validate

from libs.contracts.events import LANGUAGES
from services.intake.domain.letters import LIMITS, REASONS, LetterRequest, Sender
from services.intake.domain.plain_text import clean_text
from services.intake.use_cases import letters

from .api_schemas import RouteQuery
from .request_bodies import load_or_400, read_json_body
from .responses import HttpError

FORMATS = {"application/pdf": "pdf", "text/html": "html", "text/plain": "text"}
REFUSALS = {
    "unknown_channel": "There is no channel with this id (GET /api/v1/channels lists them).",
    "no_written_complaint": "This channel takes no written complaint from the person (a signal or support "
                            "channel, a form-only body, a landlord or an employer).",
}


def _text(path, required=False):
    if required:
        return fields.String(required=True, validate=validate.Length(min=1, max=LIMITS[path]))
    return fields.String(allow_none=True, load_default=None, validate=validate.Length(max=LIMITS[path]))


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class LetterSender(_Strict):
    """Used only to print this letter: never stored, logged or sent anywhere."""
    name = _text("sender.name")
    address = _text("sender.address")
    postcode_city = _text("sender.postcode_city")
    phone = _text("sender.phone")
    email = _text("sender.email")


class LetterRequestSchema(_Strict):
    channel_id = fields.String(required=True, validate=validate.Length(min=1, max=80),
                               metadata={"description": "A channel that takes a written complaint "
                                                        "(GET /api/v1/channels)"})
    facts = fields.Nested(RouteQuery, required=True,
                          metadata={"description": "The facts, as the body of POST /api/v1/route"})
    sender = fields.Nested(LetterSender, load_default=dict)
    institution_name = _text("institution_name")
    reference_number = _text("reference_number")
    incident_place = _text("incident_place")
    account = _text("account", required=True)
    grounds = _text("grounds")
    request = _text("request")
    language = fields.String(load_default="nl", validate=validate.OneOf(LANGUAGES),
                             metadata={"description": "The person's language: the version they read beside "
                                                      "the Dutch letter"})


LETTER_SCHEMA = LetterRequestSchema()


def choose_format(request):
    """'pdf', 'html' or 'text' from the Accept header, or HttpError 406."""
    best, best_quality = None, 0.0
    for mimetype, quality in request.accept_mimetypes:
        kind = FORMATS.get(mimetype.lower())
        if kind and quality > best_quality:
            best, best_quality = kind, quality
    if best is None:
        raise HttpError(406, "not_acceptable", "Ask for application/pdf, text/html or text/plain in Accept.")
    return best


def _clean(value, path, multiline=False):
    return clean_text(value or "", LIMITS[path], multiline=multiline)


def request_from(body) -> LetterRequest:
    facts = body["facts"]
    prior = facts.get("prior_complaint") or {}
    sender = body.get("sender") or {}
    return LetterRequest(
        channel_id=body["channel_id"], institution_type=facts["institution_type"], issue=facts["issue"],
        municipality=facts.get("municipality"), incident_date=facts.get("incident_date"),
        capacity=facts.get("capacity"), prior_filed_on=prior.get("filed_on"),
        prior_final_answer_on=prior.get("final_answer_on"),
        sender=Sender(*(_clean(sender.get(name), f"sender.{name}") for name in
                        ("name", "address", "postcode_city", "phone", "email"))),
        institution_name=_clean(body.get("institution_name"), "institution_name"),
        reference_number=_clean(body.get("reference_number"), "reference_number"),
        incident_place=_clean(body.get("incident_place"), "incident_place"),
        account=_clean(body.get("account"), "account", multiline=True),
        grounds=_clean(body.get("grounds"), "grounds", multiline=True),
        request=_clean(body.get("request"), "request", multiline=True),
        language=body["language"])


def build_from_json(request, today: date | None = None):
    """(letter, language) or HttpError 400 naming the fields; never with what was sent."""
    body = load_or_400(LETTER_SCHEMA, read_json_body(request), "invalid_letter_request")
    letter_request = request_from(body)
    try:
        return letters.build(letter_request, today), letter_request.language
    except letters.LetterRefused as refused:
        fields_ = {path: [REASONS.get(reason) or REFUSALS.get(reason) or "Required for this letter."]
                   for path, reason in refused.fields.items()}
        message = REFUSALS.get(refused.code, "Some fields this letter needs are missing.")
        raise HttpError(400, refused.code, message, fields_) from None
