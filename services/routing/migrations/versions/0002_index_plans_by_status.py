"""index plans by status

Revision 0002, revises 0001; written 2026-12-04 10:25:37.012987.
The clock timer reads the open plans every tick; without an index that is a scan of every plan ever made.
On PostgreSQL CREATE INDEX blocks writes to the table while it builds: seconds at today's sizes.
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('routing_plans', schema=None) as batch_op:
        batch_op.create_index('ix_routing_plans_status', ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('routing_plans', schema=None) as batch_op:
        batch_op.drop_index('ix_routing_plans_status')

