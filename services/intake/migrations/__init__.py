"""intake's Alembic migration environment (libs/kit/migrations.py; docs/storage.md, "How the schema changes")."""
