"""Upgrading a database that holds data, going back one revision, and adopting a database made by create_all before
migrations existed. Revision 0002 of notification and routing (an index each) is the real second revision."""
from datetime import date, datetime, timezone
from threading import Barrier, Thread

import pytest
from sqlalchemy import MetaData, Table, inspect, select, text

from libs.kit import migrations
from libs.kit.config import SERVICES
from libs.kit.dependencies import prepare_schema
from libs.kit.migrations import MigrationError
from services.notification.tables import assignments
from services.routing.tables import plans

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
SECOND = {"notification": ("notification_assignments", "ix_notification_assignments_status"),
          "routing": ("routing_plans", "ix_routing_plans_status")}


def rows_of(engine, table):
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]


# routing_plans as revisions 0001-0003 had it (0004 added the clock schedule's columns)
PLANS_AT_0001 = Table(plans.name, MetaData(), *(column._copy() for column in plans.columns
                                                if column.name not in ("next_clock_on", "overdue_deadlines")))


def insert_cases(engine, service):
    """Rows written by the code of revision 0001 (the columns are the same at 0002)."""
    with engine.begin() as connection:
        if service == "notification":
            connection.execute(assignments.insert(), [
                {"case_ref": f"VP-{n:04d}", "mediator_id": "med-1", "status": status, "institution_type": "bank",
                 "assigned_on": date(2026, 11, 2), "assigned_at": NOW, "previous_mediators": ["med-0"]}
                for n, status in enumerate(("requested", "accepted", "closed"))])
            return assignments
        connection.execute(PLANS_AT_0001.insert(), [
            {"case_ref": f"VP-{n:04d}", "facts": {"issue": "privacy"}, "consent": {"referral": True},
             "language": "nl", "plan": {"steps": []}, "directory_version": "2026.11", "status": status,
             "fired_clocks": [], "created_at": NOW, "updated_at": NOW}
            for n, status in enumerate(("open", "closed"))])
        return PLANS_AT_0001


def index_names(engine, table):
    return {index["name"] for index in inspect(engine).get_indexes(table)}


@pytest.mark.parametrize("service", sorted(SECOND))
def test_migrations_a_database_with_data_upgrades_to_revision_2_and_back(engine, service):
    table_name, index = SECOND[service]
    assert migrations.upgrade(service, engine, "0001")["to"] == "0001"
    table = insert_cases(engine, service)
    before = rows_of(engine, table)
    assert index not in index_names(engine, table_name)

    assert migrations.upgrade(service, engine, "0002") == {"from": "0001", "to": "0002", "stamped": None}
    assert index in index_names(engine, table_name)
    assert rows_of(engine, table) == before

    assert migrations.downgrade(service, engine, "0001") == {"from": "0002", "to": "0001"}
    assert index not in index_names(engine, table_name)
    assert rows_of(engine, table) == before

    assert migrations.upgrade(service, engine, "0002")["to"] == "0002"  # and forward again
    assert migrations.upgrade(service, engine)["to"] == migrations.head(service)  # and on to the newest
    assert rows_of(engine, table) == before


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_a_database_made_by_create_all_before_migrations_is_stamped_at_the_baseline(engine, service):
    """An installation from before migrations: the baseline's schema (what create_all made then: the baseline is
    written from it, and test_migrations_schema.py shows baseline plus later revisions equals tables.py), with
    rows, and no version table. It is stamped at 0001 and the later revisions run on top."""
    migrations.upgrade(service, engine, migrations.BASELINE)
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE alembic_version_{service}"))
        connection.execute(text(f"INSERT INTO {service}_outbox (event_id, exchange, routing_key, content_type, body, "
                                "created_at, next_attempt_at, attempts) VALUES ('evt-1', 'x', 'k', 'application/json',"
                                " '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)"))

    done = migrations.upgrade(service, engine)
    assert done == {"from": migrations.BASELINE, "to": migrations.head(service), "stamped": migrations.BASELINE}
    with engine.connect() as connection:
        assert connection.execute(text(f"SELECT event_id FROM {service}_outbox")).scalars().all() == ["evt-1"]
        assert migrations.differences(service, connection) == []
    assert migrations.upgrade(service, engine)["stamped"] is None  # once adopted, a normal upgrade


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_a_database_made_by_create_all_of_todays_tables_is_stamped_at_head(engine, service):
    """create_all of today's tables.py (what the tests' own databases and a local demo started on this code hold):
    already the newest schema, so it is stamped at head; no revision runs (0002 would find its index there)."""
    migrations.target_metadata(service).create_all(engine)
    done = migrations.upgrade(service, engine)
    assert done == {"from": migrations.head(service), "to": migrations.head(service),
                    "stamped": migrations.head(service)}
    with engine.connect() as connection:
        assert migrations.differences(service, connection) == []


