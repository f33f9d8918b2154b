"""Record an event in the fact store: read the case's rows, fold the event in (domain/facts.py), write them back.

`record` is the event handler the service's `@consumes` table names for every event analytics consumes; it runs
in the transaction that also holds the event's inbox row (libs/kit/consuming.py), so each event is applied once.
A withdrawal erases the case and leaves only its pseudonym, so a late event cannot bring the case back.
"""
from datetime import datetime

from sqlalchemy import bindparam, delete, exists, select
from sqlalchemy.orm import Session

from libs.contracts.events import CATALOGUE
from libs.kit.db import ONE_ROW, lock_until_commit, serialised
from services.analytics.domain import facts as case_facts
from services.analytics.domain.pseudonyms import pseudonym
from services.analytics.domain.codes import directory_code
from services.analytics.tables import (case_clocks_table, case_facts_table, erased_cases_table, partner_answers_table,
                                       plan_steps_table)

# Statements built once with bound parameters: SQLAlchemy then reuses the compiled form for every event
# (building `.values(**row)` per event costs more than the database work).
_KEY = bindparam("key")
_SELECT_STEPS = (select(plan_steps_table).where(plan_steps_table.c.pseudonym == _KEY)
                 .order_by(plan_steps_table.c.position))
_SELECT_ERASED = select(erased_cases_table.c.pseudonym).where(erased_cases_table.c.pseudonym == _KEY)
_UPDATE_FACTS = case_facts_table.update().where(case_facts_table.c.pseudonym == bindparam("key_"))
_UPDATE_CLOCKS = case_clocks_table.update().where(case_clocks_table.c.pseudonym == bindparam("key_"))
# executed as "many" with RETURNING: one multi-row INSERT (SQLAlchemy's insertmanyvalues); without RETURNING
# psycopg sent one INSERT per step
_INSERT_STEPS = plan_steps_table.insert().returning(plan_steps_table.c.pseudonym)
_DELETE_STEPS = delete(plan_steps_table).where(plan_steps_table.c.pseudonym == _KEY)
STEP_FIELDS = ("channel_id", "kind", "status")
CASE_LOCK = "analytics.case:"


# The case's facts and clocks beside whether it was erased: one statement where they were three (the steps follow
# only for a known case). An erased case has no rows, so the tombstone's answer matters only when facts are missing.
_CLOCK_COLUMNS = [column for column in case_clocks_table.c if column.name != "pseudonym"]
_SELECT_CASE = select(
    *case_facts_table.c, *(column.label(f"clock__{column.name}") for column in _CLOCK_COLUMNS),
    case_clocks_table.c.pseudonym.is_not(None).label("clock__exists"),
    exists().where(erased_cases_table.c.pseudonym == _KEY).label("erased__"),
).select_from(ONE_ROW.outerjoin(case_facts_table, case_facts_table.c.pseudonym == _KEY)
              .outerjoin(case_clocks_table, case_clocks_table.c.pseudonym == _KEY))


def _load_state(session: Session, key: str) -> tuple[dict, dict] | None:
    """The case's working state, and its rows as stored ({} for a new case): _save_state writes only what changed.
    None for an erased case."""
    found = session.execute(_SELECT_CASE, {"key": key}).mappings().first()
    if found["pseudonym"] is None:
        if found["erased__"]:
            return None
        return case_facts.state_from_rows(None, None, []), {}
    facts_row = {column.name: found[column.name] for column in case_facts_table.c}
    clocks_row = ({"pseudonym": key, **{column.name: found[f"clock__{column.name}"] for column in _CLOCK_COLUMNS}}
                  if found["clock__exists"] else None)
    steps = session.execute(_SELECT_STEPS, {"key": key}).mappings().all()
    step_dicts = [{name: step[name] for name in STEP_FIELDS} for step in steps]
    stored = {"facts": facts_row, "clocks": dict(clocks_row or {}), "steps": step_dicts}
    return case_facts.state_from_rows(facts_row, clocks_row, step_dicts), stored


def _unchanged(stored: dict, values: dict) -> bool:
    return all(name in stored and stored[name] == value for name, value in values.items())


