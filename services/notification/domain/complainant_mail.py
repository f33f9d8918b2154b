"""Status messages to the person as rules (plain Python): their kinds and templates, when a plan is news, the
follow-up link, and the e-mail built at send time with the sealed address opened in memory.

When each kind is queued and what is stored: use_cases/complainant_messages.py. What the messages say:
complainant_texts.py.
"""
import hashlib
import json

from nacl.public import PrivateKey

from libs.contracts.messaging_keys import ContactUnreadable, key_id, open_contact
from services.notification.domain.complainant_texts import email_text
from services.notification.domain.deliveries import PermanentFailure
from services.notification.domain.emails import compose_email

TEMPLATES = {"plan": "complainant_plan", "deadline": "complainant_deadline",
             "next_step": "complainant_next_step", "mediator": "complainant_mediator",
             "message": "complainant_message", "feedback": "complainant_feedback"}
KIND_OF_TEMPLATE = {template: kind for kind, template in TEMPLATES.items()}
CLOCK_KINDS = {"referral.deadline_due": "deadline", "referral.escalation_available": "next_step"}
OPEN_NOW = "available_now"  # routing's plan step status for a step the person can take now
FOLLOW_UP_PATH = "/{lang}/follow-up"  # intake's public follow-up page (services/intake/web/urls.py)


def open_steps(plan: dict) -> list:
    """The channel ids of the plan's steps the person can take now, sorted."""
    return sorted({step["channel_id"] for step in plan["steps"] if step["status"] == OPEN_NOW})


def steps_key(open_now) -> str:
    """The part of a plan message's idempotency key that names its open steps."""
    return hashlib.sha256(json.dumps(sorted(open_now)).encode()).hexdigest()[:16]


def reachable(contact) -> bool:
    """A contact row the person can be e-mailed at (a sealed address; phone has no channel)."""
    return contact is not None and contact.channel == "email" and bool(contact.sealed_address)


def follow_up_url(public_base_url: str, language: str) -> str:
    return public_base_url.rstrip("/") + FOLLOW_UP_PATH.format(lang=language)


def build_email(delivery, contact, private_key: bytes | None, public_base_url: str, sender: str):
    """The e-mail for one queued message, the address opened in memory now. Raises PermanentFailure with a
    short code (never the address)."""
    if not reachable(contact):
        raise PermanentFailure("no_contact")
    if private_key is None:
        raise PermanentFailure("no_messaging_key")
    if contact.key_id and contact.key_id != key_id(bytes(PrivateKey(private_key).public_key)):
        raise PermanentFailure("contact_key_unknown")  # sealed for another key (a rotation, a wrong config)
    try:
        address = open_contact(private_key, delivery.case_ref, contact.sealed_address)
    except ContactUnreadable as exc:
        raise PermanentFailure(str(exc)) from None
    context = json.loads(delivery.context)
    language = context["language"]
    subject, body = email_text(KIND_OF_TEMPLATE[delivery.template], language, context["reference"],
                               follow_up_url(public_base_url, language), context.get("due_on"))
    try:
        return compose_email(subject, body, address, sender, delivery.idempotency_key, language)
    except Exception:  # noqa: BLE001 - a header error would quote the address
        raise PermanentFailure("address_unusable") from None
