"""Alembic environment of notification: its own tables (services/notification/tables.py) and version table only."""
from libs.kit.migration_env import run
from services.notification.tables import metadata

run("notification", metadata)
