"""Alembic environment of analytics: its own tables (services/analytics/tables.py) and version table only."""
from libs.kit.migration_env import run
from services.analytics.tables import metadata

run("analytics", metadata)
