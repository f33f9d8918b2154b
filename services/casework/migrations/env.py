"""Alembic environment of casework: its own tables (services/casework/tables.py) and version table only."""
from libs.kit.migration_env import run
from services.casework.tables import metadata

run("casework", metadata)
