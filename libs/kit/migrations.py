"""Schema migrations: one Alembic environment per service, applied with `upgrade head`.

Each service owns its tables (prefixed with its name, defined in services/<service>/tables.py), so each has its own
migration directory (services/<service>/migrations/, env.py + versions/) and its own version table
(`alembic_version_<service>`): the services can share one database and still change their schemas independently.
docs/storage.md, "How the schema changes", explains the workflow; docs/operations.md the upgrade of an installation.

- `upgrade(service, engine)`: bring the service's schema to the newest revision. A database whose tables were made by
  `metadata.create_all` before migrations existed (the tables are there, the version table is not) is adopted: stamped
  at the newest revision if it already has exactly that schema, else at the baseline (the schema create_all made
  before migrations), and upgraded from there; if the result is not exactly tables.py, nothing is kept. On
  PostgreSQL the whole step holds an advisory lock per service, so replicas or a migration job starting at the same
  moment run it one after the other.
- `is_at_head(service, engine)`: whether the database is at the newest revision (a service that does not migrate on
  start refuses to start otherwise, see libs/kit/dependencies.py).
"""
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, text

from libs.kit.db import outbox_table
from libs.kit.migration_errors import MigrationError  # noqa: F401 - raised here; callers import it from here too
from libs.kit.migration_filters import comparison_options

SERVICES_DIR = Path(__file__).resolve().parents[2] / "services"
BASELINE = "0001"  # each service's first revision: the schema that create_all made before migrations existed


def version_table(service: str) -> str:
    return f"alembic_version_{service}"


def migrations_dir(service: str) -> Path:
    return SERVICES_DIR / service / "migrations"


def alembic_config(service: str, connection=None) -> Config:
    """Alembic's configuration for one service, built in code (there is no alembic.ini). The connection, when
    given, is the one env.py runs on (shared so that the advisory lock and the migration are one transaction)."""
    directory = migrations_dir(service)
    if not (directory / "env.py").is_file():
        raise MigrationError(f"no migration environment for {service!r} at {directory}")
    config = Config()
    config.set_main_option("script_location", str(directory))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["service"] = service
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory(service: str) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(service))


def head(service: str) -> str:
    return script_directory(service).get_current_head()


def current(service: str, connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": version_table(service)})
    return context.get_current_revision()


def is_at_head(service: str, engine) -> bool:
    with engine.connect() as connection:
        return current(service, connection) == head(service)


def baseline_tables(service: str) -> tuple:
    """The tables the baseline revision creates (its module's TABLES, written with it)."""
    return tuple(script_directory(service).get_revision(BASELINE).module.TABLES)


def _lock(connection, service: str) -> None:
    # held until the transaction ends; SQLite has one writer at a time anyway
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                           {"key": f"voorportaal-migrate:{service}"})


def target_metadata(service: str):
    """The service's tables (services/<service>/tables.py), as its env.py hands them to Alembic: this library
    imports no service."""
    config = alembic_config(service)
    config.attributes["load_only"] = True
    script = ScriptDirectory.from_config(config)
    with EnvironmentContext(config, script):
        script.run_env()
    return config.attributes["target_metadata"]


def differences(service: str, connection) -> list:
    """What autogenerate would change to make the database's tables of `service` equal its tables.py."""
    context = MigrationContext.configure(connection, opts=comparison_options(service))
    return compare_metadata(context, target_metadata(service))


def _stamp_if_made_by_create_all(service: str, connection) -> str | None:
    """A database made by create_all before migrations: the service's tables there, no version table. Stamp it
    (nothing is created or changed) at the newest revision when it has exactly that schema (made by create_all of
    today's tables.py: test databases), else at the baseline, so the later revisions apply on top. Returns the
    revision stamped, or None for a database that needs no adoption."""
    names = set(inspect(connection).get_table_names())
    if version_table(service) in names:
        return None
    if not any(name.startswith(f"{service}_") for name in names):
        return None  # an empty database (for this service): the baseline creates everything
    missing = sorted(set(baseline_tables(service)) - names)
    if missing == [f"{service}_outbox"]:
        # before migrations the relay made its outbox table itself: analytics' service never did (its outbox came
        # with this change), so an analytics database whose relay never ran lacks it. Make it as the relay did.
        outbox_table(MetaData(), service).create(connection)
        missing = []
    if missing:
        raise MigrationError(
            f"{service}: some of its tables exist but not all ({', '.join(missing)} missing) and there is no "
            f"{version_table(service)} table: this database was not made by create_all of the release before "
            "migrations. Start that release once (its create_all adds the missing tables), then migrate again "
            "(docs/operations.md, \"Schema migrations\").")
    revision = head(service) if not differences(service, connection) else BASELINE
    command.stamp(alembic_config(service, connection), revision)
    return revision


def upgrade(service: str, engine, revision: str = "head") -> dict:
    """Bring the service's schema to `revision` (newest by default) in one transaction. Returns what happened:
    {"from": revision before or None, "to": revision after, "stamped": the revision a create_all database was
    stamped at before upgrading, or None}."""
    with engine.begin() as connection:
        _lock(connection, service)
        stamped = _stamp_if_made_by_create_all(service, connection)
        before = current(service, connection)
        command.upgrade(alembic_config(service, connection), revision)
        after = current(service, connection)
        if stamped and after == head(service):
            found = differences(service, connection)
            if found:
                # the transaction rolls back: on PostgreSQL the database stays as create_all left it
                first = found[0][0] if isinstance(found[0], tuple) else found[0][0][0]
                raise MigrationError(
                    f"{service}: a database made by create_all was adopted, but its schema then still differs from "
                    f"tables.py in {len(found)} place(s) (first: {first}); the migration was rolled back. Compare "
                    "it with the baseline revision (docs/operations.md, \"Schema migrations\").")
        return {"from": before, "to": after, "stamped": stamped}


def downgrade(service: str, engine, revision: str) -> dict:
    with engine.begin() as connection:
        _lock(connection, service)
        before = current(service, connection)
        command.downgrade(alembic_config(service, connection), revision)
        return {"from": before, "to": current(service, connection)}
