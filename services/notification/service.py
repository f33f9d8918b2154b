"""The notification service: nameko adapter over assignment.py (events in), sender.py (a timer), sla.py (a timer)
and web.py (the mediator's signed links, on notification's own HTTP address)."""
from pathlib import Path

import yaml
from nameko.timer import timer
from nameko.web.handlers import http
from prometheus_client import Counter, Gauge
from sqlalchemy import func, select

from libs.kit.config import env, env_bool, env_int, nameko_config
from libs.kit.dependencies import Database, Ops
from libs.kit.consuming import consumes
from libs.kit.logs import get_logger
from libs.kit.secrets_store import load_messaging_private_key as load_messaging_key
from libs.kit.secrets_store import load_secret
from services.notification import assignment, complainant_messages, registry, sender, sla, web
from services.notification.mediators import load_registry
from services.notification.messages import Links
from services.notification.models import assignments, deliveries, inbox, metadata

log = get_logger()
SERVICE = "notification"
DEFAULT_MEDIATORS_FILE = Path(__file__).parent / "data" / "mediators.demo.yaml"
SLA_CHECK_SECONDS = env_int("NOTIFICATION_SLA_CHECK_SECONDS", 60)

NOTIFICATIONS = Counter("voorportaal_notifications_total", "Delivery attempts by outcome",
                        ["service", "channel", "outcome"])
PENDING = Gauge("voorportaal_notifications_pending", "Deliveries waiting to be sent", ["service"]).labels(SERVICE)
MEDIATIONS_OPEN = Gauge("voorportaal_mediations_open", "Open mediation assignments", ["service"]).labels(SERVICE)
UNMATCHED = Counter("voorportaal_mediation_unmatched_total", "Cases sent to the desk's fallback queue",
                    ["service"]).labels(SERVICE)
REACTIONS = Counter("voorportaal_mediator_reactions_total", "Mediator link actions by result",
                    ["service", "action", "result"])
COMPLAINANT_REQUESTS = Counter("voorportaal_complainant_message_requests_total", "People who asked for status "
                               "messages, by contact channel and result (stored, unsupported_channel, closed)",
                               ["service", "channel", "result"])
COMPLAINANT_MESSAGES = Counter("voorportaal_complainant_messages_total", "Attempts to send a status message to "
                               "the person, by kind (plan, deadline, next_step, mediator) and outcome",
                               ["service", "kind", "outcome"])
COMPLAINANT_STOPS = Counter("voorportaal_complainant_messages_stopped_total", "People who stopped status "
                            "messages while keeping their complaint open", ["service"]).labels(SERVICE)
ESCALATIONS = Counter("voorportaal_mediation_escalations_total", "SLA steps taken (remind, reassign, "
                      "to_coordinator)", ["service", "kind"])


class Settings:
    smtp = None

    @classmethod
    def ensure(cls):
        if cls.smtp is None:
            cls.seed_file = env("MEDIATORS_FILE", str(DEFAULT_MEDIATORS_FILE))
            if cls.seed_file.lower() != "none":
                load_registry(yaml.safe_load(Path(cls.seed_file).read_text()))  # fail at start when malformed
            smtp = {"host": env("SMTP_HOST", "127.0.0.1"), "port": env_int("SMTP_PORT", 1025),
                    "starttls": env_bool("SMTP_STARTTLS", False), "username": env("SMTP_USERNAME"),
                    "password": env("SMTP_PASSWORD")}
            cls.link_secret = load_secret("NOTIFICATION_LINK_SECRET")
            cls.policy = sla.policy_from_env()
            cls.channels = sender.Channels(
                smtp=smtp, sender=env("SMTP_FROM", "voorportaal@localhost"),
                links=Links(secret=cls.link_secret,
                            base_url=env("NOTIFICATION_BASE_URL", "http://127.0.0.1:8003").rstrip("/"),
                            case_base_url=env("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")),
                coordinator_email=env("NOTIFICATION_COORDINATOR_EMAIL", "coordinator@voorportaal.test"),
                webhook_secret=load_secret("NOTIFICATION_WEBHOOK_SECRET"),
                webhook_allowlist=tuple(entry.strip() for entry in env("NOTIFICATION_WEBHOOK_ALLOWLIST", "").split(",")
                                        if entry.strip()),
                webhook_timeout=env_int("NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS", 5),
                complainant_key=load_messaging_key())
            cls.smtp = smtp
        return cls


