"""intake's baseline: the schema `metadata.create_all` made before migrations existed, table by table.

Written by autogenerate from services/intake/tables.py on an empty database, then reviewed. A database made by create_all is
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
    'intake_case_keys',
    'intake_case_status',
    'intake_complaints',
    'intake_idempotency_keys',
    'intake_inbox',
    'intake_key_directory',
    'intake_messages',
    'intake_outbox',
    'intake_attachments',
)


def upgrade() -> None:
    op.create_table('intake_case_keys',
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('case_public_key', sa.String(length=44), nullable=False),
    sa.Column('receipt_wrap', sa.String(length=256), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('reference')
    )
    op.create_table('intake_case_status',
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('plan', sa.JSON(), nullable=True),
    sa.Column('directory_version', sa.String(length=32), nullable=True),
    sa.Column('mediator_assigned_on', sa.Date(), nullable=True),
    sa.Column('mediation_outcome', sa.String(length=24), nullable=True),
    sa.Column('progress', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('reference')
    )
    op.create_table('intake_complaints',
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('receipt_hash', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('institution_type', sa.String(length=32), nullable=False),
    sa.Column('issue', sa.String(length=32), nullable=False),
    sa.Column('municipality', sa.String(length=6), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('reporter_role', sa.String(length=16), nullable=False),
    sa.Column('wants_mediation', sa.Boolean(), nullable=False),
    sa.Column('consent', sa.JSON(), nullable=False),
    sa.Column('sealed_content', sa.Text(), nullable=True),
    sa.Column('wrapped_keys', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('reference')
    )
    op.create_table('intake_idempotency_keys',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('request_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key_hash')
    )
    op.create_table('intake_inbox',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('handler', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', 'handler'),
    sa.UniqueConstraint('event_id', 'handler', name='uq_intake_inbox_event_handler')
    )
    op.create_table('intake_key_directory',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('entries', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('version')
    )
    op.create_table('intake_messages',
    sa.Column('message_id', sa.String(length=32), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('author', sa.String(length=8), nullable=False),
    sa.Column('sealed', sa.Text(), nullable=False),
    sa.Column('request_due', sa.Date(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('message_id')
    )
    with op.batch_alter_table('intake_messages', schema=None) as batch_op:
        batch_op.create_index('ix_intake_messages_reference', ['reference', 'sent_at'], unique=False)

    op.create_table('intake_outbox',
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
    with op.batch_alter_table('intake_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_intake_outbox_pending', ['published_at', 'next_attempt_at'], unique=False)

    op.create_table('intake_attachments',
    sa.Column('attachment_id', sa.String(length=32), nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['intake_messages.message_id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attachment_id')
    )
    with op.batch_alter_table('intake_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_attachments_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_attachments_reference'), ['reference'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('intake_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_attachments_reference'))
        batch_op.drop_index(batch_op.f('ix_intake_attachments_message_id'))

    op.drop_table('intake_attachments')
    with op.batch_alter_table('intake_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_outbox_pending')

    op.drop_table('intake_outbox')
    with op.batch_alter_table('intake_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_messages_reference')

    op.drop_table('intake_messages')
    op.drop_table('intake_key_directory')
    op.drop_table('intake_inbox')
    op.drop_table('intake_idempotency_keys')
    op.drop_table('intake_complaints')
    op.drop_table('intake_case_status')
    op.drop_table('intake_case_keys')
