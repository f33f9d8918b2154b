"""Sending an e-mail over SMTP; the server's answer becomes one of the delivery queue's two failure classes (short
codes, never the address). What a message says is in domain/: the reference, categories, a date and links; never
the complaint text or contact details."""
import smtplib
import ssl

from services.notification.domain.deliveries import PermanentFailure, TransientFailure


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
