"""Alembic environment of intake: its own tables (services/intake/tables.py) and version table only."""
from libs.kit.migration_env import run
from services.intake.tables import metadata

run("intake", metadata)
