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


def engine(url=None):
    """psycopg 3, a pool like the platform's, no pre-ping (the floor of the guarantees, not of the robustness)."""
    url = url or os.environ["FLOOR_DATABASE_URL"]
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), pool_size=10, max_overflow=5,
                         hide_parameters=True)


def wake_channel(outbox):
    return f"wake_{outbox.name}"
