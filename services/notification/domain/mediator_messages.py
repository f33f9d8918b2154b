"""What each message to a mediator or the coordinator says, per template, for e-mail and webhook (plain Python).

A message to a mediator carries the reference, categories, a date and links; never complaint text or the
person's contact details. (Status messages to the person: complainant_mail.py and complainant_texts.py.) Signed
links (signed_links.py) are made when the message is sent, not when it is queued, so no bearer token is ever
stored in the delivery table. Mediators and the coordinator are the desk's own people: these texts are in
English only, not in the translation catalogues (those hold what the person reads).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from services.notification.domain import signed_links
from services.notification.domain.emails import compose_email

# template → the event name a webhook receiver sees (webhooks.ALLOWED_PAYLOAD_KEYS has "event")
WEBHOOK_EVENTS = {
    "mediation_request": "mediation.requested",
    "mediation_reminder": "mediation.reminder",
    "mediation_accepted": "mediation.accepted",
    "deadline_due": "referral.deadline_due",
    "escalation_available": "referral.escalation_available",
    "coordinator_handover": "mediation.to_coordinator",
}
RESPOND_TEMPLATES = ("mediation_request", "mediation_reminder")  # carry accept/decline links
OUTCOME_LINK_DAYS = 90
RESPOND_LINK_GRACE = timedelta(days=1)  # accept/decline links live until the reaction deadline plus a day


@dataclass(frozen=True)
class Links:
    """Makes the URLs a message needs. `base_url` is notification's public address (NOTIFICATION_BASE_URL)."""
    secret: bytes
    base_url: str
    # intake's public base (PUBLIC_BASE_URL): status messages to the person point at its follow-up page. Mediators
    # get no case-page link: no service serves one (a mediator's view is the signed link pages on notification).
    case_base_url: str

    def action(self, case_ref, mediator_id, action, expires_at: datetime) -> str:
        token = signed_links.make_token(self.secret, case_ref, mediator_id, action, int(expires_at.timestamp()))
        return f"{self.base_url}/mediator/links/{token}"


def _respond_expiry(context, now):
    respond_by = context.get("respond_by")
    deadline = datetime.fromisoformat(respond_by) if respond_by else now + timedelta(days=7)
    return max(deadline, now) + RESPOND_LINK_GRACE


def message_links(template, context, mediator_id, links: Links, now) -> dict:
    """The links a message carries, by name; `primary` is the one a webhook gets (None: a message that only
    informs, e.g. a deadline, has no link)."""
    reference = context["reference"]
    found = {"primary": None}
    if mediator_id and template in RESPOND_TEMPLATES:
        expires = _respond_expiry(context, now)
        found["accept"] = links.action(reference, mediator_id, "accept", expires)
        found["decline"] = links.action(reference, mediator_id, "decline", expires)
        found["primary"] = found["accept"]  # its page offers decline as well
    elif mediator_id and template == "mediation_accepted":
        found["outcome"] = links.action(reference, mediator_id, "outcome", now + timedelta(days=OUTCOME_LINK_DAYS))
        found["primary"] = found["outcome"]
    return found


def _facts(context):
    due = context.get("answer_due") or "not set yet"
    return (f"Reference: {context['reference']}\n"
            f"Institution type: {context['institution_type']}\n"
            f"Subject of the complaint: {context['issue']}\n"
            f"First deadline in the plan: {due}\n")


def _respond_lines(found):
    return (f"Accept this case: {found['accept']}\n"
            f"Decline this case: {found['decline']}\n"
            "(Each link opens a page where you confirm; nothing happens until you press the button.)\n")


def email_text(template, context, found) -> tuple[str, str]:
    """(subject, body) of one message."""
    reference = context["reference"]
    facts = _facts(context)
    footer = "This e-mail deliberately contains no details of the complaint.\n"
    if template == "mediation_request":
        return (f"Voorportaal: mediation requested ({reference})",
                "A person who contacted the Voorportaal asked for a mediator, and you were matched.\n\n"
                f"{facts}\n{_respond_lines(found)}\n"
                "Please accept or decline within two working days.\n" + footer)
    if template == "mediation_reminder":
        return (f"Voorportaal: reminder, mediation waiting for your answer ({reference})",
                "You were matched with a person who asked for a mediator and we have not heard from you yet.\n\n"
                f"{facts}\n{_respond_lines(found)}\n"
                f"If we do not hear from you by {context.get('respond_by', 'the deadline')}, the case goes to "
                "another mediator.\n" + footer)
    if template == "mediation_accepted":
        return (f"Voorportaal: you accepted case {reference}",
                f"Thank you for accepting case {reference}.\n\n{facts}\n"
                "To reach the person, go through the desk's coordinator: only the desk holds how they want to be contacted.\n\n"
                f"When the mediation has ended, record the outcome here: {found['outcome']}\n"
                "(Outcome codes only; please do not write anything about the person.)\n" + footer)
    if template in ("deadline_due", "escalation_available"):
        what = ("The institution's answer is due" if template == "deadline_due"
                else "The next step of the complaint procedure is open")
        return (f"Voorportaal: {what.lower()} ({reference})",
                f"{what} for a case you mediate.\n\n"
                f"Reference: {reference}\nChannel: {context.get('channel_id')}\nDate: {context.get('due_on')}\n\n"
                "Questions about the case: ask the desk's coordinator, quoting the reference.\n" + footer)
    if template == "coordinator_handover":
        return (f"Voorportaal: no mediator took case {reference}",
                f"No mediator accepted case {reference} in time ({context.get('why', 'no reaction')}).\n"
                "The case now waits for the coordinator.\n\n"
                f"{facts}\nThe case file is in the desk's own records, under this reference.\n" + footer)
    raise ValueError(f"unknown template {template!r}")


def build_email(template, context, found, to_address, sender, idempotency_key) -> EmailMessage:
    subject, body = email_text(template, context, found)
    return compose_email(subject, body, to_address, sender, idempotency_key)
