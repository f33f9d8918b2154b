"""The routing service: nameko adapter. Events in → use_cases/referrals.py; the clock timer → use_cases/clocks.py."""
import eventlet
import pika
from eventlet.event import Event
from nameko.extensions import DependencyProvider, Entrypoint
from nameko.timer import timer
from sqlalchemy.exc import InterfaceError, OperationalError

from libs.kit import topology
from libs.kit.amqp_tls import pika_parameters
from libs.kit.config import nameko_config
from libs.kit.consuming import consumes
from libs.kit.dependencies import Database, Ops
from libs.kit.logs import get_logger
from libs.kit.plain_queue import PlainQueue
from services.routing import metrics, settings
from services.routing.settings import SERVICE
from services.routing.tables import inbox, metadata
from services.routing.use_cases import clocks, partner_updates, referrals

log = get_logger()


class PartnerQueues(DependencyProvider):
    """Local runs (DECLARE_PARTNER_QUEUES): each registered partner's queue exists before a referral is published
    to it. In production the broker definitions declare them, with a user per partner."""

    def setup(self):
        current = settings.load()
        if current.declare_partner_queues:
            connection = pika.BlockingConnection(pika_parameters(self.container.config["AMQP_URI"]))
            try:
                topology.declare_partner_queues(connection.channel(), [p.partner_id for p in current.partners])
                topology.declare_signal_record(connection.channel())  # analytics' announcements (signals.*)
            finally:
                connection.close()


class PartnerUpdates(Entrypoint):
    """Partners' status updates (`routing.partner-updates`): CloudEvents from outside, so not a `consumes` entry.
    A pika loop (libs/kit/plain_queue.py) hands each message to a worker of the decorated method and acks it once
    the worker returned True."""

    def setup(self):
        self.queue = PlainQueue(self.container.config["AMQP_URI"], topology.PARTNER_UPDATES_QUEUE,
                                topology.declare_partner_updates, self.handle)
        self.queue.declare()

    def start(self):
        self.container.spawn_managed_thread(self.queue.run, identifier="partner_updates")

    def stop(self):
        self.queue.stopping = True

    def kill(self):
        self.queue.stopping = True

    def handle(self, body, user_id):
        done = Event()

        def handle_result(_worker_ctx, result, exc_info):
            done.send((result, exc_info))
            return result, exc_info
        self.container.spawn_worker(self, (body, user_id), {}, handle_result=handle_result)
        result, exc_info = done.wait()
        return exc_info is None and result is True


partner_update = PartnerUpdates.decorator


@consumes({
    "complaint.received": referrals.on_complaint_received,
    "complaint.progress_reported": referrals.on_progress_reported,
    "complaint.withdrawn": referrals.on_complaint_withdrawn,
}, inbox=inbox, settings=settings.load)
class RoutingService:
    name = SERVICE
    db = Database(SERVICE, metadata)
    ops = Ops(SERVICE)
    partner_queues = PartnerQueues()

    @partner_update
    def on_partner_status_update(self, body, user_id):
        """True once the update is settled (applied, duplicate or refused); False holds it for a retry."""
        try:
            result, partner = partner_updates.settle_update(self.db, body, user_id, settings.load())
        except (OperationalError, InterfaceError) as exc:
            log.warning("partner_update.retry_database_unavailable", error=type(exc).__name__)
            return False
        partner = partner or "unknown"
        if result in (partner_updates.APPLIED, partner_updates.DUPLICATE):
            metrics.PARTNER_UPDATES.labels(SERVICE, partner, result).inc()
            log.info("partner_update." + result, partner=partner)
        else:
            metrics.PARTNER_UPDATES.labels(SERVICE, partner, "refused").inc()
            metrics.PARTNER_UPDATES_REFUSED.labels(SERVICE, partner, result).inc()
            log.warning("partner_update.refused", partner=partner, reason=result)  # never the subject or body
        return True

    @timer(interval=60)
    def check_clocks(self):
        with self.db() as session:
            # between batches other greenthreads (events, the partner updates) get their turn
            fired, overdue = clocks.fire_due_clocks(session, settings.Settings.today(), pause=lambda: eventlet.sleep(0))
        metrics.CLOCKS_BREACHED.set(overdue)
        for kind, count in fired.items():
            metrics.CLOCKS_DUE.labels(SERVICE, kind).inc(count)
            log.info("clocks.fired", kind=kind, count=count)


def config():
    settings.load()  # fail at start, not on the first event, when the partners file or a secret is malformed
    return nameko_config(SERVICE)
