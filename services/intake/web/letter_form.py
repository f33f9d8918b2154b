"""The letter form (/{lang}/letter, no JavaScript): its fields, and its answers parsed into a LetterRequest.

The facts questions are the route explorer's (route_question.py, the same rules and error codes); the rest are the
letter's: who it goes to, what happened in the person's words, what they ask, and the sender's name and address,
which are used for this one letter and never stored, logged or sent anywhere.
"""
import datetime

from services.intake.domain.letters import LIMITS, LetterRequest, Sender
from services.intake.domain.plain_text import clean_text
from services.intake.use_cases import letters

from .rights_catalogues import R_
from .route_question import ROUTE_FIELDS, parse_route_question

OUTPUTS = ("html", "pdf", "text")
# form field -> the API's path (domain.letters.LIMITS, the refusal's field names)
TEXT_FIELDS = {
    "institution_name": "institution_name", "incident_place": "incident_place",
    "reference_number": "reference_number", "account": "account", "grounds": "grounds", "request": "request",
    "sender_name": "sender.name", "sender_address": "sender.address", "sender_postcode_city": "sender.postcode_city",
    "sender_phone": "sender.phone",
}
MULTILINE = ("account", "grounds", "request")
FORM_NAME_OF_PATH = {**{path: name for name, path in TEXT_FIELDS.items()},
                     "facts.prior_complaint.filed_on": "prior_filed_on", "facts.capacity": "capacity",
                     "channel_id": "channel_id"}
LETTER_FIELDS = ("channel_id", *ROUTE_FIELDS, *TEXT_FIELDS)
MAX_LENGTH = {name: LIMITS[path] for name, path in TEXT_FIELDS.items()}

FIELD_LABELS = {
    "channel_id": R_("Who is the letter for?"),
    "institution_name": R_("Name of the organisation you complain about"),
    "incident_place": R_("Where did it happen? (town, street or building)"),
    "reference_number": R_("Your customer, account, policy or file number (optional)"),
    "account": R_("What happened? In your own words"),
    "grounds": R_("Why do you think this was wrong?"),
    "request": R_("What do you ask for? (optional)"),
    "sender_name": R_("Your name"),
    "sender_address": R_("Your street and house number"),
    "sender_postcode_city": R_("Your postcode and town"),
    "sender_phone": R_("Your phone number (optional)"),
}
FIELD_HINTS = {
    "channel_id": R_("The organisation that handles this step of your plan."),
    "institution_name": R_("For example the name of your bank, insurer, care provider or GGD. For the police: the "
                           "police unit, if you know it. For an ombudsman: the institution you complained about."),
    "account": R_("Who did what, when and where. Dates, names or service numbers help. Only mention your work if "
                  "it matters for the complaint."),
    "grounds": R_("An ombudsman needs this. For other letters it helps."),
    "request": R_("For example an apology, an explanation, a correction, or your account back. If you leave this "
                  "empty, the letter asks for a usual solution."),
    "sender_address": R_("You may use a correspondence address you trust."),
}
ERRORS = {
    "required": R_("Please fill this in."),
    "too_long": R_("This is too long. The limit is %(max)s characters."),
    "unknown_channel": R_("Please choose who the letter is for."),
    "no_written_complaint": R_("This organisation does not take a complaint letter. Please choose another."),
}


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def parse_letter_form(form, lang, today=None):
    """(LetterRequest or None, values to show again, {field: error or reason code})."""
    query, values, errors = parse_route_question(form, today)
    values["channel_id"] = clean_text(form.get("channel_id", ""), 80, multiline=False)
    texts = {}
    for name in TEXT_FIELDS:
        raw = form.get(name, "")
        if len(raw) > MAX_LENGTH[name] + 200:   # well over the limit: say so rather than cut silently
            errors[name] = "too_long"
        texts[name] = clean_text(raw, MAX_LENGTH[name], multiline=name in MULTILINE)
        values[name] = texts[name]
    if not values["channel_id"]:
        errors["channel_id"] = "unknown_channel"
    if query is None or errors:
        return None, values, errors
    request = LetterRequest(
        channel_id=values["channel_id"], institution_type=query["institution_type"], issue=query["issue"],
        municipality=query["municipality"], incident_date=_date(query["incident_date"]),
        capacity=query["capacity"], prior_filed_on=_date((query["prior_complaint"] or {}).get("filed_on")),
        prior_final_answer_on=_date((query["prior_complaint"] or {}).get("final_answer_on")),
        sender=Sender(texts["sender_name"], texts["sender_address"], texts["sender_postcode_city"],
                      texts["sender_phone"]),
        institution_name=texts["institution_name"], reference_number=texts["reference_number"],
        incident_place=texts["incident_place"], account=texts["account"], grounds=texts["grounds"],
        request=texts["request"], language=lang)
    try:
        letters.check(request)
    except letters.LetterRefused as refused:
        return None, values, {FORM_NAME_OF_PATH.get(path, path): reason for path, reason in refused.fields.items()}
    return request, values, {}
