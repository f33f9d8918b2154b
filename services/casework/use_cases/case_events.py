"""The desk's view of each case, kept from other services' events (each handler: `handler(session, event, settings)`).

Events arrive on separate queues, so in any order: a plan may come before the case file. Whichever comes first makes
the case's row; `complaint.sealed` fills in the facts and the sealed file. The queue shows a case once its file has
arrived. A withdrawal (or retention) erases the row, its sealed items, key wraps, grants and history, and leaves a
tombstone: a late or replayed event about an erased case changes nothing.
"""
from datetime import datetime, timezone

from sqlalchemy import bindparam, delete, exists, select, update

from libs.kit.db import ONE_ROW, lock_until_commit, serialised
from libs.kit.logs import get_logger
from libs.reference.municipalities import province_of
from services.casework import metrics
from services.casework.domain import due_dates, statuses
from services.casework.tables import attachments, case_items, cases, erased_cases, grants, history, key_wraps

log = get_logger()
FACTS = ("received_on", "institution_type", "issue", "municipality", "language", "reporter_role", "wants_mediation",
         "has_contact")


CASE_LOCK = "casework-case"
# every case event reads and writes the case's row: one at a time per case, the lock taken with the inbox claim
per_case = serialised(CASE_LOCK, lambda event, _settings: event.data["case_ref"])


def _erased(session, case_ref) -> bool:
    return session.execute(select(erased_cases.c.case_ref).where(erased_cases.c.case_ref == case_ref)).first() \
        is not None


# Statements built once: building `.values(...)` for every event costs more than SQLAlchemy's cached compile. The
# items and wraps run as "many" with RETURNING: one multi-row INSERT (on_complaint_sealed says why).
_INSERT_HISTORY = history.insert()
_INSERT_CASE = cases.insert().returning(*cases.c)
_UPDATE_CASE = update(cases).where(cases.c.case_ref == bindparam("case_ref_"))
_INSERT_ITEMS = case_items.insert().returning(case_items.c.case_ref)
_INSERT_WRAPS = key_wraps.insert().returning(key_wraps.c.case_ref)

# The case's row, or a row of NULLs beside whether it was erased: one statement where the tombstone and the row
# were two (an erased case has no row, so only a missing row needs the tombstone's answer)
_CASE_OR_TOMBSTONE = select(
    *cases.c, exists().where(erased_cases.c.case_ref == bindparam("case_ref")).label("erased"),
).select_from(ONE_ROW.outerjoin(cases, cases.c.case_ref == bindparam("case_ref")))


def event_case(session, case_ref, now, make=True):
    """The case's row, locked for this transaction, made (empty) if it does not exist yet; None if erased.
    `make=False`: a case that does not exist yet comes back as a row of NULLs (`case_ref` None; the caller makes
    it)."""
    lock_until_commit(session, CASE_LOCK, case_ref)
    found = session.execute(_CASE_OR_TOMBSTONE, {"case_ref": case_ref}).first()
    if found.erased:
        return None
    if found.case_ref is not None or not make:
        return found  # the case's columns (NULLs for a case not made yet), and `erased` (False) beside them
    return _make_case(session, case_ref, now)


def _make_case(session, case_ref, now, **values):
    return session.execute(_INSERT_CASE, {
        "case_ref": case_ref, "status": statuses.NEW, "consent": {}, "progress": [], "mediation": {},
        "wants_mediation": False, "has_contact": False, "created_at": now, "updated_at": now, **values,
    }).first()


def note_history(session, case_ref, action, now, **detail):
    session.execute(_INSERT_HISTORY, {"case_ref": case_ref, "at": now, "actor_id": None, "action": action,
                                      "detail": detail})


def _update(session, row, settings, now, **values):
    _with_next_due(row._mapping, settings, now, values)
    session.execute(_UPDATE_CASE, {"case_ref_": row.case_ref, **values})


def _with_next_due(stored, settings, now, values):
    merged = {**stored, **values}
    values["next_due"] = due_dates.next_due(merged.get("received_on"), merged.get("first_action_on"),
                                            (merged.get("plan") or {}).get("steps", []), settings.handling_days)
    values["updated_at"] = now


