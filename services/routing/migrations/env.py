"""Alembic environment of routing: its own tables (services/routing/tables.py) and version table only."""
from libs.kit.migration_env import run
from services.routing.tables import metadata

run("routing", metadata)
