"""routing's baseline: the schema `metadata.create_all` made before migrations existed, table by table.

Written by autogenerate from services/routing/tables.py on an empty database, then reviewed. A database made by create_all is
stamped at this revision instead of running it (libs/kit/migrations.py). Never edit it: change the schema in a new
revision.
"""
from alembic import op
import sqlalchemy as sa

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

# what a database made by create_all has (checked before stamping it at this revision)
TABLES = (
    'routing_inbox',
    'routing_outbox',
    'routing_partner_cases',
    'routing_plans',
)


def upgrade() -> None:
    op.create_table('routing_inbox',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('handler', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', 'handler'),
    sa.UniqueConstraint('event_id', 'handler', name='uq_routing_inbox_event_handler')
    )
    op.create_table('routing_outbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('exchange', sa.String(length=128), nullable=False),
    sa.Column('routing_key', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    with op.batch_alter_table('routing_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_routing_outbox_pending', ['published_at', 'next_attempt_at'], unique=False)

    op.create_table('routing_partner_cases',
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('case_ref', 'partner_id')
    )
    op.create_table('routing_plans',
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('consent', sa.JSON(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('plan', sa.JSON(), nullable=False),
    sa.Column('directory_version', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('fired_clocks', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('case_ref')
    )


def downgrade() -> None:
    op.drop_table('routing_plans')
    op.drop_table('routing_partner_cases')
    with op.batch_alter_table('routing_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_routing_outbox_pending')

    op.drop_table('routing_outbox')
    op.drop_table('routing_inbox')
