"""A partner's status update about a referral it holds: check it, apply it once, tell the other services.

Free of nameko and pika: service.py's partner-updates entrypoint calls `receive_update` with the message body and
its broker-checked `user_id`, inside one transaction with the outbox row. A refused update changes nothing and is
only counted (service.py); an update is applied once per (partner, CloudEvents id).
"""
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from libs.kit.outbox import emit
from services.routing.domain.partner_updates import CLOCK_SKEW, Refused, read_update
from services.routing.tables import outbox, partner_cases, partner_updates

APPLIED = "applied"
DUPLICATE = "duplicate"


def receive_update(session, body: bytes, user_id, settings, now=None):
    """Returns (result, partner_id): result is APPLIED, DUPLICATE or a refusal reason (REFUSAL_REASONS);
    partner_id is None when the update did not name a registered partner."""
    now = now or datetime.now(timezone.utc)
    partner_ids = {partner.partner_id for partner in settings.partners}
    try:
        update = read_update(body, user_id, partner_ids, now, settings.partner_updates_local_user)
    except Refused as refusal:
        return refusal.reason, None
    return _apply(session, update, now), update.partner_id


def _apply(session, update, now):
    case = session.execute(select(partner_cases.c.case_ref, partner_cases.c.created_at).where(
        partner_cases.c.partner_id == update.partner_id, partner_cases.c.subject == update.subject)).first()
    if case is None:
        # never given to this partner: another partner's subject, a made-up one, or a case erased since
        return "unknown_subject"
    if session.execute(select(partner_updates.c.event_id).where(
            partner_updates.c.partner_id == update.partner_id,
            partner_updates.c.event_id == update.event_id)).first() is not None:
        return DUPLICATE
    referred_at = _aware(case.created_at)
    if update.changed_at < referred_at - CLOCK_SKEW:
        return "before_referral"
    session.execute(partner_updates.insert().values(
        partner_id=update.partner_id, event_id=update.event_id, case_ref=case.case_ref, status=update.status,
        outcome=update.outcome, changed_at=update.changed_at, received_at=now))
    emit(session, outbox, "referral.partner_status_changed", {
        "case_ref": case.case_ref, "partner_id": update.partner_id, "status": update.status,
        "outcome": update.outcome, "changed_at": update.changed_at, "referred_on": referred_at.date(),
    }, correlation_id=case.case_ref)
    return APPLIED


def _aware(moment):
    """SQLite gives naive datetimes back (stored as UTC); PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def settle_update(session_factory, body: bytes, user_id, settings):
    """One update in its own transaction. Returns (result, partner_id) as `receive_update`; a concurrent copy of
    the same update committing first makes this one a DUPLICATE. Database errors propagate (the message stays)."""
    with session_factory() as session:
        result, partner_id = receive_update(session, body, user_id, settings)
        if result != APPLIED:
            session.rollback()
            return result, partner_id
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return DUPLICATE, partner_id
    return result, partner_id
