"""One e-mail, as every message of notification is sent (to a mediator, the coordinator or the person): the
headers they share. What a message says is mediator_messages.py and complainant_texts.py."""
import hashlib
from email.message import EmailMessage
from email.utils import formatdate


def compose_email(subject, body, to_address, sender, idempotency_key, language=None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to_address
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # derived from the idempotency key: if a crash makes us send twice, receivers can see it is one message
    message["Message-ID"] = f"<{hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]}@voorportaal>"
    message.set_content(body)
    if language:
        message["Content-Language"] = language  # after set_content, which replaces the Content-* headers
    return message
