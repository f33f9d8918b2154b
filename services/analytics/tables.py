"""The de-identified fact store: analytics' SQLAlchemy tables, with its inbox.

One row per case in `analytics_case_facts`, keyed by a keyed pseudonym (domain/pseudonyms.py), holding only the
month and quarter of receipt, the province, closed-list categories, flags and durations in whole days. No free
text, no case references, no receipts, no exact dates: every string column is an enum with a CHECK constraint or
a short code checked against the directory-code pattern (domain/codes.py); tests/unit/analytics/
test_analytics_schema.py enforces this.

`analytics_case_clocks` is the one table with dates: the working memory needed to turn a later event into a
duration (received on X, answered on Y → Y − X days). It holds no categories, is deleted with the case on
withdrawal and is emptied by use_cases/retention.py once a case has been quiet for the retention period.

Analytics emits no events; its outbox table is here only because an outbox relay runs for every service (it reads
the table, which stays empty) and the table belongs to analytics' schema and migrations like the rest.
"""
from sqlalchemy import (
    Boolean, CheckConstraint, Column, Date, DateTime, Enum, ForeignKey, Index, Integer, MetaData, SmallInteger,
    String, Table,
)

from libs.contracts.events import CAPACITIES, INSTITUTION_TYPES, ISSUES, MEDIATION_OUTCOMES, REPORTER_ROLES
from libs.kit.db import inbox_table, outbox_table
from libs.reference.municipalities import PROVINCES
from services.analytics.domain.codes import CODE_LENGTH
from services.analytics.domain.facts import CLOCK_FIELDS, MEDIATION_STATES, STAGES
from services.analytics.domain.pseudonyms import PSEUDONYM_LENGTH
from services.analytics.domain.render import FORMATS as RELEASE_FORMATS

metadata = MetaData()


def _enum(name: str, values) -> Enum:
    # native_enum=False: a VARCHAR with a CHECK constraint, the same on SQLite and PostgreSQL
    return Enum(*values, name=name, native_enum=False, create_constraint=True, validate_strings=True)


def _pseudonym_column(*args, **kwargs) -> Column:
    return Column("pseudonym", String(PSEUDONYM_LENGTH), *args, **kwargs)


def _month_column(name: str) -> Column:
    return Column(name, String(7), CheckConstraint(f"{name} LIKE '____-__'", name=f"ck_analytics_{name}"))


case_facts_table = Table(
    "analytics_case_facts", metadata,
    _pseudonym_column(primary_key=True),
    Column("received", Boolean, nullable=False),  # complaint.received seen (only such cases are reported)
    _month_column("month"),
    Column("quarter", String(7), CheckConstraint("quarter LIKE '____-Q_'", name="ck_analytics_quarter")),
    Column("province", _enum("analytics_province", PROVINCES)),
    Column("institution_type", _enum("analytics_institution_type", INSTITUTION_TYPES)),
    Column("issue", _enum("analytics_issue", ISSUES)),
    Column("reporter_role", _enum("analytics_reporter_role", REPORTER_ROLES)),
    Column("capacity", _enum("analytics_capacity", CAPACITIES)),
    Column("had_prior_complaint", Boolean),
    Column("signal", Boolean, nullable=False),
    Column("wants_mediation", Boolean, nullable=False),
    Column("plan_count", SmallInteger, nullable=False),
    _month_column("first_plan_month"),
    Column("deadline_due_count", SmallInteger, nullable=False),
    Column("stage", _enum("analytics_stage", STAGES), nullable=False),
    Column("answered_within_term", Boolean),
    Column("mediation", _enum("analytics_mediation", MEDIATION_STATES), nullable=False),
    Column("mediation_unmatched", Boolean, nullable=False),
    Column("mediation_outcome", _enum("analytics_mediation_outcome", MEDIATION_OUTCOMES)),
    Column("satisfaction", SmallInteger, CheckConstraint("satisfaction BETWEEN 1 AND 5", name="ck_analytics_sat")),
    Column("days_to_referral", Integer),
    Column("days_to_institution_answer", Integer),
    Column("days_to_mediator", Integer),
    Column("days_to_outcome", Integer),
    Index("ix_analytics_case_facts_month", "month"),
    Index("ix_analytics_case_facts_first_plan_month", "first_plan_month"),
)

case_clocks_table = Table(
    "analytics_case_clocks", metadata,
    _pseudonym_column(ForeignKey("analytics_case_facts.pseudonym", ondelete="CASCADE"), primary_key=True),
    *[Column(name, Date) for name in CLOCK_FIELDS],
    Index("ix_analytics_case_clocks_last_event_on", "last_event_on"),
)

plan_steps_table = Table(
    "analytics_plan_steps", metadata,
    _pseudonym_column(ForeignKey("analytics_case_facts.pseudonym", ondelete="CASCADE"), primary_key=True),
    Column("position", SmallInteger, primary_key=True),
    Column("channel_id", String(CODE_LENGTH), nullable=False),
    Column("kind", String(CODE_LENGTH), nullable=False),
    Column("status", String(CODE_LENGTH), nullable=False),
)

# Withdrawn cases: the pseudonym only, so a late event for a withdrawn case cannot bring its facts back.
erased_cases_table = Table(
    "analytics_erased_cases", metadata,
    _pseudonym_column(primary_key=True),
)

# What was published when: no data, only the release's coordinates and checksum.
release_log_table = Table(
    "analytics_release_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("released_at", DateTime(timezone=True), nullable=False),
    _month_column("period_from"),
    _month_column("period_to"),
    Column("format", _enum("analytics_release_format", RELEASE_FORMATS), nullable=False),
    Column("threshold", SmallInteger, nullable=False),
    Column("sha256", String(64), CheckConstraint("length(sha256) = 64", name="ck_analytics_sha256"), nullable=False),
    Column("size_bytes", Integer, nullable=False),
)

# The fact store's own tables; the inbox below holds event ids and handler names only.
FACT_STORE_TABLES = (case_facts_table, case_clocks_table, plan_steps_table, erased_cases_table, release_log_table)
CODE_COLUMNS = {("analytics_plan_steps", name) for name in ("channel_id", "kind", "status")}

inbox = inbox_table(metadata, "analytics")
outbox = outbox_table(metadata, "analytics")  # read by analytics' relay; nothing writes to it
