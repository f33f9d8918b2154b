"""Each service's migrations, run on an empty database, give exactly the schema of its tables.py.

This also guards every later change: a table changed in tables.py without a revision (`make migration`) fails here.
Both backends: PostgreSQL (production, `make run`, the tests) and SQLite (the zero-setup default).
"""
import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, inspect

from libs.kit import migrations
from libs.kit.config import SERVICES
from libs.kit.migration_filters import comparison_options
from support.schema_snapshot import snapshot


def tables_of(service):
    return importlib.import_module(f"services.{service}.tables").metadata


def differences(engine, service, metadata=None):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            **comparison_options(service), "compare_server_default": True})
        return compare_metadata(context, tables_of(service) if metadata is None else metadata)


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_upgrade_head_on_an_empty_database_gives_exactly_tables_py(engine, new_engine, backend, service):
    done = migrations.upgrade(service, engine)
    assert done == {"from": None, "to": migrations.head(service), "stamped": None}
    assert differences(engine, service) == []
    # compare_metadata does not look at CHECK constraints (analytics has many): compare with create_all's result
    reference = new_engine(backend)
    tables_of(service).create_all(reference)
    assert snapshot(engine, f"{service}_") == snapshot(reference, f"{service}_")
    assert set(inspect(engine).get_table_names()) == set(tables_of(service).tables) | {f"alembic_version_{service}"}


def test_migrations_the_comparison_sees_a_table_change_without_a_revision(engine):
    """The guard above can fail: a column added to a copy of routing's tables is reported."""
    migrations.upgrade("routing", engine)
    changed = MetaData()
    for table in tables_of("routing").tables.values():
        table.to_metadata(changed)
    changed.tables["routing_plans"].append_column(Column("priority", Integer, nullable=True))
    found = differences(engine, "routing", changed)
    assert [(d[0], d[3].name) for d in found] == [("add_column", "priority")]


def test_migrations_services_sharing_one_database_keep_to_their_own_tables(engine):
    """The services may share a database: each upgrade leaves the others' tables alone, each version table holds
    its own service's revision, and autogenerate for one service does not see the others' tables."""
    for service in SERVICES:
        migrations.upgrade(service, engine)
    names = set(inspect(engine).get_table_names())
    for service in SERVICES:
        assert f"alembic_version_{service}" in names
        assert differences(engine, service) == []
        with engine.connect() as connection:
            assert migrations.current(service, connection) == migrations.head(service)
    expected = set().union(*(tables_of(s).tables for s in SERVICES)) | {f"alembic_version_{s}" for s in SERVICES}
    assert names == expected


def test_migrations_every_table_has_its_service_prefix():
    """The filter that keeps services apart in a shared database is the prefix: a table without it would be
    invisible to its own service's autogenerate."""
    for service in SERVICES:
        for name in tables_of(service).tables:
            assert name.startswith(f"{service}_"), name
