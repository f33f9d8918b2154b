"""Giving a mediator access to a case: the case key wrapped for the mediator's public key, by a case handler's
session (GlobaLeaks' grant). Only within what the person consented to: they asked for mediation and answered yes to
sharing with a mediator. Revoking deletes the mediator's wrap (what was seen was seen; docs/keys.md). Both in the
case history and the audit log.
"""
import base64
from datetime import datetime, timezone

from sqlalchemy import delete, select, update

from libs.contracts.sealing import wrap_case_key
from services.casework import metrics
from services.casework.domain import roles
from services.casework.tables import accounts, cases, grants, history, key_wraps
from services.casework.use_cases import audit
from services.casework.use_cases.case_file import NotAllowed, case_key


class GrantRefused(ValueError):
    """A clear reason (shown to staff): no consent, not a mediator, no key yet, already granted."""


def _now(now):
    return now or datetime.now(timezone.utc)


def mediator_accounts(session):
    return session.execute(select(accounts).where(accounts.c.role == roles.MEDIATOR, accounts.c.active.is_(True))
                           .order_by(accounts.c.display_name)).fetchall()


def consent_allows(case_row) -> bool:
    consent = case_row.consent or {}
    return bool(case_row.wants_mediation and consent.get("share_with_mediator"))


def grant(session, viewer, case_ref, mediator_account_id, now=None):
    now = _now(now)
    if not roles.may(viewer.role, "grant_mediator"):
        raise NotAllowed()
    case = session.execute(select(cases).where(cases.c.case_ref == case_ref)).first()
    mediator = session.execute(select(accounts).where(accounts.c.id == mediator_account_id)).first()
    if case is None:
        raise GrantRefused("no_case")
    if not consent_allows(case):
        raise GrantRefused("no_consent")
    if mediator is None or mediator.role != roles.MEDIATOR or not mediator.active:
        raise GrantRefused("not_a_mediator")
    if mediator.public_key is None or not mediator.second_factor_confirmed:
        raise GrantRefused("mediator_not_set_up")
    if session.execute(select(grants.c.id).where(grants.c.case_ref == case_ref, grants.c.account_id == mediator.id,
                                                 grants.c.revoked_at.is_(None))).first():
        raise GrantRefused("already_granted")
    case_private = case_key(session, viewer, case_ref)  # CaseUnreadable when the granter cannot open it
    session.execute(delete(key_wraps).where(key_wraps.c.case_ref == case_ref, key_wraps.c.key_id == mediator.key_id))
    session.execute(key_wraps.insert().values(case_ref=case_ref, key_id=mediator.key_id, purpose="mediator",
                                              created_at=now, wrapped=wrap_case_key(
                                                  case_private, base64.b64decode(mediator.public_key))))
    session.execute(grants.insert().values(case_ref=case_ref, account_id=mediator.id, granted_by=viewer.account_id,
                                           granted_at=now))
    session.execute(history.insert().values(case_ref=case_ref, at=now, actor_id=viewer.account_id,
                                            action="grant.added", detail={"to": mediator.id}))
    audit.append(session, viewer.actor, "grant.added", case_ref, to=mediator.id)
    session.commit()
    metrics.GRANTS.labels(metrics.SERVICE, "granted").inc()


def revoke(session, viewer, case_ref, grant_id, now=None):
    now = _now(now)
    if not roles.may(viewer.role, "grant_mediator"):
        raise NotAllowed()
    row = session.execute(select(grants).where(grants.c.id == grant_id, grants.c.case_ref == case_ref,
                                               grants.c.revoked_at.is_(None))).first()
    if row is None:
        raise GrantRefused("no_such_grant")
    mediator = session.execute(select(accounts).where(accounts.c.id == row.account_id)).first()
    session.execute(delete(key_wraps).where(key_wraps.c.case_ref == case_ref, key_wraps.c.key_id == mediator.key_id,
                                            key_wraps.c.purpose == "mediator"))
    session.execute(update(grants).where(grants.c.id == grant_id).values(revoked_at=now))
    session.execute(history.insert().values(case_ref=case_ref, at=now, actor_id=viewer.account_id,
                                            action="grant.revoked", detail={"from": mediator.id}))
    audit.append(session, viewer.actor, "grant.revoked", case_ref, account=mediator.id)
    session.commit()
    metrics.GRANTS.labels(metrics.SERVICE, "revoked").inc()


def granted_cases(session, viewer):
    """A mediator's cases: only those granted to them and not revoked."""
    return session.execute(select(cases).join(grants, grants.c.case_ref == cases.c.case_ref).where(
        grants.c.account_id == viewer.account_id, grants.c.revoked_at.is_(None)).order_by(cases.c.received_on))\
        .fetchall()
