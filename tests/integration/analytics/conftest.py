"""Fixtures of the analytics integration tests."""
import pytest
from sqlalchemy import create_engine

from services.analytics.tables import metadata


def _drop_tables(pg_url):
    # a session a failed test left open would make DROP wait for ever: give up after 10 s instead (the run's
    # database is dropped WITH (FORCE) at the end of the session anyway)
    engine = create_engine(pg_url, connect_args={"options": "-c lock_timeout=10s"})
    try:
        metadata.drop_all(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def pg_engine(pg_url):
    """The analytics tables, empty, in the run's shared PostgreSQL database (`pg_url`, tests/conftest.py); dropped
    after the module, so each module starts from empty tables. Only these tests touch `analytics_*` tables there."""
    _drop_tables(pg_url)
    engine = create_engine(pg_url)
    metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        _drop_tables(pg_url)
