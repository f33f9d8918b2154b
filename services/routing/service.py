"""The routing service: nameko adapter over referrals.py."""
from datetime import date
from pathlib import Path

import yaml
from nameko.timer import timer
from prometheus_client import Counter, Gauge

from libs.kit.config import env, nameko_config
from libs.kit.dependencies import Database, Ops
from libs.kit.handlers import reliable_handler
from libs.kit.inbox import consume
from libs.kit.logs import get_logger
from libs.kit.secrets_store import load_secret
from services.routing import referrals
from services.routing.domain.partners import load_partners
from services.routing.models import inbox, metadata

log = get_logger()
SERVICE = "routing"
DEFAULT_PARTNERS_FILE = Path(__file__).parent / "data" / "partners.demo.yaml"

PLANS = Counter("voorportaal_referral_plans_total", "Referral plans stored", ["service"]).labels(SERVICE)
CLOCKS_DUE = Counter("voorportaal_referral_clocks_due_total", "Clock events emitted", ["service", "kind"])
CLOCKS_BREACHED = Gauge("voorportaal_referral_clocks_breached", "Open answer deadlines that have passed",
                        ["service"]).labels(SERVICE)
PARTNER_REFERRALS = Counter("voorportaal_partner_referrals_total", "Partner referrals queued for publication",
                            ["service", "partner", "action"])


class Settings:
    partners = None
    secret = None

    @classmethod
    def ensure(cls):
        if cls.partners is None:
            path = Path(env("PARTNERS_FILE", str(DEFAULT_PARTNERS_FILE)))
            cls.partners = load_partners(yaml.safe_load(path.read_text()))
            cls.secret = load_secret("PARTNER_SECRET")
        return cls


def today():
    """The routing clock's date; ROUTING_TODAY pins it for tests and demos."""
    pinned = env("ROUTING_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


class RoutingService:
    name = SERVICE
    db = Database(SERVICE, metadata)
    ops = Ops(SERVICE)

    def _handle(self, envelope, handler, apply):
        consume(SERVICE, self.db, inbox, handler, envelope, apply)

    @reliable_handler("intake", "complaint.received")
    def on_complaint_received(self, envelope):
        settings = Settings.ensure()

        def apply(session, _type, data, raw):
            _plan, sent = referrals.plan_complaint(session, data, raw["data"], settings.partners,
                                                   settings.secret, today())
            PLANS.inc()
            for partner, action in sent:
                PARTNER_REFERRALS.labels(SERVICE, partner, action).inc()
            log.info("referral.planned", case_ref=data["case_ref"], partner_referrals=len(sent))
        self._handle(envelope, "on_complaint_received", apply)

    @reliable_handler("intake", "complaint.progress_reported")
    def on_progress_reported(self, envelope):
        settings = Settings.ensure()

        def apply(session, _type, data, _raw):
            referrals.replan_on_progress(session, data, settings.partners, settings.secret, today())
        self._handle(envelope, "on_progress_reported", apply)

    @reliable_handler("intake", "complaint.withdrawn")
    def on_complaint_withdrawn(self, envelope):
        self._handle(envelope, "on_complaint_withdrawn",
                     lambda session, _type, data, _raw: referrals.withdraw_case(session, data["case_ref"]))


    @timer(interval=60)
    def check_clocks(self):
        with self.db() as session:
            fired, overdue = referrals.fire_due_clocks(session, today())
        CLOCKS_BREACHED.set(overdue)
        for kind, count in fired.items():
            CLOCKS_DUE.labels(SERVICE, kind).inc(count)
            log.info("clocks.fired", kind=kind, count=count)


def config():
    Settings.ensure()
    return nameko_config(SERVICE)
