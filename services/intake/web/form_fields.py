"""The fields of the multi-step complaint form, which step asks them, and how each is checked.

Values travel between steps as plain strings (form fields and hidden inputs); `validate_step` returns them
normalised (dates as YYYY-MM-DD) together with error codes keyed by field name. Wording lives in labels.py.
"""
import datetime
import re

from libs.contracts.events import CAPACITIES, INSTITUTION_TYPES, ISSUES, REPORTER_ROLES
from services.intake.domain.contact_address import is_single_mailbox, looks_like_several

from .municipalities import MUNICIPALITY_NAMES

FORM_STEPS = ("about", "what", "contact", "consent", "review")

STEP_FIELDS = {
    "about": ("reporter_role", "institution_type", "institution_name", "municipality"),
    "what": ("issue", "incident_date", "capacity", "public_body", "about_care", "housing_corporation",
             "prior_complaint", "prior_filed_on", "prior_final_answer_on", "prior_extension_notified",
             "prior_advisory_committee", "first_complaint_unreasonable", "description"),
    "contact": ("wants_mediation", "contact_method", "contact_address", "contact_safe_times",
                "contact_no_voicemail"),
    "consent": ("consent_referral", "consent_share_description", "consent_contact", "consent_share_with_mediator"),
    "review": (),
}
ALL_FIELDS = tuple(name for step in FORM_STEPS for name in STEP_FIELDS[step])

# Kifid (banks, insurers) only handles complaints of private persons, so only there do we ask in which capacity.
FINANCIAL_INSTITUTIONS = ("bank", "insurer")
CONTACT_METHODS = ("none", "email", "phone")
YES_NO = ("yes", "no")
YES_NO_UNKNOWN = ("yes", "no", "unknown")

MAX_LENGTH = {
    "institution_name": 200, "description": 10_000, "contact_address": 254, "contact_safe_times": 200,
}
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")   # 31-03-2026, how most people here write it


def clean_text(raw):
    """Strip surrounding space, unify line ends and drop NUL/control characters a browser never sends."""
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32).strip()


def parse_date(text):
    """A date from YYYY-MM-DD (what <input type=date> sends) or DD-MM-YYYY; None if it is not a real date."""
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = match.groups()
    else:
        match = _DUTCH_DATE.match(text)
        if not match:
            return None
        day, month, year = match.groups()
    try:
        parsed = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return parsed if parsed.year >= 1900 else None


def check_choice(values, errors, name, options, required):
    if not values[name]:
        if required:
            errors[name] = "required_choice"
    elif values[name] not in options:
        errors[name] = "invalid_choice"


def check_text(values, errors, name, required=False):
    if not values[name]:
        if required:
            errors[name] = "required"
    elif len(values[name]) > MAX_LENGTH[name]:
        errors[name] = "too_long"


def check_past_date(values, errors, name, today):
    if not values[name]:
        return None
    parsed = parse_date(values[name])
    if parsed is None:
        errors[name] = "invalid_date"
    elif parsed > today:
        errors[name] = "future_date"
    else:
        values[name] = parsed.isoformat()
        return parsed
    return None


def _check_about(values, errors, today):
    check_choice(values, errors, "reporter_role", REPORTER_ROLES, required=True)
    check_choice(values, errors, "institution_type", INSTITUTION_TYPES, required=True)
    check_text(values, errors, "institution_name")
    if values["municipality"] and values["municipality"] not in MUNICIPALITY_NAMES:
        errors["municipality"] = "invalid_municipality"


