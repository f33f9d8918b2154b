"""Appending to the audit log and verifying it (domain/audit_chain.py holds the hash rule).

One writer at a time: the append takes a database lock (an advisory lock on PostgreSQL, SQLite's single writer),
reads the head and writes the next entry in the caller's transaction. So the entry commits with the action it
records, or neither does.
"""
from datetime import datetime, timezone

from sqlalchemy import select

from libs.kit.db import lock_until_commit
from services.casework.domain.audit_chain import GENESIS, Entry, entry_hash, verify
from services.casework.tables import audit_log


def append(session, actor: str, action: str, case_ref: str | None = None, **detail) -> Entry:
    lock_until_commit(session, "casework-audit", "head")
    head = session.execute(select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc())
                           .limit(1)).first()
    seq, previous = (head.seq + 1, head.hash) if head else (1, GENESIS)
    entry = Entry(seq, datetime.now(timezone.utc).isoformat(timespec="seconds"), str(actor), action, case_ref,
                  detail)
    session.execute(audit_log.insert().values(seq=entry.seq, at=entry.at, actor=entry.actor, action=entry.action,
                                              case_ref=case_ref, detail=detail, hash=entry_hash(previous, entry)))
    return entry


def rows(session, case_ref=None, limit=None):
    query = select(audit_log).order_by(audit_log.c.seq)
    if case_ref:
        query = query.where(audit_log.c.case_ref == case_ref)
    if limit:
        query = query.limit(limit)
    return session.execute(query).fetchall()


def verify_log(session, anchors=()):
    def entries():
        for row in session.execute(select(audit_log).order_by(audit_log.c.seq)).yield_per(1000):
            yield Entry(row.seq, row.at, row.actor, row.action, row.case_ref, row.detail), row.hash
    return verify(entries(), anchors)


def head(session):
    row = session.execute(select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc())
                          .limit(1)).first()
    return (row.seq, row.hash) if row else (0, GENESIS)
