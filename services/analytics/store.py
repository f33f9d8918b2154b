"""The de-identified fact store: SQLAlchemy tables and the event → fact update.

One row per case in `analytics_case_facts`, keyed by a keyed pseudonym (pseudonyms.py), holding only the month
and quarter of receipt, the province, closed-list categories, flags and durations in whole days. No free text,
no case references, no receipts, no exact dates: every string column is an enum with a CHECK constraint or a
short code checked against CODE_PATTERN (tests/analytics/test_analytics_schema.py enforces this).

`analytics_case_clocks` is the one table with dates: the working memory needed to turn a later event into a
duration (received on X, answered on Y → Y − X days). It holds no categories, is deleted with the case on
withdrawal and is emptied by `purge_clocks` once a case has been quiet for the retention period.
"""
import re
from datetime import date, datetime

from sqlalchemy import (
    Boolean, CheckConstraint, Column, Date, DateTime, Enum, ForeignKey, Index, Integer, MetaData, SmallInteger,
    String, Table, bindparam, delete, func, select,
)
from sqlalchemy.orm import Session

from libs.kit.db import lock_until_commit
from libs.contracts.events import (
    CAPACITIES, CATALOGUE, INSTITUTION_TYPES, ISSUES, MEDIATION_OUTCOMES, REPORTER_ROLES,
)
from services.analytics import facts as case_facts
from services.analytics.pseudonyms import PSEUDONYM_LENGTH, pseudonym
from libs.reference.municipalities import PROVINCES

metadata = MetaData()

# Channel ids, step kinds and step statuses come from routing's directory: short lowercase codes.
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,47}$")
CODE_LENGTH = 48
UNRECOGNISED_CODE = "unrecognised"
RELEASE_FORMATS = ("html", "csv", "json")


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
    Column("stage", _enum("analytics_stage", case_facts.STAGES), nullable=False),
    Column("answered_within_term", Boolean),
    Column("mediation", _enum("analytics_mediation", case_facts.MEDIATION_STATES), nullable=False),
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
    *[Column(name, Date) for name in case_facts.CLOCK_FIELDS],
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

# The tables this module owns (the adapter adds its inbox/outbox to the same metadata).
FACT_STORE_TABLES = (case_facts_table, case_clocks_table, plan_steps_table, erased_cases_table, release_log_table)
CODE_COLUMNS = {("analytics_plan_steps", name) for name in ("channel_id", "kind", "status")}


def _code(value: str) -> str:
    """A directory code as is; anything that does not look like one is not stored (it might be text)."""
    return value if isinstance(value, str) and CODE_PATTERN.match(value) else UNRECOGNISED_CODE


# Statements built once with bound parameters: SQLAlchemy then reuses the compiled form for every event
# (building `.values(**row)` per event costs more than the database work).
_KEY = bindparam("key")
_SELECT_FACTS = select(case_facts_table).where(case_facts_table.c.pseudonym == _KEY)
_SELECT_CLOCKS = select(case_clocks_table).where(case_clocks_table.c.pseudonym == _KEY)
_SELECT_STEPS = (select(plan_steps_table).where(plan_steps_table.c.pseudonym == _KEY)
                 .order_by(plan_steps_table.c.position))
_SELECT_ERASED = select(erased_cases_table.c.pseudonym).where(erased_cases_table.c.pseudonym == _KEY)
_UPDATE_FACTS = case_facts_table.update().where(case_facts_table.c.pseudonym == bindparam("key_"))
_UPDATE_CLOCKS = case_clocks_table.update().where(case_clocks_table.c.pseudonym == bindparam("key_"))
_DELETE_STEPS = delete(plan_steps_table).where(plan_steps_table.c.pseudonym == _KEY)
STEP_FIELDS = ("channel_id", "kind", "status")


def _load_state(session: Session, key: str) -> tuple[dict, bool]:
    facts_row = session.execute(_SELECT_FACTS, {"key": key}).mappings().first()
    clocks_row = session.execute(_SELECT_CLOCKS, {"key": key}).mappings().first()
    steps = session.execute(_SELECT_STEPS, {"key": key}).mappings().all()
    step_dicts = [{name: step[name] for name in STEP_FIELDS} for step in steps]
    return case_facts.state_from_rows(facts_row, clocks_row, step_dicts), facts_row is not None


