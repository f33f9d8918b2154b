"""Intake's own tables. Content is sealed (domain/sealing.py); receipts are stored only as keyed hashes
(domain/receipts.py)."""
from sqlalchemy import JSON, Boolean, Column, Date, DateTime, MetaData, String, Table, Text

from libs.kit.db import inbox_table, outbox_table

metadata = MetaData()

complaints = Table(
    "intake_complaints", metadata,
    Column("reference", String(16), primary_key=True),
    Column("receipt_hash", String(64), nullable=True),  # NULL once erased: the receipt then opens nothing
    Column("status", String(24), nullable=False),  # received, planned, withdrawn, expired
    Column("institution_type", String(32), nullable=False),
    Column("issue", String(32), nullable=False),
    Column("municipality", String(6), nullable=True),
    Column("language", String(2), nullable=False),
    Column("reporter_role", String(16), nullable=False),
    Column("wants_mediation", Boolean, nullable=False),
    Column("consent", JSON, nullable=False),  # {referral, share_description, contact, wording_version, given_at}
    Column("sealed_content", Text, nullable=True),  # description + contact + institution name, encrypted
    Column("wrapped_keys", JSON(none_as_null=True), nullable=True),  # erased = SQL NULL, not JSON null
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
)

idempotency_keys = Table(
    "intake_idempotency_keys", metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("request_fingerprint", String(64), nullable=False),
    Column("reference", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# intake's read model of what other services did, fed by their events (no synchronous calls on requests)
case_status = Table(
    "intake_case_status", metadata,
    Column("reference", String(16), primary_key=True),
    Column("plan", JSON, nullable=True),
    Column("directory_version", String(32), nullable=True),
    Column("mediator_assigned_on", Date, nullable=True),
    Column("mediation_outcome", String(24), nullable=True),
    Column("progress", JSON, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

outbox = outbox_table(metadata, "intake")
inbox = inbox_table(metadata, "intake")
