"""The notification service: nameko adapter over assignment.py (events in) and sender.py (a timer)."""
from pathlib import Path

import yaml
from nameko.timer import timer
from prometheus_client import Counter, Gauge
from sqlalchemy import func, select

from services.common import metrics as common_metrics
from services.common.config import env, env_bool, env_int, nameko_config
from services.common.dependencies import Database, Ops
from services.common.handlers import reliable_handler
from services.common.inbox import handle_once
from services.common.logs import get_logger
from services.notification import assignment, registry, sender
from services.notification.mediators import load_registry
from services.notification.models import assignments, deliveries, inbox, metadata

log = get_logger()
SERVICE = "notification"
DEFAULT_MEDIATORS_FILE = Path(__file__).parent / "data" / "mediators.demo.yaml"

NOTIFICATIONS = Counter("voorportaal_notifications_total", "Delivery attempts by outcome",
                        ["service", "channel", "outcome"])
PENDING = Gauge("voorportaal_notifications_pending", "Deliveries waiting to be sent", ["service"]).labels(SERVICE)
MEDIATIONS_OPEN = Gauge("voorportaal_mediations_open", "Open mediation assignments", ["service"]).labels(SERVICE)
UNMATCHED = Counter("voorportaal_mediation_unmatched_total", "Cases sent to the desk's fallback queue",
                    ["service"]).labels(SERVICE)


class Settings:
    smtp = None

    @classmethod
    def ensure(cls):
        if cls.smtp is None:
            cls.seed_file = env("MEDIATORS_FILE", str(DEFAULT_MEDIATORS_FILE))
            if cls.seed_file.lower() != "none":
                load_registry(yaml.safe_load(Path(cls.seed_file).read_text()))  # fail at start when malformed
            cls.smtp = {"host": env("SMTP_HOST", "127.0.0.1"), "port": env_int("SMTP_PORT", 1025),
                        "starttls": env_bool("SMTP_STARTTLS", False), "username": env("SMTP_USERNAME"),
                        "password": env("SMTP_PASSWORD")}
            cls.sender = env("SMTP_FROM", "voorportaal@localhost")
            cls.base_url = env("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        return cls


def count_outcome(channel, outcome):
    NOTIFICATIONS.labels(SERVICE, channel, outcome).inc()


class NotificationService:
    name = SERVICE
    db = Database(SERVICE, metadata)
    ops = Ops(SERVICE)

    @reliable_handler("routing", "referral.planned")
    def on_referral_planned(self, envelope):
        def apply(session, _type, data, _raw):
            match = assignment.on_referral_planned(session, data, registry.all_mediators(session))
            if match is not None and match.mediator is None:
                UNMATCHED.inc()
                log.warning("mediation.unmatched", case_ref=data["case_ref"], reason=match.reason)
            elif match is not None:
                log.info("mediation.assigned", case_ref=data["case_ref"], mediator_id=match.mediator.id,
                         why=match.reason)
        outcome = handle_once(self.db, inbox, "on_referral_planned", envelope, apply)
        common_metrics.EVENTS_HANDLED.labels(SERVICE, "on_referral_planned", outcome).inc()

    @timer(interval=24 * 3600, eager=True)
    def seed_mediator_registry(self):
        """Mediators in MEDIATORS_FILE (default: the demo registry; `none` to skip) that the registry does not
        know yet are added on start; mediators managed with `voorportaal-mediators` are left as they are."""
        settings = Settings.ensure()
        if settings.seed_file.lower() == "none":
            return
        with self.db() as session:
            count = registry.seed_missing(session, yaml.safe_load(Path(settings.seed_file).read_text()))
        log.info("mediators.seeded", count=count)

    @timer(interval=0.2)
    def send_due_deliveries(self):
        settings = Settings.ensure()
        with self.db() as session:
            by_id = {m.id: m for m in registry.all_mediators(session)}
            sender.send_due(session, by_id, settings.smtp, settings.sender, settings.base_url, count_outcome)
            PENDING.set(session.execute(select(func.count()).select_from(deliveries)
                                        .where(deliveries.c.status == "pending")).scalar())
            MEDIATIONS_OPEN.set(session.execute(select(func.count()).select_from(assignments)
                                                .where(assignments.c.status.in_(assignment.OPEN_STATUSES))).scalar())


def config():
    Settings.ensure()
    return nameko_config(SERVICE)
