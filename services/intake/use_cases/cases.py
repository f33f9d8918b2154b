"""A stored complaint: finding it, and the statuses that mean it was erased."""
from sqlalchemy import exists, select

from services.intake.domain.receipts import reference_tombstone_hash
from services.intake.tables import complaints, erased_cases

# withdrawn by the person, or expired by retention: content, keys and receipt are gone (use_cases/erasure.py)
ERASED_STATUSES = ("withdrawn", "expired")


def find_case(session, reference):
    return session.execute(select(complaints).where(complaints.c.reference == reference)).first()


def erased_case(session, key, reference):
    """The tombstone of an erased case (status withdrawn/expired, erased_on), or None."""
    return session.execute(select(erased_cases).where(
        erased_cases.c.reference_hash == reference_tombstone_hash(key, reference))).first()


def reference_used(session, key, reference) -> bool:
    """Stored, or erased (a tombstone): a new case must not take it. One statement for both questions."""
    return session.execute(select(
        exists().where(complaints.c.reference == reference)
        | exists().where(erased_cases.c.reference_hash == reference_tombstone_hash(key, reference)))).scalar()


def is_erased(session, key, reference) -> bool:
    return erased_case(session, key, reference) is not None
