"""${message}

Revision ${up_revision}, revises ${down_revision | comma,n}; written ${create_date}.
Review it before committing: autogenerate misses renames (it drops and adds), server defaults and CHECK constraints
(docs/storage.md, "How the schema changes").
"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
