"""Notification's own tables: the mediator registry, mediator assignments, the delivery queue (an outbox for
e-mail and webhooks), the person's sealed contact for status messages, and the inbox and outbox."""
from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Index, Integer, MetaData, String, Table, Text

from libs.kit.db import inbox_table, outbox_table

metadata = MetaData()

# The mediator registry, managed with `voorportaal-mediators` (seeded from MEDIATORS_FILE on start).
mediators = Table(
    "notification_mediators", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("languages", JSON, nullable=False),
    Column("provinces", JSON, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("conflicts", JSON, nullable=False),
    # optional: messages go to this allow-listed URL as signed webhooks instead of e-mail
    Column("webhook_url", String(500), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

assignments = Table(
    "notification_assignments", metadata,
    Column("case_ref", String(16), primary_key=True),
    Column("mediator_id", String(64), nullable=False),
    # requested, accepted, declined, closed; coordinator = handed to the desk's coordinator (domain/escalation.py)
    Column("status", String(16), nullable=False),
    Column("institution_type", String(32), nullable=False),
    Column("assigned_on", Date, nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    # what a reassignment needs to match again and to write the next request: categories and a date only
    Column("issue", String(32), nullable=True),
    Column("language", String(2), nullable=True),
    Column("municipality", String(6), nullable=True),
    Column("answer_due", Date, nullable=True),
    # the SLA's state (domain/escalation.py): reminders to the current mediator, reassignments so far, who had it
    # before
    Column("reminders_sent", Integer, nullable=False, default=0, server_default="0"),
    Column("reassignments", Integer, nullable=False, default=0, server_default="0"),
    Column("previous_mediators", JSON, nullable=False, default=list),
    Column("reacted_at", DateTime(timezone=True), nullable=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    # the open-assignment count (5 Hz gauge), each mediator's load and the SLA check select by status, the SLA check
    # oldest first: without it each was a scan of every assignment ever made (docs/bench.md, growth table)
    Index("ix_notification_assignments_status", "status", "assigned_at"),
)

# One row per message to send. The primary key is the idempotency key, so a redelivered event or a restart
# can never queue the same message twice; the sender marks rows sent only after the SMTP server accepted them.
deliveries = Table(
    "notification_deliveries", metadata,
    Column("idempotency_key", String(128), primary_key=True),
    Column("case_ref", String(16), nullable=False),
    Column("channel", String(16), nullable=False),  # email, webhook
    Column("recipient_id", String(64), nullable=False),  # a mediator id; the address is looked up when sending
    Column("template", String(32), nullable=False),
    Column("context", String(512), nullable=False),  # JSON of categories, dates and the reference only
    Column("status", String(16), nullable=False),  # pending, sent, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", String(64), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Index("ix_notification_deliveries_due", "status", "next_attempt_at"),
)

# Status messages to the person who filed (use_cases/complainant_messages.py). A row exists once the person asked
# for messages (complaint.messages_requested) or a plan arrived first; the address is sealed to notification's
# messaging key and opened only in memory when a message is sent. Erased on complaint.withdrawn.
complainants = Table(
    "notification_complainants", metadata,
    Column("case_ref", String(16), primary_key=True),
    Column("channel", String(8), nullable=True),  # email, phone (recorded, not sent: no SMS channel); null = unknown
    Column("language", String(2), nullable=True),
    Column("sealed_address", Text, nullable=True),  # base64 sealed box; never plaintext
    Column("key_id", String(16), nullable=True),
    # channel ids of the plan's steps open now (categories such as `kifid`), so only a *new* step is told
    Column("open_steps", JSON, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# People who stopped status messages (complaint.messages_stopped) and withdrawn cases: a
# `complaint.messages_requested` that arrives later is ignored. It travels on its own queue, so when notification
# was down while the person filed and then stopped (or withdrew), it can come after the stop and would otherwise
# bring the sealed address back. A reference and a date only; never an address.
messages_closed = Table(
    "notification_messages_closed", metadata,
    Column("case_ref", String(16), primary_key=True),
    Column("reason", String(16), nullable=False),  # stopped, withdrawn
    Column("closed_at", DateTime(timezone=True), nullable=False),
)

# Status messages sent per address in the last day (domain/address_cap.py): a keyed hash of the address (key
# derived from the messaging key) and the time, pruned after a day. No reference, never an address.
address_sends = Table(
    "notification_address_sends", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("address_hash", String(64), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Index("ix_notification_address_sends", "address_hash", "sent_at"),
)

outbox = outbox_table(metadata, "notification")
inbox = inbox_table(metadata, "notification")
