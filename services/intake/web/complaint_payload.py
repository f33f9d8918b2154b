"""Turn the finished form's values into the JSON payload of POST /api/v1/complaints.

Expects values as returned by `next_step` when it answers None (all steps valid). Contact details go into the
payload only with consent to contact: anonymous by default, and no details kept "just in case".
"""
from .form_fields import FINANCIAL_INSTITUTIONS


def _or_none(text):
    return text or None


def _yes(text):
    return text == "yes"


def _yes_no_unknown(text):
    """True, False, or None when the person does not know or was not asked."""
    return {"yes": True, "no": False}.get(text)


def _contact(values):
    if values["contact_method"] not in ("email", "phone") or not _yes(values["consent_contact"]):
        return None
    return {
        "method": values["contact_method"],
        "address": values["contact_address"],
        "safe_times": _or_none(values["contact_safe_times"]),
        "no_voicemail": _yes(values["contact_no_voicemail"]),
    }


def form_to_complaint(values, lang):
    prior = None
    if _yes(values["prior_complaint"]):
        prior = {"filed_on": _or_none(values["prior_filed_on"]),
                 "final_answer_on": _or_none(values["prior_final_answer_on"]),
                 "extension_notified": _yes(values["prior_extension_notified"]),
                 "advisory_committee": _yes_no_unknown(values["prior_advisory_committee"])}
    financial = values["institution_type"] in FINANCIAL_INSTITUTIONS
    return {
        "institution_type": values["institution_type"],
        "institution_name": _or_none(values["institution_name"]),
        "municipality": _or_none(values["municipality"]),
        "issue": values["issue"],
        "incident_date": _or_none(values["incident_date"]),
        "capacity": _or_none(values["capacity"]) if financial else None,
        "prior_complaint": prior,
        "description": values["description"],
        "language": lang,
        "reporter_role": values["reporter_role"],
        "wants_mediation": _yes(values["wants_mediation"]),
        "contact": _contact(values),
        "consent": {
            "referral": _yes(values["consent_referral"]),
            "share_description": _yes(values["consent_share_description"]),
            "contact": _yes(values["consent_contact"]),
            "share_with_mediator": _yes(values["wants_mediation"]) and _yes(values["consent_share_with_mediator"]),
        },
        "first_complaint_unreasonable": not _yes(values["prior_complaint"])
        and _yes(values["first_complaint_unreasonable"]),
        "public_body": values["institution_type"] == "care_provider" and _yes(values["public_body"]),
        "about_care": _yes_no_unknown(values["about_care"]) if _yes(values["public_body"]) else None,
        "housing_corporation": _yes_no_unknown(values["housing_corporation"])
        if values["institution_type"] == "landlord" else None,
    }
