"""Retention of the fact store's working dates (docs/analytics.md, "Storage model")."""
from datetime import date

from sqlalchemy import delete
from sqlalchemy.orm import Session

from services.analytics.tables import case_clocks_table


def purge_clocks(session: Session, quiet_since: date) -> int:
    """Drop the working dates of cases with no event since `quiet_since`; their facts stay. Returns the count."""
    result = session.execute(delete(case_clocks_table).where(case_clocks_table.c.last_event_on < quiet_since))
    return result.rowcount or 0
