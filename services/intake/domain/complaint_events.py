"""What a filed complaint tells the other services: the `data` of `complaint.received`, `complaint.sealed` and
`complaint.messages_requested` (schemas: libs/contracts/events.py).

Categories, dates and the reference only, except in two sealed events, each for one service: the case file sealed
for the desk (casework), and the e-mail address for status messages sealed to notification's messaging key.
"""
from libs.contracts.messaging_keys import key_id, seal_contact

MESSAGES_EVENT = "complaint.messages_requested"
MESSAGES_STOPPED_EVENT = "complaint.messages_stopped"
# the facts that only choose between routes (libs/referral_rules/facts.py), with their value when not asked
ROUTE_FACTS = {"first_complaint_unreasonable": False, "public_body": False, "about_care": None,
               "housing_corporation": None}


def received_event_data(reference, complaint, now):
    """`complaint.received` for a validated complaint (web/api_schemas.ComplaintRequest) filed at `now`."""
    consent = complaint["consent"]
    contact = complaint.get("contact")
    return {
        "case_ref": reference, "received_on": now.date(),
        "institution_type": complaint["institution_type"], "issue": complaint["issue"],
        "municipality": complaint.get("municipality"), "capacity": complaint.get("capacity"),
        "incident_date": complaint.get("incident_date"), "prior_complaint": complaint.get("prior_complaint"),
        "language": complaint["language"], "reporter_role": complaint["reporter_role"],
        "wants_mediation": complaint["wants_mediation"],
        "has_contact": bool(contact and contact["method"] != "none"),
        "consent": {k: consent[k] for k in ("referral", "share_description", "contact", "share_with_mediator")},
        **{fact: complaint.get(fact, default) for fact, default in ROUTE_FACTS.items()},
    }


def sealed_event_data(received, sealed, directory_version):
    """`complaint.sealed`: the facts of `complaint.received` with the case file sealed for the desk (casework's)."""
    return dict(received, case_public_key=sealed.case_public_key, items=sealed.items, wraps=sealed.wraps,
                key_directory_version=directory_version)


def messages_event_data(reference, complaint, messaging_key):
    """Status messages to the person: only with consent to be contacted and a contact method. The e-mail
    address is sealed to notification's messaging key; a phone number is not sent at all (no SMS channel).
    None when nothing is to be sent."""
    contact = complaint.get("contact")
    if not (complaint["consent"]["contact"] and contact and contact["method"] in ("email", "phone")):
        return None
    data = {"case_ref": reference, "language": complaint["language"], "channel": contact["method"],
            "sealed_address": None, "key_id": None}
    if contact["method"] == "email":
        if messaging_key is None:
            return None
        data.update(sealed_address=seal_contact(messaging_key, reference, contact["address"].strip()),
                    key_id=key_id(messaging_key))
    return data
