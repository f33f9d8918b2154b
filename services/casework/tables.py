"""Casework's tables: staff accounts and sessions, the desk's view of each case and its sealed case file, grants, the
case history and the audit chain. Case content is only ever stored sealed (libs/contracts/sealing.py); the one plain
text is the coordinators' observations for the signal report, which are written for publication and name no case."""
from sqlalchemy import (
    JSON, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text,
    UniqueConstraint,
)

from libs.kit.db import inbox_table, outbox_table

metadata = MetaData()

accounts = Table(
    "casework_accounts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),  # the sign-in name; staff's work address
    Column("display_name", String(120), nullable=False),
    Column("role", String(20), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("mediator_id", String(64), nullable=True, unique=True),  # the registry id of a mediator account
    Column("password_hash", String(255), nullable=True),  # None until setup is done
    Column("public_key", String(44), nullable=True),  # base64 X25519
    Column("key_id", String(16), nullable=True, index=True),
    Column("sealed_private_key", Text, nullable=True),  # under the password (domain/staff_keys.py)
    Column("totp_secret_sealed", Text, nullable=True),  # under the server's CASEWORK_SECRET
    Column("totp_last_step", Integer, nullable=False, default=0),
    Column("second_factor_confirmed", Boolean, nullable=False, default=False),
    Column("recovery_code_hashes", JSON, nullable=False, default=list),
    Column("setup_code_hash", String(64), nullable=True),  # one-time code to set a password and second factor
    Column("setup_expires_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "casework_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("casework_accounts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("stage", String(16), nullable=False),  # "second_factor" (still due), "enrol" (set one up), "full"
    Column("sealed_private_key", Text, nullable=True),  # under the session token (domain/sessions.py)
    Column("csrf_secret", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
)

signin_failures = Table(
    "casework_signin_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_hash", String(32), nullable=False),  # keyed hash of the address: never the address
    Column("account_hash", String(32), nullable=False),  # keyed hash of the e-mail typed
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_casework_signin_failures_pair", "client_hash", "account_hash", "at"),
)

# the facts are empty until complaint.sealed arrives (a plan or clock event may come first: other queues)
cases = Table(
    "casework_cases", metadata,
    Column("case_ref", String(16), primary_key=True),
    Column("received_on", Date, nullable=True),
    Column("institution_type", String(32), nullable=True),
    Column("issue", String(40), nullable=True),
    Column("municipality", String(6), nullable=True),
    Column("province", String(20), nullable=True),
    Column("language", String(2), nullable=True),
    Column("reporter_role", String(20), nullable=True),
    Column("wants_mediation", Boolean, nullable=False),
    Column("has_contact", Boolean, nullable=False),
    Column("consent", JSON, nullable=False),  # with what was withdrawn and when
    Column("status", String(24), nullable=False, index=True),
    Column("closure_reason", String(24), nullable=True),
    Column("assigned_to", Integer, ForeignKey("casework_accounts.id"), nullable=True, index=True),
    Column("plan", JSON, nullable=True),  # steps of the latest referral.planned (categories and dates)
    Column("directory_version", String(32), nullable=True),
    Column("progress", JSON, nullable=False, default=list),
    Column("mediation", JSON, nullable=False, default=dict),  # mediator id, assigned on, outcome
    Column("next_due", Date, nullable=True, index=True),
    Column("case_public_key", String(44), nullable=True),  # None until complaint.sealed arrives
    Column("first_action_on", Date, nullable=True),
    Column("closed_on", Date, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_casework_cases_status_due", "status", "next_due"),
)

case_items = Table(
    "casework_case_items", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_ref", String(16), ForeignKey("casework_cases.case_ref", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("kind", String(24), nullable=False),  # description, contact, institution_name, note, message_in/out
    Column("sealed", Text, nullable=False),
    Column("author_id", Integer, ForeignKey("casework_accounts.id"), nullable=True),  # None: from the person
    Column("created_at", DateTime(timezone=True), nullable=False),
    # the conversation's messages: their id (shared with intake), when the other side read them, a request's date
    Column("message_id", String(32), nullable=True, unique=True),
    Column("read_at", DateTime(timezone=True), nullable=True),
    Column("request_due", Date, nullable=True),
)

# the conversation's files, sealed (libs/contracts/attachments.py); each file's key is inside its sealed message
attachments = Table(
    "casework_attachments", metadata,
    Column("attachment_id", String(32), primary_key=True),
    Column("case_ref", String(16), ForeignKey("casework_cases.case_ref", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("message_id", String(32), nullable=False, index=True),
    Column("content_type", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
)

key_wraps = Table(
    "casework_key_wraps", metadata,
    Column("case_ref", String(16), ForeignKey("casework_cases.case_ref", ondelete="CASCADE"), primary_key=True),
    Column("key_id", String(16), primary_key=True),
    Column("wrapped", String(256), nullable=False),
    Column("purpose", String(16), nullable=False),  # case_reader, recovery, mediator
    Column("created_at", DateTime(timezone=True), nullable=False),
)

grants = Table(
    "casework_grants", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_ref", String(16), ForeignKey("casework_cases.case_ref", ondelete="CASCADE"), nullable=False),
    Column("account_id", Integer, ForeignKey("casework_accounts.id"), nullable=False),
    Column("granted_by", Integer, ForeignKey("casework_accounts.id"), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Index("ix_casework_grants_account", "account_id", "revoked_at"),
)

history = Table(
    "casework_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_ref", String(16), ForeignKey("casework_cases.case_ref", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", Integer, ForeignKey("casework_accounts.id"), nullable=True),  # None: the system, an event
    Column("action", String(40), nullable=False),
    Column("detail", JSON, nullable=False, default=dict),  # categories, statuses, ids: never content
)

# erased cases (withdrawal, retention): a late or replayed event about them is ignored, never brings them back
erased_cases = Table(
    "casework_erased_cases", metadata,
    Column("case_ref", String(16), primary_key=True),
    Column("erased_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    "casework_audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(32), nullable=False),
    Column("action", String(40), nullable=False),
    Column("case_ref", String(16), nullable=True),  # not a foreign key: the log outlives an erased case
    Column("detail", JSON, nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)

key_directory = Table(
    "casework_key_directory", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("entries", JSON, nullable=False),  # [{key_id, public_key, purpose}]
    Column("published_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("version", name="uq_casework_key_directory_version"),
)

# The coordinators' observations for the signal report (one per sector and quarter, the latest kept): written for
# publication, sent to analytics as `signal.observation_written`; no link to any case.
signal_observations = Table(
    "casework_signal_observations", metadata,
    Column("sector", String(32), primary_key=True),
    Column("quarter", String(7), primary_key=True),
    Column("observation", Text, nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=False),
    Column("written_by", String(32), nullable=False),
)

outbox = outbox_table(metadata, "casework")
inbox = inbox_table(metadata, "casework")