def _check_what(values, errors, today):
    check_choice(values, errors, "issue", ISSUES, required=True)
    check_past_date(values, errors, "incident_date", today)
    if values["institution_type"] in FINANCIAL_INSTITUTIONS:
        check_choice(values, errors, "capacity", CAPACITIES, required=False)
    else:
        values["capacity"] = ""          # asked only for banks and insurers; drop a stale answer
    _check_route_facts(values, errors)
    check_choice(values, errors, "prior_complaint", YES_NO, required=True)
    if values["prior_complaint"] == "yes":
        filed = check_past_date(values, errors, "prior_filed_on", today)
        answered = check_past_date(values, errors, "prior_final_answer_on", today)
        if filed and answered and answered < filed:
            errors["prior_final_answer_on"] = "date_order"
        check_choice(values, errors, "prior_extension_notified", YES_NO, required=False)
        check_choice(values, errors, "prior_advisory_committee", YES_NO_UNKNOWN, required=False)
        values["first_complaint_unreasonable"] = ""
    else:
        values["prior_filed_on"] = values["prior_final_answer_on"] = ""
        values["prior_extension_notified"] = values["prior_advisory_committee"] = ""
        check_choice(values, errors, "first_complaint_unreasonable", YES_NO, required=False)
    check_text(values, errors, "description", required=True)


def _check_route_facts(values, errors):
    """The optional questions that choose between routes, asked only where they matter (a GGD is both a care
    provider and a government body; a housing corporation's tenant has the Huurcommissie and more)."""
    if values["institution_type"] == "care_provider":
        check_choice(values, errors, "public_body", YES_NO, required=False)
        if values["public_body"] == "yes":
            check_choice(values, errors, "about_care", YES_NO_UNKNOWN, required=False)
        else:
            values["about_care"] = ""
    else:
        values["public_body"] = values["about_care"] = ""
    if values["institution_type"] == "landlord":
        check_choice(values, errors, "housing_corporation", YES_NO_UNKNOWN, required=False)
    else:
        values["housing_corporation"] = ""


def _check_contact(values, errors, today):
    check_choice(values, errors, "wants_mediation", YES_NO, required=True)
    if not values["contact_method"]:
        values["contact_method"] = "none"    # anonymous unless the person chooses otherwise
    check_choice(values, errors, "contact_method", CONTACT_METHODS, required=True)
    if values["contact_method"] in ("email", "phone"):
        check_text(values, errors, "contact_address", required=True)
        check_text(values, errors, "contact_safe_times")
        address = values["contact_address"]
        if address and "contact_address" not in errors:
            if values["contact_method"] == "email" and looks_like_several(address):
                errors["contact_address"] = "one_email_only"  # the desk mails one address (issue 19, finding 4)
            elif values["contact_method"] == "email" and not is_single_mailbox(address):
                errors["contact_address"] = "invalid_email"
            digits = sum(ch.isdigit() for ch in address)
            if values["contact_method"] == "phone" and not (_PHONE.match(address) and 8 <= digits <= 15):
                errors["contact_address"] = "invalid_phone"
    else:
        # No contact chosen: keep no address around, not even in hidden fields.
        values["contact_address"] = values["contact_safe_times"] = values["contact_no_voicemail"] = ""
    values["contact_no_voicemail"] = "yes" if values["contact_no_voicemail"] else ""


def _check_consent(values, errors, today):
    for name in ("consent_referral", "consent_share_description", "consent_contact"):
        check_choice(values, errors, name, YES_NO, required=True)
    # asked only of someone who wants a mediator: its own explicit answer, never implied by the others
    if values["wants_mediation"] == "yes":
        check_choice(values, errors, "consent_share_with_mediator", YES_NO, required=True)
    else:
        values["consent_share_with_mediator"] = ""


_CHECKS = {
    "about": _check_about, "what": _check_what, "contact": _check_contact,
    "consent": _check_consent, "review": lambda values, errors, today: None,
}


def read_values(form):
    """Every known field from a submitted form (mapping of str -> str), cleaned; unknown keys are ignored."""
    return {name: clean_text(form.get(name, "")) for name in ALL_FIELDS}


def validate_step(step, values, today=None):
    """(normalised copy of values, {field: error_code}) for the fields that `step` asks."""
    today = today or datetime.date.today()
    checked, errors = dict(values), {}
    _CHECKS[step](checked, errors, today)
    return checked, errors
