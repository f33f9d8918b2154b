"""The count behind the per-address daily cap (domain/address_cap.py): one row per status message sent, a keyed
hash of the address and the time, kept for a day."""
from sqlalchemy import delete, func, select

from services.notification.domain.address_cap import MAX_MESSAGES_PER_ADDRESS_PER_DAY, WINDOW
from services.notification.tables import address_sends


def within_cap(session, hashed: str, now) -> bool:
    session.execute(delete(address_sends).where(address_sends.c.sent_at < now - WINDOW))
    sent = session.execute(select(func.count()).select_from(address_sends).where(
        address_sends.c.address_hash == hashed, address_sends.c.sent_at >= now - WINDOW)).scalar()
    return sent < MAX_MESSAGES_PER_ADDRESS_PER_DAY


def record(session, hashed: str, now):
    session.execute(address_sends.insert().values(address_hash=hashed, sent_at=now))
