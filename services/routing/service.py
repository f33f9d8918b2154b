"""The routing service: nameko adapter. Events in → use_cases/referrals.py; the clock timer → use_cases/clocks.py."""
import pika
from nameko.extensions import DependencyProvider
from nameko.timer import timer

from libs.kit import topology
from libs.kit.amqp_tls import pika_parameters
from libs.kit.config import nameko_config
from libs.kit.consuming import consumes
from libs.kit.dependencies import Database, Ops
from libs.kit.logs import get_logger
from services.routing import metrics, settings
from services.routing.settings import SERVICE
from services.routing.tables import inbox, metadata
from services.routing.use_cases import clocks, referrals

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

    @timer(interval=60)
    def check_clocks(self):
        with self.db() as session:
            fired, overdue = clocks.fire_due_clocks(session, settings.Settings.today())
        metrics.CLOCKS_BREACHED.set(overdue)
        for kind, count in fired.items():
            metrics.CLOCKS_DUE.labels(SERVICE, kind).inc(count)
            log.info("clocks.fired", kind=kind, count=count)


def config():
    settings.load()  # fail at start, not on the first event, when the partners file or a secret is malformed
    return nameko_config(SERVICE)
