"""Fixtures of the analytics tests."""
import secrets

import pytest
from sqlalchemy import create_engine

from services.analytics.store import metadata

ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


@pytest.fixture(scope="module")
def pg_engine():
    """The analytics tables in a throwaway PostgreSQL database of their own, dropped afterwards."""
    import psycopg
    name = f"vp_analytics_test_{secrets.token_hex(4)}"
    admin = psycopg.connect(ADMIN, autocommit=True, connect_timeout=3)
    admin.execute(f'CREATE DATABASE "{name}"')
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
