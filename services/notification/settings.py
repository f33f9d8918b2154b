"""Notification's configuration, read once and validated at start (variables: docs/notification.md, README.md
"Configuration"): the mediator registry file, SMTP, the link and webhook secrets, the webhook allow-list, the
reaction SLA policy and the key that opens the person's sealed address. A bad value stops the process with the
variable's name."""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import yaml

from libs.kit import config
from libs.kit.config import env, env_bool, env_int
from libs.kit.secrets_store import load_messaging_private_key as load_messaging_key
from libs.kit.secrets_store import load_secret
from services.notification.domain.business_hours import dutch_public_holidays
from services.notification.domain.escalation import SlaPolicy
from services.notification.domain.mediator_messages import Links
from services.notification.domain.mediators import load_registry
from services.notification.domain.timestamps import utc
from services.notification.use_cases.channels import Channels

SERVICE = "notification"
DEFAULT_MEDIATORS_FILE = Path(__file__).parent / "data" / "mediators.demo.yaml"
# read when the service class is defined: a timer's interval is fixed then
SLA_CHECK_SECONDS = env_int("NOTIFICATION_SLA_CHECK_SECONDS", 60)


@dataclass(frozen=True)
class Settings:
    seed_file: Path | None  # MEDIATORS_FILE, validated; None when it is `none` (no seeding)
    link_secret: bytes = field(repr=False)  # key of the mediators' signed links
    policy: SlaPolicy  # the reaction SLA
    channels: Channels  # SMTP, webhooks, links, the coordinator, the key of the person's sealed address


def now() -> datetime:
    """The SLA and link clock: NOTIFICATION_NOW (ISO 8601 with offset) pins it; otherwise the real time in UTC."""
    pinned = config.env("NOTIFICATION_NOW")
    if pinned:
        return utc(datetime.fromisoformat(pinned))
    return datetime.now(timezone.utc)


def policy_from_env(today=None) -> SlaPolicy:
    """NOTIFICATION_SLA_HOURS (16), NOTIFICATION_SLA_REMIND_HOURS (8), NOTIFICATION_SLA_MAX_REASSIGNMENTS (2),
    NOTIFICATION_OPEN_HOUR (9), NOTIFICATION_CLOSE_HOUR (17); Dutch public holidays around `today` are closed."""
    year = (today or datetime.now(timezone.utc)).year
    try:
        reaction = float(config.env("NOTIFICATION_SLA_HOURS", "16"))
        remind = float(config.env("NOTIFICATION_SLA_REMIND_HOURS", str(reaction / 2)))
    except ValueError:
        raise config.ConfigError("NOTIFICATION_SLA_HOURS and NOTIFICATION_SLA_REMIND_HOURS must be numbers") from None
    try:
        return SlaPolicy(
            reaction_hours=reaction, remind_after_hours=remind,
            max_reassignments=config.env_int("NOTIFICATION_SLA_MAX_REASSIGNMENTS", 2),
            open_hour=config.env_int("NOTIFICATION_OPEN_HOUR", 9),
            close_hour=config.env_int("NOTIFICATION_CLOSE_HOUR", 17),
            holidays=frozenset().union(*(dutch_public_holidays(y) for y in (year - 1, year, year + 1))))
    except ValueError as exc:
        raise config.ConfigError(f"NOTIFICATION_SLA_*: {exc}") from None


def seed_file() -> Path | None:
    """MEDIATORS_FILE (default: the demo registry), validated here so a malformed file fails at start."""
    name = env("MEDIATORS_FILE", str(DEFAULT_MEDIATORS_FILE))
    if name.lower() == "none":
        return None
    load_registry(yaml.safe_load(Path(name).read_text()))
    return Path(name)


@lru_cache(maxsize=1)
def load() -> Settings:
    smtp = {"host": env("SMTP_HOST", "127.0.0.1"), "port": env_int("SMTP_PORT", 1025),
            "starttls": env_bool("SMTP_STARTTLS", False), "username": env("SMTP_USERNAME"),
            "password": env("SMTP_PASSWORD")}
    seed = seed_file()
    link_secret = load_secret("NOTIFICATION_LINK_SECRET")
    policy = policy_from_env()
    channels = Channels(
        smtp=smtp, sender=env("SMTP_FROM", "voorportaal@localhost"),
        links=Links(secret=link_secret,
                    base_url=env("NOTIFICATION_BASE_URL", "http://127.0.0.1:8003").rstrip("/"),
                    case_base_url=env("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")),
        coordinator_email=env("NOTIFICATION_COORDINATOR_EMAIL", "coordinator@voorportaal.test"),
        webhook_secret=load_secret("NOTIFICATION_WEBHOOK_SECRET"),
        webhook_allowlist=tuple(entry.strip() for entry in env("NOTIFICATION_WEBHOOK_ALLOWLIST", "").split(",")
                                if entry.strip()),
        webhook_timeout=env_int("NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS", 5),
        webhook_test_loopback_http=env_bool("NOTIFICATION_WEBHOOK_TEST_LOOPBACK_HTTP", False),
        complainant_key=load_messaging_key())
    return Settings(seed_file=seed, link_secret=link_secret, policy=policy, channels=channels)
