"""The lists a case handler lives in, with counts, filters and search by reference. Plain SQL on indexed columns
(status, assigned_to, next_due), one query for all counts: the queue page stays fast at 10,000 cases (make bench)."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, select

from services.casework.domain import statuses
from services.casework.domain.due_dates import DUE_SOON_DAYS
from services.casework.tables import cases

LISTS = ("new", "mine", "waiting_person", "waiting_institution", "due_soon", "overdue", "closed")
FILTERS = ("institution_type", "issue", "language", "municipality", "province")
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueQuery:
    list_name: str = "new"
    filters: dict = field(default_factory=dict)  # name in FILTERS → value
    reference: str = ""  # search: a whole or partial reference
    page: int = 1


def _conditions(account_id: int, today: date) -> dict:
    open_case = cases.c.status.in_(statuses.OPEN_STATUSES)
    return {
        "new": cases.c.status == statuses.NEW,
        "mine": and_(open_case, cases.c.assigned_to == account_id),
        "waiting_person": cases.c.status == statuses.WAITING_PERSON,
        "waiting_institution": cases.c.status == statuses.WAITING_INSTITUTION,
        "due_soon": and_(open_case, cases.c.next_due >= today,
                         cases.c.next_due <= today + timedelta(days=DUE_SOON_DAYS)),
        "overdue": and_(open_case, cases.c.next_due < today),
        "closed": cases.c.status == statuses.CLOSED,
    }


def _filtered(query: QueueQuery):
    where = [cases.c.case_public_key.is_not(None)]  # the file has arrived
    for name in FILTERS:
        value = query.filters.get(name)
        if value:
            where.append(getattr(cases.c, name) == value)
    if query.reference:
        where.append(cases.c.case_ref.like(query.reference.strip().upper()[:16].replace("%", "") + "%"))
    return where


def counts(session, account_id: int, query: QueueQuery, today: date) -> dict:
    conditions = _conditions(account_id, today)
    columns = [func.sum(case((condition, 1), else_=0)).label(name) for name, condition in conditions.items()]
    row = session.execute(select(*columns).where(*_filtered(query))).one()
    return {name: int(getattr(row, name) or 0) for name in conditions}


def page(session, account_id: int, query: QueueQuery, today: date) -> list:
    condition = _conditions(account_id, today)[query.list_name if query.list_name in LISTS else "new"]
    order = (cases.c.closed_on.desc(),) if query.list_name == "closed" else (
        cases.c.next_due.is_(None), cases.c.next_due, cases.c.received_on)
    return session.execute(select(cases.c.case_ref, cases.c.received_on, cases.c.institution_type, cases.c.issue,
                                  cases.c.language, cases.c.municipality, cases.c.province, cases.c.status,
                                  cases.c.next_due, cases.c.assigned_to, cases.c.wants_mediation)
                           .where(condition, *_filtered(query)).order_by(*order)
                           .limit(PAGE_SIZE).offset(max(query.page - 1, 0) * PAGE_SIZE)).fetchall()
