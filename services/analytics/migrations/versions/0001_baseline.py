"""analytics's baseline: the schema `metadata.create_all` made before migrations existed, table by table.

Written by autogenerate from services/analytics/tables.py on an empty database, then reviewed (the CHECK constraints on the month, quarter, satisfaction and checksum columns added by hand: autogenerate does not render them). A database made by create_all is
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
    'analytics_case_facts',
    'analytics_erased_cases',
    'analytics_inbox',
    'analytics_outbox',
    'analytics_release_log',
    'analytics_case_clocks',
    'analytics_plan_steps',
)


def upgrade() -> None:
    op.create_table('analytics_case_facts',
    sa.Column('pseudonym', sa.String(length=32), nullable=False),
    sa.Column('received', sa.Boolean(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=True),
    sa.CheckConstraint("month LIKE '____-__'", name='ck_analytics_month'),
    sa.Column('quarter', sa.String(length=7), nullable=True),
    sa.CheckConstraint("quarter LIKE '____-Q_'", name='ck_analytics_quarter'),
    sa.Column('province', sa.Enum('Drenthe', 'Flevoland', 'Friesland', 'Gelderland', 'Groningen', 'Limburg', 'Noord-Brabant', 'Noord-Holland', 'Overijssel', 'Utrecht', 'Zeeland', 'Zuid-Holland', name='analytics_province', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('institution_type', sa.Enum('municipality', 'police', 'bank', 'insurer', 'health_insurer', 'care_provider', 'tax_authority', 'uwv', 'svb', 'kvk', 'landlord', 'employer_or_operator', 'other', name='analytics_institution_type', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('issue', sa.Enum('refused_service', 'account_refused_or_closed', 'rude_treatment', 'discrimination', 'privacy', 'violence', 'exploitation', 'permit', 'other', name='analytics_issue', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('reporter_role', sa.Enum('sex_worker', 'operator', 'support_worker', 'other', name='analytics_reporter_role', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('capacity', sa.Enum('private', 'business', name='analytics_capacity', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('had_prior_complaint', sa.Boolean(), nullable=True),
    sa.Column('signal', sa.Boolean(), nullable=False),
    sa.Column('wants_mediation', sa.Boolean(), nullable=False),
    sa.Column('plan_count', sa.SmallInteger(), nullable=False),
    sa.Column('first_plan_month', sa.String(length=7), nullable=True),
    sa.CheckConstraint("first_plan_month LIKE '____-__'", name='ck_analytics_first_plan_month'),
    sa.Column('deadline_due_count', sa.SmallInteger(), nullable=False),
    sa.Column('stage', sa.Enum('final_answer', 'escalation_available', 'answered', 'filed_waiting', 'not_filed', name='analytics_stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('answered_within_term', sa.Boolean(), nullable=True),
    sa.Column('mediation', sa.Enum('not_requested', 'waiting', 'unmatched', 'assigned', 'closed', name='analytics_mediation', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('mediation_unmatched', sa.Boolean(), nullable=False),
    sa.Column('mediation_outcome', sa.Enum('resolved', 'referred_on', 'withdrawn', 'no_contact', 'not_resolved', name='analytics_mediation_outcome', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('satisfaction', sa.SmallInteger(), nullable=True),
    sa.CheckConstraint('satisfaction BETWEEN 1 AND 5', name='ck_analytics_sat'),
    sa.Column('days_to_referral', sa.Integer(), nullable=True),
    sa.Column('days_to_institution_answer', sa.Integer(), nullable=True),
    sa.Column('days_to_mediator', sa.Integer(), nullable=True),
    sa.Column('days_to_outcome', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('pseudonym')
    )
    with op.batch_alter_table('analytics_case_facts', schema=None) as batch_op:
        batch_op.create_index('ix_analytics_case_facts_first_plan_month', ['first_plan_month'], unique=False)
        batch_op.create_index('ix_analytics_case_facts_month', ['month'], unique=False)

    op.create_table('analytics_erased_cases',
    sa.Column('pseudonym', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('pseudonym')
    )
    op.create_table('analytics_inbox',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('handler', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', 'handler'),
    sa.UniqueConstraint('event_id', 'handler', name='uq_analytics_inbox_event_handler')
    )
    op.create_table('analytics_outbox',
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
    with op.batch_alter_table('analytics_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_analytics_outbox_pending', ['published_at', 'next_attempt_at'], unique=False)

    op.create_table('analytics_release_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_from', sa.String(length=7), nullable=True),
    sa.CheckConstraint("period_from LIKE '____-__'", name='ck_analytics_period_from'),
    sa.Column('period_to', sa.String(length=7), nullable=True),
    sa.CheckConstraint("period_to LIKE '____-__'", name='ck_analytics_period_to'),
    sa.Column('format', sa.Enum('html', 'csv', 'json', name='analytics_release_format', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('threshold', sa.SmallInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.CheckConstraint('length(sha256) = 64', name='ck_analytics_sha256'),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('analytics_case_clocks',
    sa.Column('pseudonym', sa.String(length=32), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('first_plan_on', sa.Date(), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('answer_on', sa.Date(), nullable=True),
    sa.Column('final_answer_on', sa.Date(), nullable=True),
    sa.Column('answer_due', sa.Date(), nullable=True),
    sa.Column('plan_as_of', sa.Date(), nullable=True),
    sa.Column('escalation_on', sa.Date(), nullable=True),
    sa.Column('assigned_on', sa.Date(), nullable=True),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('last_event_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['pseudonym'], ['analytics_case_facts.pseudonym'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pseudonym')
    )
    with op.batch_alter_table('analytics_case_clocks', schema=None) as batch_op:
        batch_op.create_index('ix_analytics_case_clocks_last_event_on', ['last_event_on'], unique=False)

    op.create_table('analytics_plan_steps',
    sa.Column('pseudonym', sa.String(length=32), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('channel_id', sa.String(length=48), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('status', sa.String(length=48), nullable=False),
    sa.ForeignKeyConstraint(['pseudonym'], ['analytics_case_facts.pseudonym'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pseudonym', 'position')
    )


def downgrade() -> None:
    op.drop_table('analytics_plan_steps')
    with op.batch_alter_table('analytics_case_clocks', schema=None) as batch_op:
        batch_op.drop_index('ix_analytics_case_clocks_last_event_on')

    op.drop_table('analytics_case_clocks')
    op.drop_table('analytics_release_log')
    with op.batch_alter_table('analytics_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_analytics_outbox_pending')

    op.drop_table('analytics_outbox')
    op.drop_table('analytics_inbox')
    op.drop_table('analytics_erased_cases')
    with op.batch_alter_table('analytics_case_facts', schema=None) as batch_op:
        batch_op.drop_index('ix_analytics_case_facts_month')
        batch_op.drop_index('ix_analytics_case_facts_first_plan_month')

    op.drop_table('analytics_case_facts')