def _save_state(session: Session, key: str, state: dict, stored: dict) -> None:
    """Write back what the event changed. Most events change one of the three (a clock, a step's status, a count):
    every statement skipped is a round trip and an execution fewer per event (make bench, issue 21)."""
    facts_values = case_facts.fact_row(state)
    clock_values = case_facts.clock_row(state)
    rows = case_facts.step_rows(key, state)
    if not stored:
        session.execute(case_facts_table.insert(), {"pseudonym": key, **facts_values})
        session.execute(case_clocks_table.insert(), {"pseudonym": key, **clock_values})
        if rows:
            session.execute(_INSERT_STEPS, rows)
        return
    if not _unchanged(stored["facts"], facts_values):
        session.execute(_UPDATE_FACTS, {"key_": key, **facts_values})
    if not _unchanged(stored["clocks"], clock_values):
        session.execute(_UPDATE_CLOCKS, {"key_": key, **clock_values})
    if [{name: row[name] for name in STEP_FIELDS} for row in rows] != stored["steps"]:
        if stored["steps"]:  # the first plan of a case has nothing to replace
            session.execute(_DELETE_STEPS, {"key": key})
        if rows:
            session.execute(_INSERT_STEPS, rows)


def is_erased(session: Session, key: str) -> bool:
    return session.execute(_SELECT_ERASED, {"key": key}).first() is not None


def _lock_case(session: Session, key: str) -> None:
    """Serialise the events of one case until the transaction ends (PostgreSQL; SQLite has one writer anyway).

    Each event is a read-fold-write of the case's rows. Two workers folding two events of one case at once
    (complaint.received and referral.planned arrive on different queues) both read the old state and the later
    write wiped the earlier one: found by `make chaos` (scenario 3: 16 of 1,000 cases lost their plan or their
    `received`). The lock makes the second worker read what the first committed."""
    lock_until_commit(session, CASE_LOCK, key)


def apply_event(session: Session, event_type: str, data: dict, occurred_at: datetime, pseudonym_key: bytes) -> None:
    """Update the case's facts for one validated catalogue event (the caller owns the transaction)."""
    if event_type not in CATALOGUE:
        raise ValueError(f"not a catalogue event: {event_type!r}")
    key = pseudonym(data["case_ref"], pseudonym_key)
    _lock_case(session, key)  # by pseudonym: the lock table never shows a case reference
    if event_type in case_facts.ERASING_EVENTS:
        erase_case(session, data["case_ref"], pseudonym_key)
        return
    if event_type in PARTNER_ANSWER_EVENTS:
        if not is_erased(session, key):  # withdrawn earlier: a late event must not resurrect the case
            _record_partner_answer(session, key, data)
        return
    loaded = _load_state(session, key)
    if loaded is None:
        return  # withdrawn earlier; a late event must not resurrect the case
    state, stored = loaded
    case_facts.fold(state, event_type, data, occurred_at)
    _save_state(session, key, state, stored)


PARTNER_ANSWER_EVENTS = ("referral.partner_status_changed",)
ANSWER_STATUSES = ("answered", "closed")


def partner_answer_row(key: str, data: dict) -> dict | None:
    """The time to an institution's answer, as a row: days from the referral to an `answered` (or `closed`) from
    the partner; None for other statuses."""
    if data["status"] not in ANSWER_STATUSES:
        return None
    return {"pseudonym": key, "partner": directory_code(data["partner_id"]),
            "days_to_answer": max(0, (data["changed_at"].date() - data["referred_on"]).days)}


def _record_partner_answer(session: Session, key: str, data: dict) -> None:
    """Only the first answer of each partner counts: later updates (closed after answered, a retry) do not move it."""
    row = partner_answer_row(key, data)
    if row is None or session.execute(select(partner_answers_table.c.pseudonym).where(
            partner_answers_table.c.pseudonym == key, partner_answers_table.c.partner == row["partner"])).first():
        return
    session.execute(partner_answers_table.insert().values(**row))


def erase_case(session: Session, case_ref: str, pseudonym_key: bytes) -> None:
    """Withdrawal: delete every fact about the case and remember only its pseudonym (idempotent)."""
    key = pseudonym(case_ref, pseudonym_key)
    for table in (partner_answers_table, plan_steps_table, case_clocks_table, case_facts_table):  # children first (no reliance on cascade)
        session.execute(delete(table).where(table.c.pseudonym == key))
    if not is_erased(session, key):
        session.execute(erased_cases_table.insert().values(pseudonym=key))


# -- the event handler (services/analytics/service.py wires it for every consumed event type) -------------------
@serialised(CASE_LOCK, lambda event, settings: pseudonym(event.data["case_ref"], settings.pseudonym_key))
def record(session, event, settings):
    apply_event(session, event.type, event.data, event.occurred_at, settings.pseudonym_key)