def count_outcome(channel, outcome):
    NOTIFICATIONS.labels(SERVICE, channel, outcome).inc()


def count_complainant(kind, outcome):
    COMPLAINANT_MESSAGES.labels(SERVICE, kind, outcome).inc()


def complainant_queued(case_ref, kind):
    """Log a status message to the person queued (the reference and kind only, never the address)."""
    if kind is not None:
        log.info("complainant.message_queued", case_ref=case_ref, kind=kind)


# -- event handlers: handler(session, event, settings) (libs/kit/consuming.py) ----------------------------------
def on_referral_planned(session, event, settings):
    data = event.data
    # the registry is read only for a case that asked for mediation (most plans do not need it)
    mediators = registry.all_mediators(session) if data["wants_mediation"] else ()
    match = assignment.on_referral_planned(session, data, mediators, policy=settings.policy)
    if match is not None and match.mediator is None:
        UNMATCHED.inc()
        log.warning("mediation.unmatched", case_ref=data["case_ref"], reason=match.reason)
    elif match is not None:
        log.info("mediation.assigned", case_ref=data["case_ref"], mediator_id=match.mediator.id, why=match.reason)
    complainant_queued(data["case_ref"], complainant_messages.on_plan(session, data))


def on_referral_clock(session, event, _settings):
    data = event.data
    by_id = {m.id: m for m in registry.all_mediators(session)}
    told = assignment.on_referral_clock(session, event.type, data, by_id)
    log.info("mediation.clock_message", case_ref=data["case_ref"], kind=event.type, mediator_id=told)
    complainant_queued(data["case_ref"], complainant_messages.on_clock(session, event.type, data))


def on_messages_requested(session, event, _settings):
    data = event.data
    result, queued = complainant_messages.record_request(session, data)
    COMPLAINANT_REQUESTS.labels(SERVICE, data["channel"], result).inc()
    log.info("complainant.messages_requested", case_ref=data["case_ref"], channel=data["channel"], result=result)
    complainant_queued(data["case_ref"], queued)


def on_messages_stopped(session, event, _settings):
    dropped = complainant_messages.stop(session, event.data["case_ref"])
    COMPLAINANT_STOPS.inc()
    log.info("complainant.messages_stopped", case_ref=event.data["case_ref"], unsent_dropped=dropped)


def on_complaint_withdrawn(session, event, _settings):
    complainant_messages.erase(session, event.data["case_ref"])
    assignment.erase_case(session, event.data["case_ref"])


@consumes({
    "referral.planned": on_referral_planned,
    "referral.deadline_due": on_referral_clock,
    "referral.escalation_available": on_referral_clock,
    "complaint.messages_requested": on_messages_requested,
    "complaint.messages_stopped": on_messages_stopped,
    "complaint.withdrawn": on_complaint_withdrawn,
}, inbox=inbox, settings=Settings.ensure)
class NotificationService:
    name = SERVICE
    db = Database(SERVICE, metadata)
    ops = Ops(SERVICE)

    @http("GET,POST", "/mediator/links/<string:token>")
    def mediator_link(self, request, token):
        settings = Settings.ensure()
        response, action, result = web.handle_link(request, token, self.db, settings.link_secret,
                                                    settings.policy, sla.now())
        REACTIONS.labels(SERVICE, action or "none", result).inc()
        log.info("mediator.link", method=request.method, action=action, result=result)
        return response

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
            sender.send_due(session, by_id, settings.channels, count_outcome, count_complainant=count_complainant)
            PENDING.set(session.execute(select(func.count()).select_from(deliveries)
                                        .where(deliveries.c.status == "pending")).scalar())
            MEDIATIONS_OPEN.set(session.execute(select(func.count()).select_from(assignments)
                                                .where(assignments.c.status.in_(assignment.OPEN_STATUSES))).scalar())

    @timer(interval=SLA_CHECK_SECONDS)
    def check_reaction_sla(self):
        """No reaction in time: remind, then reassign, then the coordinator (escalation.py decides)."""
        with self.db() as session:
            done = sla.check_open_assignments(session, Settings.ensure().policy, sla.now())
        for kind, count in done.items():
            ESCALATIONS.labels(SERVICE, kind).inc(count)
            log.info("mediation.sla", kind=kind, count=count)


def config():
    Settings.ensure()
    return nameko_config(SERVICE, WEB_SERVER_ADDRESS=env("NOTIFICATION_WEB_ADDRESS", "127.0.0.1:8003"))
