"""A stored complaint: finding it, and the statuses that mean it was erased."""
from sqlalchemy import select

from services.intake.tables import complaints

# withdrawn by the person, or expired by retention: content, keys and receipt are gone (use_cases/erasure.py)
ERASED_STATUSES = ("withdrawn", "expired")


def find_case(session, reference):
    return session.execute(select(complaints).where(complaints.c.reference == reference)).first()
