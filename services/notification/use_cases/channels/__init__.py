"""The ways a message leaves notification: e-mail over SMTP (email.py) and signed webhooks (webhook.py), and
`Channels`, everything the sender needs to reach someone (built once from the settings)."""
from dataclasses import dataclass, field

from services.notification.domain.mediator_messages import Links


@dataclass(frozen=True)
class Channels:
    """Everything needed to reach someone: SMTP settings, the webhook master secret (one key per receiver is derived from it) and allow-list, link maker."""
    smtp: dict  # host, port, starttls, username, password
    sender: str
    links: Links
    coordinator_email: str
    webhook_secret: bytes | None = field(default=None, repr=False)
    webhook_allowlist: tuple = ()
    webhook_timeout: float = 5
    # test-only: plain http to loopback receivers (NOTIFICATION_WEBHOOK_TEST_LOOPBACK_HTTP); never in production
    webhook_test_loopback_http: bool = False
    complainant_key: bytes | None = field(default=None, repr=False)  # opens the person's sealed address
