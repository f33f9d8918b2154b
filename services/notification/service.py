"""The notification service: nameko adapter. Events in → use_cases/event_handlers.py; the sender timer →
use_cases/sender.py; the SLA timer → use_cases/sla.py; the mediator's signed links (notification's own HTTP
address) → web/links.py; the registry seed on start → use_cases/registry.py."""
from nameko.timer import timer
from nameko.web.handlers import http

from libs.kit.config import env, nameko_config
from libs.kit.consuming import consumes
from libs.kit.dependencies import Database, Ops
from libs.kit.logs import get_logger
from services.notification import metrics, settings
from services.notification.settings import SERVICE, SLA_CHECK_SECONDS
from services.notification.tables import inbox, metadata
from services.notification.use_cases import assignment, deliveries, event_handlers, registry, sender, sla

GAUGES_SECONDS = 5  # pending deliveries and open mediations: dashboards and alerts look at minutes
from services.notification.web import links

log = get_logger()


@consumes({
    "referral.planned": event_handlers.on_referral_planned,
    "referral.deadline_due": event_handlers.on_referral_clock,
    "referral.escalation_available": event_handlers.on_referral_clock,
    "complaint.messages_requested": event_handlers.on_messages_requested,
    "complaint.messages_stopped": event_handlers.on_messages_stopped,
    "complaint.withdrawn": event_handlers.on_complaint_withdrawn,
    "conversation.desk_message_waiting": event_handlers.on_desk_message_waiting,
    "complaint.feedback_requested": event_handlers.on_feedback_requested,
}, inbox=inbox, settings=settings.load)
class NotificationService:
    name = SERVICE
    db = Database(SERVICE, metadata)
    ops = Ops(SERVICE)

    @http("GET,POST", "/mediator/links/<string:token>")
    def mediator_link(self, request, token):
        current = settings.load()
        response, action, result = links.handle_link(request, token, self.db, current.link_secret,
                                                      current.policy, settings.now())
        metrics.REACTIONS.labels(SERVICE, action or "none", result).inc()
        log.info("mediator.link", method=request.method, action=action, result=result)
        return response

    @timer(interval=24 * 3600, eager=True)
    def seed_mediator_registry(self):
        """Mediators in MEDIATORS_FILE (default: the demo registry; `none` to skip) that the registry does not
        know yet are added on start; mediators managed with `voorportaal-mediators` are left as they are."""
        seed_file = settings.load().seed_file
        if seed_file is None:
            return
        with self.db() as session:
            count = registry.seed_from_file(session, seed_file)
        log.info("mediators.seeded", count=count)

    @timer(interval=0.2)
    def send_due_deliveries(self):
        """Five times a second, and mostly nothing is due: one query then (the registry is read only once a message
        is due; the gauges have their own, slower timer)."""
        channels = settings.load().channels
        with self.db() as session:
            sender.send_due(session, lambda: {m.id: m for m in registry.all_mediators(session)}, channels,
                            metrics.count_outcome, count_complainant=metrics.count_complainant)

    @timer(interval=GAUGES_SECONDS)
    def refresh_gauges(self):
        with self.db() as session:
            metrics.PENDING.set(deliveries.pending_count(session))
            metrics.MEDIATIONS_OPEN.set(assignment.open_count(session))

    @timer(interval=SLA_CHECK_SECONDS)
    def check_reaction_sla(self):
        """No reaction in time: remind, then reassign, then the coordinator (domain/escalation.py decides)."""
        with self.db() as session:
            done = sla.check_open_assignments(session, settings.load().policy, settings.now())
        for kind, count in done.items():
            metrics.ESCALATIONS.labels(SERVICE, kind).inc(count)
            log.info("mediation.sla", kind=kind, count=count)


def config():
    settings.load()  # fail at start, not on the first event, when the registry file or a setting is malformed
    return nameko_config(SERVICE, WEB_SERVER_ADDRESS=env("NOTIFICATION_WEB_ADDRESS", "127.0.0.1:8003"))
