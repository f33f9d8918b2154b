"""Building and sending the e-mails. Messages carry the reference, categories, a date and a link: never the
complaint text or the person's contact details (the notification service never receives them)."""
import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate


class PermanentFailure(Exception):
    """The message can never be delivered as addressed (e.g. the server refused the recipient)."""


class TransientFailure(Exception):
    """Worth another try later (server down, timeout, 4xx answer)."""


def build_mediation_request(context: dict, to_address: str, sender: str, base_url: str, idempotency_key: str):
    reference = context["reference"]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to_address
    message["Subject"] = f"Voorportaal: mediation requested ({reference})"
    message["Date"] = formatdate(localtime=False)
    # derived from the idempotency key: if a crash makes us send twice, receivers can see it is one message
    message["Message-ID"] = f"<{hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]}@voorportaal>"
    due = context.get("answer_due") or "not set yet"
    message.set_content(
        "A person who contacted the Voorportaal asked for a mediator, and you were matched.\n\n"
        f"Reference: {reference}\n"
        f"Institution type: {context['institution_type']}\n"
        f"Subject of the complaint: {context['issue']}\n"
        f"First deadline in the plan: {due}\n\n"
        f"Open the case (sign in required): {base_url}/mediator/cases/{reference}\n\n"
        "Please accept or decline within two working days.\n"
        "This e-mail deliberately contains no details of the complaint.\n")
    return message


def send_email(message, host, port, starttls=False, username=None, password=None, timeout=10):
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
            if username:
                smtp.login(username, password or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        if all(500 <= code < 600 for code in codes):
            raise PermanentFailure("recipient_refused") from None
        raise TransientFailure("recipient_deferred") from None
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600:
            raise PermanentFailure(f"smtp_{exc.smtp_code}") from None
        raise TransientFailure(f"smtp_{exc.smtp_code}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientFailure(type(exc).__name__) from None
