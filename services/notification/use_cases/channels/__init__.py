"""The ways a message leaves notification: e-mail over SMTP (email.py) and signed webhooks (webhook.py), and
`Channels`, everything the sender needs to reach someone (built once from the settings)."""
from dataclasses import dataclass, field

from services.notification.domain.mediator_messages import Links


@dataclass(frozen=True)
class Channels:
    """Everything needed to reach someone: SMTP settings, the webhook secret and allow-list, link maker."""
    smtp: dict  # host, port, starttls, username, password
    sender: str
    links: Links
    coordinator_email: str
    webhook_secret: bytes | None = field(default=None, repr=False)
    webhook_allowlist: tuple = ()
    webhook_timeout: float = 5
    complainant_key: bytes | None = field(default=None, repr=False)  # opens the person's sealed address
