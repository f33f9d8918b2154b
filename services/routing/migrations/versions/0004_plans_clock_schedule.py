"""plans: the day the next clock comes due, and the overdue deadlines

Revision 0004, revises 0003; written 2026-12-04 17:05.
The clock timer read every open plan every minute (with a million plans stored: 1.7 s of reading and many seconds
of Python, routing stalled meanwhile). It now reads the plans whose `next_clock_on` has come (or is NULL: not
computed yet; the timer fills it in, in batches, for plans made before this revision) through an index that also
holds the count the overdue gauge sums. On PostgreSQL ADD COLUMN with a constant default does not rewrite the
table; CREATE INDEX blocks writes to it while it builds.
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('routing_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_clock_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('overdue_deadlines', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_routing_plans_clocks', ['status', 'next_clock_on', 'overdue_deadlines'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('routing_plans', schema=None) as batch_op:
        batch_op.drop_index('ix_routing_plans_clocks')
        batch_op.drop_column('overdue_deadlines')
        batch_op.drop_column('next_clock_on')