def test_migrations_an_analytics_database_whose_relay_never_ran_is_adopted_with_the_outbox_the_relay_made(engine):
    """Before migrations analytics' outbox table was made by its relay only (the service had none)."""
    migrations.upgrade("analytics", engine, migrations.BASELINE)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version_analytics"))
        connection.execute(text("DROP TABLE analytics_outbox"))
    assert migrations.upgrade("analytics", engine)["to"] == migrations.head("analytics")
    with engine.connect() as connection:
        assert migrations.differences("analytics", connection) == []


def test_migrations_an_adopted_database_that_still_differs_is_refused(engine):
    """A create_all database with something tables.py does not have (here a column) is not silently kept: the
    upgrade fails, names the kind of difference, and (PostgreSQL: one transaction) leaves no version table."""
    migrations.upgrade("routing", engine, migrations.BASELINE)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version_routing"))
        connection.execute(text("ALTER TABLE routing_plans ADD COLUMN priority INTEGER"))
    with pytest.raises(MigrationError, match="still differs from tables.py in 1 place.*remove_column"):
        migrations.upgrade("routing", engine)
    if engine.dialect.name == "postgresql":
        assert "alembic_version_routing" not in inspect(engine).get_table_names()


def test_migrations_a_database_with_only_some_tables_is_refused_and_left_alone(engine):
    plans.create(engine)  # one of routing's tables, without its version table: not a create_all database
    with pytest.raises(MigrationError, match="routing_inbox, routing_outbox, routing_partner_cases missing"):
        migrations.upgrade("routing", engine)
    assert set(inspect(engine).get_table_names()) == {"routing_plans"}


@pytest.mark.postgres
def test_migrations_two_upgrades_at_once_take_turns(new_engine):
    """Replicas (or a migration job and a replica) starting together: the advisory lock makes one wait for the
    other, which then finds the schema up to date."""
    engine = new_engine("postgresql")
    barrier, results, errors = Barrier(2), [], []

    def run():
        barrier.wait()
        try:
            results.append(migrations.upgrade("casework", engine))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
    threads = [Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(r["from"] or "" for r in results) == ["", migrations.head("casework")]


def test_migrations_a_service_that_does_not_migrate_on_start_refuses_an_old_schema(engine, monkeypatch):
    monkeypatch.setenv("MIGRATE_ON_START", "false")
    with pytest.raises(MigrationError, match="voorportaal-migrate routing"):
        prepare_schema("routing", engine)
    migrations.upgrade("routing", engine, "0001")
    with pytest.raises(MigrationError, match=f"not at revision {migrations.head('routing')}"):
        prepare_schema("routing", engine)
    migrations.upgrade("routing", engine)
    prepare_schema("routing", engine)  # at head: starts
    monkeypatch.setenv("MIGRATE_ON_START", "true")
    migrations.downgrade("routing", engine, "0001")
    prepare_schema("routing", engine)  # migrates on start (the default)
    assert migrations.is_at_head("routing", engine)