def step_rows(key: str, state: dict) -> list[dict]:
    return [{"pseudonym": key, "position": position, "channel_id": _code(step["channel_id"]),
             "kind": _code(step["kind"]), "status": _code(step["status"])}
            for position, step in enumerate(state["steps"])]


def _save_state(session: Session, key: str, state: dict, exists: bool) -> None:
    facts_values = case_facts.fact_row(state)
    clock_values = case_facts.clock_row(state)
    if exists:
        session.execute(_UPDATE_FACTS, {"key_": key, **facts_values})
        session.execute(_UPDATE_CLOCKS, {"key_": key, **clock_values})
        session.execute(_DELETE_STEPS, {"key": key})
    else:
        session.execute(case_facts_table.insert(), {"pseudonym": key, **facts_values})
        session.execute(case_clocks_table.insert(), {"pseudonym": key, **clock_values})
    rows = step_rows(key, state)
    if rows:
        session.execute(plan_steps_table.insert(), rows)


def is_erased(session: Session, key: str) -> bool:
    return session.execute(_SELECT_ERASED, {"key": key}).first() is not None


def _lock_case(session: Session, key: str) -> None:
    """Serialise the events of one case until the transaction ends (PostgreSQL; SQLite has one writer anyway).

    Each event is a read-fold-write of the case's rows. Two workers folding two events of one case at once
    (complaint.received and referral.planned arrive on different queues) both read the old state and the later
    write wiped the earlier one: found by `make chaos` (scenario 3: 16 of 1,000 cases lost their plan or their
    `received`). The lock makes the second worker read what the first committed."""
    lock_until_commit(session, "analytics.case:", key)


def apply_event(session: Session, event_type: str, data: dict, occurred_at: datetime, pseudonym_key: bytes) -> None:
    """Update the case's facts for one validated catalogue event (the caller owns the transaction)."""
    if event_type not in CATALOGUE:
        raise ValueError(f"not a catalogue event: {event_type!r}")
    key = pseudonym(data["case_ref"], pseudonym_key)
    _lock_case(session, key)  # by pseudonym: the lock table never shows a case reference
    if event_type in case_facts.ERASING_EVENTS:
        erase_case(session, data["case_ref"], pseudonym_key)
        return
    if is_erased(session, key):
        return  # withdrawn earlier; a late event must not resurrect the case
    state, exists = _load_state(session, key)
    case_facts.fold(state, event_type, data, occurred_at)
    _save_state(session, key, state, exists)


def erase_case(session: Session, case_ref: str, pseudonym_key: bytes) -> None:
    """Withdrawal: delete every fact about the case and remember only its pseudonym (idempotent)."""
    key = pseudonym(case_ref, pseudonym_key)
    for table in (plan_steps_table, case_clocks_table, case_facts_table):  # children first (no reliance on cascade)
        session.execute(delete(table).where(table.c.pseudonym == key))
    if not is_erased(session, key):
        session.execute(erased_cases_table.insert().values(pseudonym=key))


def purge_clocks(session: Session, quiet_since: date) -> int:
    """Retention: drop the working dates of cases with no event since `quiet_since`; their facts stay."""
    result = session.execute(delete(case_clocks_table).where(case_clocks_table.c.last_event_on < quiet_since))
    return result.rowcount or 0


def monthly_counts(session: Session, month: str) -> dict:
    """{"complaints": {institution_type: n}, "referral_plans": {institution_type: n}} for one YYYY-MM month.

    Every institution type is present (0 when none), so a Prometheus gauge drops back to 0 in a new month.
    `referral_plans` counts cases whose first referral plan was made in the month (re-plans are not new plans).
    """
    facts_t = case_facts_table.c
    result = {}
    for name, month_column, condition in (("complaints", facts_t.month, facts_t.received),
                                          ("referral_plans", facts_t.first_plan_month, facts_t.plan_count > 0)):
        counts = dict.fromkeys(INSTITUTION_TYPES, 0)
        rows = session.execute(select(facts_t.institution_type, func.count())
                               .where(month_column == month, condition, facts_t.institution_type.is_not(None))
                               .group_by(facts_t.institution_type))
        counts.update({institution_type: count for institution_type, count in rows})
        result[name] = counts
    return result
