"""The floor's tables and names. One database; a role per process (floor_intake, floor_consumer, floor_relay)
so that pg_stat_statements attributes each statement to the process that sent it."""
import os

from sqlalchemy import BigInteger, Column, DateTime, MetaData, String, Table, Text, create_engine

INTAKE, CONSUMER = "floor_intake", "floor_consumer"
EVENT_EXCHANGE = f"{INTAKE}.events"  # nameko's event exchange of the floor_intake service
EVENT_TYPE = "complaint.received"
PARTNER_EXCHANGE = "floor.referrals"
PARTNER_QUEUE = "floor.partner.kifid"
PARTNER_ROUTING_KEY = "referral.kifid.created"
QUORUM = {"x-queue-type": "quorum", "x-delivery-limit": 20}  # as the platform's handler and partner queues

metadata = MetaData()


def _outbox(name):
    return Table(name, metadata,
                 Column("id", BigInteger, primary_key=True, autoincrement=True),
                 Column("exchange", String(128), nullable=False),
                 Column("routing_key", String(255), nullable=False),
                 Column("body", Text, nullable=False))


complaints = Table("floor_complaints", metadata,
                   Column("reference", String(16), primary_key=True),
                   Column("body", Text, nullable=False),
                   Column("received_at", DateTime(timezone=True), nullable=False))
intake_outbox = _outbox("floor_intake_outbox")
inbox = Table("floor_consumer_inbox", metadata,
              Column("event_id", String(64), primary_key=True),
              Column("processed_at", DateTime(timezone=True), nullable=False))
effects = Table("floor_consumer_effects", metadata,
                Column("reference", String(16), primary_key=True),
                Column("received_at", DateTime(timezone=True), nullable=False))
consumer_outbox = _outbox("floor_consumer_outbox")

# -- the same-topology floor (information): the floor's guarantees with the platform's events per complaint -------
ROUTING = "floor_routing"
SEALED_TYPE, PLANNED_TYPE = "complaint.sealed", "referral.planned"
PLANNED_EXCHANGE = f"{ROUTING}.events"
# each bare service → the events it consumes per complaint, as the platform's service of the same name does:
# routing and analytics hear complaint.received, casework complaint.sealed, and intake, notification, analytics
# and casework referral.planned (seven consumed events; intake relays two rows, routing two)
TOPOLOGY = {
    ROUTING: ((INTAKE, EVENT_TYPE),),
    "floor_analytics": ((INTAKE, EVENT_TYPE), (ROUTING, PLANNED_TYPE)),
    "floor_casework": ((INTAKE, SEALED_TYPE), (ROUTING, PLANNED_TYPE)),
    "floor_notification": ((ROUTING, PLANNED_TYPE),),
    INTAKE: ((ROUTING, PLANNED_TYPE),),
}


def _effects(service):
    return Table(f"{service}_effects", metadata,
                 Column("id", BigInteger, primary_key=True, autoincrement=True),
                 Column("reference", String(16), nullable=False),
                 Column("event_type", String(64), nullable=False),
                 Column("received_at", DateTime(timezone=True), nullable=False))


def _inbox(service):
    return Table(f"{service}_inbox", metadata,
                 Column("event_id", String(64), primary_key=True),
                 Column("processed_at", DateTime(timezone=True), nullable=False))


shaped_inbox = {service: _inbox(service) for service in TOPOLOGY}
shaped_effects = {service: _effects(service) for service in TOPOLOGY}
routing_outbox = _outbox(f"{ROUTING}_outbox")


def shaped():
    """FLOOR_TOPOLOGY=platform: the same-topology floor; unset: the floor of issue 21 (one consumer)."""
    return os.environ.get("FLOOR_TOPOLOGY") == "platform"


def engine(url=None):
    """psycopg 3, a pool like the platform's, no pre-ping (the floor of the guarantees, not of the robustness)."""
    url = url or os.environ["FLOOR_DATABASE_URL"]
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), pool_size=10, max_overflow=5,
                         hide_parameters=True)


def wake_channel(outbox):
    return f"wake_{outbox.name}"
