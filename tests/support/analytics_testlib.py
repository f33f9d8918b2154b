"""Helpers shared by the analytics tests (not a test module)."""
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from services.analytics.tables import metadata

KEY = bytes(range(32))


def new_session(url: str = "sqlite://") -> Session:
    engine = create_engine(url)
    metadata.create_all(engine)
    return Session(engine)


def dump_tables(session: Session) -> dict:
    """{table name: sorted list of row tuples} for every analytics table."""
    return {table.name: sorted(tuple(row) for row in session.execute(select(table)))
            for table in metadata.sorted_tables}


def every_stored_value(session: Session) -> list:
    return [value for rows in dump_tables(session).values() for row in rows for value in row]
