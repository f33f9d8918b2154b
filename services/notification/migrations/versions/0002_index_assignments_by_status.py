"""index assignments by status

Revision 0002, revises 0001; written 2026-12-04 10:25:33.370831.
The open-assignment gauge (5 Hz), each mediator's load and the SLA check select assignments by status;
without an index each is a scan of every assignment ever made (docs/bench.md, growth table).
On PostgreSQL CREATE INDEX blocks writes to the table while it builds: seconds at today's sizes.
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notification_assignments', schema=None) as batch_op:
        batch_op.create_index('ix_notification_assignments_status', ['status', 'assigned_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notification_assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_assignments_status')

