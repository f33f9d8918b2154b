"""casework's baseline: the schema `metadata.create_all` made before migrations existed, table by table.

Written by autogenerate from services/casework/tables.py on an empty database, then reviewed. A database made by create_all is
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
    'casework_accounts',
    'casework_audit_log',
    'casework_erased_cases',
    'casework_inbox',
    'casework_key_directory',
    'casework_outbox',
    'casework_signin_failures',
    'casework_cases',
    'casework_sessions',
    'casework_attachments',
    'casework_case_items',
    'casework_grants',
    'casework_history',
    'casework_key_wraps',
)


def upgrade() -> None:
    op.create_table('casework_accounts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('mediator_id', sa.String(length=64), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('public_key', sa.String(length=44), nullable=True),
    sa.Column('key_id', sa.String(length=16), nullable=True),
    sa.Column('sealed_private_key', sa.Text(), nullable=True),
    sa.Column('totp_secret_sealed', sa.Text(), nullable=True),
    sa.Column('totp_last_step', sa.Integer(), nullable=False),
    sa.Column('second_factor_confirmed', sa.Boolean(), nullable=False),
    sa.Column('recovery_code_hashes', sa.JSON(), nullable=False),
    sa.Column('setup_code_hash', sa.String(length=64), nullable=True),
    sa.Column('setup_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email'),
    sa.UniqueConstraint('mediator_id')
    )
    with op.batch_alter_table('casework_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casework_accounts_key_id'), ['key_id'], unique=False)

    op.create_table('casework_audit_log',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('case_ref', sa.String(length=16), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('hash')
    )
    op.create_table('casework_erased_cases',
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('case_ref')
    )
    op.create_table('casework_inbox',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('handler', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', 'handler'),
    sa.UniqueConstraint('event_id', 'handler', name='uq_casework_inbox_event_handler')
    )
    op.create_table('casework_key_directory',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('entries', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('version'),
    sa.UniqueConstraint('version', name='uq_casework_key_directory_version')
    )
    op.create_table('casework_outbox',
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
    with op.batch_alter_table('casework_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_casework_outbox_pending', ['published_at', 'next_attempt_at'], unique=False)

    op.create_table('casework_signin_failures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_hash', sa.String(length=32), nullable=False),
    sa.Column('account_hash', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('casework_signin_failures', schema=None) as batch_op:
        batch_op.create_index('ix_casework_signin_failures_pair', ['client_hash', 'account_hash', 'at'], unique=False)

    op.create_table('casework_cases',
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('institution_type', sa.String(length=32), nullable=True),
    sa.Column('issue', sa.String(length=40), nullable=True),
    sa.Column('municipality', sa.String(length=6), nullable=True),
    sa.Column('province', sa.String(length=20), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('reporter_role', sa.String(length=20), nullable=True),
    sa.Column('wants_mediation', sa.Boolean(), nullable=False),
    sa.Column('has_contact', sa.Boolean(), nullable=False),
    sa.Column('consent', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('closure_reason', sa.String(length=24), nullable=True),
    sa.Column('assigned_to', sa.Integer(), nullable=True),
    sa.Column('plan', sa.JSON(), nullable=True),
    sa.Column('directory_version', sa.String(length=32), nullable=True),
    sa.Column('progress', sa.JSON(), nullable=False),
    sa.Column('mediation', sa.JSON(), nullable=False),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('case_public_key', sa.String(length=44), nullable=True),
    sa.Column('first_action_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assigned_to'], ['casework_accounts.id'], ),
    sa.PrimaryKeyConstraint('case_ref')
    )
    with op.batch_alter_table('casework_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casework_cases_assigned_to'), ['assigned_to'], unique=False)
        batch_op.create_index(batch_op.f('ix_casework_cases_next_due'), ['next_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_casework_cases_status'), ['status'], unique=False)
        batch_op.create_index('ix_casework_cases_status_due', ['status', 'next_due'], unique=False)

    op.create_table('casework_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('sealed_private_key', sa.Text(), nullable=True),
    sa.Column('csrf_secret', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['casework_accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash')
    )
    with op.batch_alter_table('casework_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casework_sessions_account_id'), ['account_id'], unique=False)

    op.create_table('casework_attachments',
    sa.Column('attachment_id', sa.String(length=32), nullable=False),
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['case_ref'], ['casework_cases.case_ref'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attachment_id')
    )
    with op.batch_alter_table('casework_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casework_attachments_case_ref'), ['case_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_casework_attachments_message_id'), ['message_id'], unique=False)

    op.create_table('casework_case_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('sealed', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.String(length=32), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('request_due', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['casework_accounts.id'], ),
    sa.ForeignKeyConstraint(['case_ref'], ['casework_cases.case_ref'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_id')
    )
    with op.batch_alter_table('casework_case_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casework_case_items_case_ref'), ['case_ref'], unique=False)

    op.create_table('casework_grants',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('granted_by', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['casework_accounts.id'], ),
    sa.ForeignKeyConstraint(['case_ref'], ['casework_cases.case_ref'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by'], ['casework_accounts.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('casework_grants', schema=None) as batch_op:
        batch_op.create_index('ix_casework_grants_account', ['account_id', 'revoked_at'], unique=False)

    op.create_table('casework_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['casework_accounts.id'], ),
    sa.ForeignKeyConstraint(['case_ref'], ['casework_cases.case_ref'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('casework_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casework_history_case_ref'), ['case_ref'], unique=False)

    op.create_table('casework_key_wraps',
    sa.Column('case_ref', sa.String(length=16), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('wrapped', sa.String(length=256), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_ref'], ['casework_cases.case_ref'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_ref', 'key_id')
    )


def downgrade() -> None:
    op.drop_table('casework_key_wraps')
    with op.batch_alter_table('casework_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casework_history_case_ref'))

    op.drop_table('casework_history')
    with op.batch_alter_table('casework_grants', schema=None) as batch_op:
        batch_op.drop_index('ix_casework_grants_account')

    op.drop_table('casework_grants')
    with op.batch_alter_table('casework_case_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casework_case_items_case_ref'))

    op.drop_table('casework_case_items')
    with op.batch_alter_table('casework_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casework_attachments_message_id'))
        batch_op.drop_index(batch_op.f('ix_casework_attachments_case_ref'))

    op.drop_table('casework_attachments')
    with op.batch_alter_table('casework_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casework_sessions_account_id'))

    op.drop_table('casework_sessions')
    with op.batch_alter_table('casework_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_casework_cases_status_due')
        batch_op.drop_index(batch_op.f('ix_casework_cases_status'))
        batch_op.drop_index(batch_op.f('ix_casework_cases_next_due'))
        batch_op.drop_index(batch_op.f('ix_casework_cases_assigned_to'))

    op.drop_table('casework_cases')
    with op.batch_alter_table('casework_signin_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_casework_signin_failures_pair')

    op.drop_table('casework_signin_failures')
    with op.batch_alter_table('casework_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_casework_outbox_pending')

    op.drop_table('casework_outbox')
    op.drop_table('casework_key_directory')
    op.drop_table('casework_inbox')
    op.drop_table('casework_erased_cases')
    op.drop_table('casework_audit_log')
    with op.batch_alter_table('casework_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casework_accounts_key_id'))

    op.drop_table('casework_accounts')
