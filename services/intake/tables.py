"""Intake's own tables. Content is sealed for the desk and sent to casework (domain/case_file.py); intake keeps only
each case's public key and its receipt-wrapped private key (for the conversation). Complaints filed before the desk's
workspace existed keep their sealed content here (domain/sealing.py, read with `voorportaal-case show`). Receipts
are stored only as keyed hashes (domain/receipts.py)."""
from sqlalchemy import (
    JSON, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text,
)

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
    Column("sealed_content", Text, nullable=True),  # complaints filed before casework existed only: sealed content
    Column("wrapped_keys", JSON(none_as_null=True), nullable=True),  # erased = SQL NULL, not JSON null
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
)

# Erased cases (withdrawn, or expired by retention): a tombstone that holds nothing about the person. The complaint's
# row is deleted; this keeps only what is needed to answer "erased" and to stop a replay: a keyed hash of the
# reference (domain/receipts.reference_tombstone_hash), why, and the day.
erased_cases = Table(
    "intake_erased_cases", metadata,
    Column("reference_hash", String(64), primary_key=True),
    Column("status", String(24), nullable=False),  # withdrawn, expired
    Column("erased_on", Date, nullable=False),
)

idempotency_keys = Table(
    "intake_idempotency_keys", metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("request_fingerprint", String(64), nullable=False),  # keyed (HMAC), never a plain hash of the text
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

# what each partner said about the referral it holds (routing's referral.partner_status_changed): the latest status
# per partner, codes only; erased with the case
partner_status = Table(
    "intake_partner_status", metadata,
    Column("reference", String(16), primary_key=True),
    Column("partner_id", String(64), primary_key=True),
    Column("status", String(24), nullable=False),
    Column("outcome", String(24), nullable=True),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

# each case's key pair (libs/contracts/sealing.py): the public key seals what the person adds later; the private key
# is kept only wrapped for a key derived from the person's receipt, so intake opens it only during their request
case_keys = Table(
    "intake_case_keys", metadata,
    Column("reference", String(16), primary_key=True),
    Column("case_public_key", String(44), nullable=False),
    Column("receipt_wrap", String(256), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# the key directory casework publishes (staff.key_directory_published): every new case is sealed for its keys
key_directory = Table(
    "intake_key_directory", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("entries", JSON, nullable=False),  # [{key_id, public_key, purpose}]
    Column("received_at", DateTime(timezone=True), nullable=False),
)

# the conversation between the person and the desk: every message sealed to the case's public key (the person's
# on arrival, the desk's as casework sealed it), opened only during the person's request with their receipt
messages = Table(
    "intake_messages", metadata,
    Column("message_id", String(32), primary_key=True),
    Column("reference", String(16), nullable=False),
    Column("author", String(8), nullable=False),  # person, desk
    Column("sealed", Text, nullable=False),
    Column("request_due", Date, nullable=True),  # the desk asked for something by this date
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),  # read by the other side
    Index("ix_intake_messages_reference", "reference", "sent_at"),
)

attachments = Table(
    "intake_attachments", metadata,
    Column("attachment_id", String(32), primary_key=True),
    Column("message_id", String(32), ForeignKey("intake_messages.message_id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("reference", String(16), nullable=False, index=True),
    Column("content_type", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sealed", LargeBinary, nullable=False),  # libs/contracts/attachments.py: its key is in the message
)

# "did it help?" / "is it solved?": each time the person is asked (a case closed, an answer was due) and whether
# they answered. Categories and dates only; the answers themselves travel on as events (use_cases/feedback.py)
feedback_requests = Table(
    "intake_feedback_requests", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(16), nullable=False, index=True),
    Column("about", String(12), nullable=False),  # closure, answer_due
    Column("trigger", String(24), nullable=False),  # closed_by_desk, mediation_outcome, plan_ended, answer_due
    Column("channel_id", String(64), nullable=True),  # the plan step whose answer was due (answer_due only)
    Column("asked_on", Date, nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=True),
    Column("cancelled_on", Date, nullable=True),  # the case was reopened before the person answered
)

outbox = outbox_table(metadata, "intake")
inbox = inbox_table(metadata, "intake")
