"""The error of the schema step, in a module of its own: a running service raises it (libs/kit/dependencies.py)
without importing Alembic, which only the migration step needs (libs/kit/migrations.py, migrate_cli.py)."""


class MigrationError(Exception):
    """The schema cannot be brought to the newest revision safely; the message says why and what to do."""