@per_case
def on_complaint_sealed(session, event, settings):
    data, now = event.data, datetime.now(timezone.utc)
    row = event_case(session, data["case_ref"], now, make=False)
    if row is None:
        return
    if row.case_public_key is not None:
        return  # the file arrived already (a second copy of the event under another id)
    facts = {name: data[name] for name in FACTS}
    facts["province"] = province_of(data.get("municipality"))
    facts.update(consent=dict(data["consent"]), case_public_key=data["case_public_key"])
    if row.case_ref is None:  # the file came first (the usual order): the case's row in one statement
        _with_next_due({}, settings, now, facts)
        row = _make_case(session, data["case_ref"], now, **facts)
    else:
        _update(session, row, settings, now, **facts)
    # one INSERT per table, not one per item or per reader (issue 21: statements per event). Executed as "many"
    # with RETURNING, SQLAlchemy writes the rows as one multi-row INSERT from a cached statement; .values([...])
    # made the same statement but compiled it anew for every case file.
    if data["items"]:
        session.execute(_INSERT_ITEMS, [
            {"case_ref": row.case_ref, "kind": kind, "sealed": sealed, "author_id": None, "created_at": now}
            for kind, sealed in data["items"].items()])
    if data["wraps"]:
        session.execute(_INSERT_WRAPS, [
            {"case_ref": row.case_ref, "key_id": wrap["key_id"], "wrapped": wrap["wrapped"], "purpose": "case_reader",
             "created_at": now} for wrap in data["wraps"]])
    note_history(session, row.case_ref, "case.received", now, institution_type=data["institution_type"],
                  issue=data["issue"], readers=len(data["wraps"]))
    metrics.CASES_RECEIVED.inc()


@per_case
def on_referral_planned(session, event, settings):
    data, now = event.data, datetime.now(timezone.utc)
    row = event_case(session, data["case_ref"], now)
    if row is None:
        return
    steps = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in step.items()}
             for step in data["steps"]]
    _update(session, row, settings, now, plan={"steps": steps, "partner_referrals": data["partner_referrals"]},
            directory_version=data["directory_version"])
    note_history(session, row.case_ref, "plan.updated", now, steps=len(steps),
                  partner_referrals=data["partner_referrals"])


@per_case
def on_referral_clock(session, event, settings):
    data, now = event.data, datetime.now(timezone.utc)
    row = event_case(session, data["case_ref"], now)
    if row is not None:
        note_history(session, row.case_ref, event.type, now, channel_id=data["channel_id"],
                      due_on=data["due_on"].isoformat())


@per_case
def on_progress_reported(session, event, settings):
    data, now = event.data, datetime.now(timezone.utc)
    row = event_case(session, data["case_ref"], now)
    if row is None:
        return
    progress = list(row.progress or []) + [{"kind": data["kind"], "on": data["on"].isoformat()}]
    _update(session, row, settings, now, progress=progress)
    note_history(session, row.case_ref, "progress.reported", now, kind=data["kind"], on=data["on"].isoformat())


@per_case
def on_mediation_event(session, event, settings):
    data, now = event.data, datetime.now(timezone.utc)
    row = event_case(session, data["case_ref"], now)
    if row is None:
        return
    mediation = dict(row.mediation or {})
    if event.type == "mediation.assigned":
        mediation.update(mediator_id=data["mediator_id"], assigned_on=data["assigned_on"].isoformat(),
                         unmatched=None)
        detail = {"mediator_id": data["mediator_id"]}
    elif event.type == "mediation.unmatched":
        mediation.update(unmatched=data["reason"])
        detail = {"reason": data["reason"]}
    else:
        mediation.update(outcome=data["outcome"], outcome_on=data["recorded_on"].isoformat())
        detail = {"outcome": data["outcome"]}
    _update(session, row, settings, now, mediation=mediation)
    note_history(session, row.case_ref, event.type, now, **detail)


@per_case
def on_partner_status_changed(session, event, _settings):
    """A partner said where the referral it holds stands: codes only, kept in the case's history (the case page
    shows the latest per partner, case_file.partner_updates)."""
    data, now = event.data, datetime.now(timezone.utc)
    row = event_case(session, data["case_ref"], now)
    if row is None:
        return
    note_history(session, row.case_ref, event.type, now, partner_id=data["partner_id"], partner_status=data["status"],
                 outcome=data["outcome"], changed_at=data["changed_at"].isoformat())


@per_case
def on_messages_stopped(session, event, settings):
    """The person withdrew consent to be contacted (the complaint stays open): the desk must see it."""
    data, now = event.data, datetime.now(timezone.utc)
    row = event_case(session, data["case_ref"], now)
    if row is None:
        return
    consent = dict(row.consent or {}, contact=False, contact_withdrawn_at=event.occurred_at.isoformat())
    _update(session, row, settings, now, consent=consent)
    note_history(session, row.case_ref, "consent.contact_withdrawn", now)


@per_case
def on_complaint_withdrawn(session, event, settings):
    """Withdrawal or retention: erase casework's copy (items, wraps, grants, history cascade) and keep a tombstone."""
    case_ref, now = event.data["case_ref"], datetime.now(timezone.utc)
    lock_until_commit(session, CASE_LOCK, case_ref)
    if _erased(session, case_ref):
        return
    for table in (attachments, case_items, key_wraps, grants, history):
        session.execute(delete(table).where(table.c.case_ref == case_ref))
    session.execute(delete(cases).where(cases.c.case_ref == case_ref))
    session.execute(erased_cases.insert().values(case_ref=case_ref, erased_at=now))
    metrics.CASES_ERASED.inc()
    log.info("case.erased", case_ref=case_ref)
