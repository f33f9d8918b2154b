"""notification's baseline: the schema `metadata.create_all` made before migrations existed, table by table.

Written by autogenerate from services/notification/tables.py on an empty database, then reviewed. A database made by create_all is
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
    'notification_assignments',
    'notification_complainants',
    'notification_deliveries',
    'notification_inbox',
    'notification_mediators',
    'notification_messages_closed',
    'notification_outbox',
)


def upgrade() -> None:
    op.create_table('notification_assignments',
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('mediator_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('institution_type', sa.String(length=32), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issue', sa.String(length=32), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('municipality', sa.String(length=6), nullable=True),
    sa.Column('answer_due', sa.Date(), nullable=True),
    sa.Column('reminders_sent', sa.Integer(), server_default='0', nullable=False),
    sa.Column('reassignments', sa.Integer(), server_default='0', nullable=False),
    sa.Column('previous_mediators', sa.JSON(), nullable=False),
    sa.Column('reacted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('case_ref')
    )
    op.create_table('notification_complainants',
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('sealed_address', sa.Text(), nullable=True),
    sa.Column('key_id', sa.String(length=16), nullable=True),
    sa.Column('open_steps', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('case_ref')
    )
    op.create_table('notification_deliveries',
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('recipient_id', sa.String(length=64), nullable=False),
    sa.Column('template', sa.String(length=32), nullable=False),
    sa.Column('context', sa.String(length=512), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=64), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('idempotency_key')
    )
    with op.batch_alter_table('notification_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_notification_deliveries_due', ['status', 'next_attempt_at'], unique=False)

    op.create_table('notification_inbox',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('handler', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', 'handler'),
    sa.UniqueConstraint('event_id', 'handler', name='uq_notification_inbox_event_handler')
    )
    op.create_table('notification_mediators',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('provinces', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('conflicts', sa.JSON(), nullable=False),
    sa.Column('webhook_url', sa.String(length=500), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('notification_messages_closed',
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('case_ref')
    )
    op.create_table('notification_outbox',
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
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_notification_outbox_pending', ['published_at', 'next_attempt_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_outbox_pending')

    op.drop_table('notification_outbox')
    op.drop_table('notification_messages_closed')
    op.drop_table('notification_mediators')
    op.drop_table('notification_inbox')
    with op.batch_alter_table('notification_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_deliveries_due')

    op.drop_table('notification_deliveries')
    op.drop_table('notification_complainants')
    op.drop_table('notification_assignments')
