"""Baseline: the schema as the tracker created it before migrations existed (create_all).

A database made then is stamped at this revision and upgraded from here (tracker.migrate.upgrade).

Revision ID: 0001_baseline
Revises: (none)

"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel's AutoString)
from alembic import op

revision = '0001_baseline'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('partnership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('chair_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sro_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('strategy_start', sa.Date(), nullable=True),
    sa.Column('strategy_end', sa.Date(), nullable=True),
    sa.Column('rag_scale', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('stale_after_days', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_slug'), ['slug'], unique=True)

    op.create_table('funding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('provider_or_funder', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('financial_year', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('value_gbp', sa.Float(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('grant', 'contract')", name='funding_kind'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('funding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('maturityframework',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'version')
    )
    with op.batch_alter_table('maturityframework', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_maturityframework_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('strategic', 'intermediate')", name='outcome_kind'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'code')
    )
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('job_title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sector', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'chair', 'member', 'viewer')", name='person_role'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_email'), ['email'], unique=True)
        batch_op.create_index(batch_op.f('ix_person_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('raglevel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('definition', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('colour', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('text_colour', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('symbol', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint("code IN ('green', 'amber_green', 'amber', 'amber_red', 'red', 'blue', 'grey')", name='rag_level_code'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'code')
    )
    with op.batch_alter_table('raglevel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_raglevel_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'name'),
    sa.UniqueConstraint('partnership_id', 'number')
    )
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('auditevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('verb', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('entity_type', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditevent_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditevent_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditevent_entity_type'), ['entity_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditevent_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('embedtoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('embedtoken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_embedtoken_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('maturitydimension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['maturityframework.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('framework_id', 'key')
    )
    with op.batch_alter_table('maturitydimension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_maturitydimension_framework_id'), ['framework_id'], unique=False)

    op.create_table('maturitylevel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name='maturity_level_range'),
    sa.ForeignKeyConstraint(['framework_id'], ['maturityframework.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('framework_id', 'level')
    )
    with op.batch_alter_table('maturitylevel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_maturitylevel_framework_id'), ['framework_id'], unique=False)

    op.create_table('objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'code')
    )
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_theme_id'), ['theme_id'], unique=False)

    op.create_table('subgroup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('forming', 'active', 'paused', 'closed')", name='subgroup_status'),
    sa.ForeignKeyConstraint(['lead_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'code'),
    sa.UniqueConstraint('partnership_id', 'name')
    )
    with op.batch_alter_table('subgroup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subgroup_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('subgroup_id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=True),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('lead_organisation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'complete', 'cancelled')", name='action_status'),
    sa.CheckConstraint('due_date IS NULL OR start_date IS NULL OR due_date >= start_date', name='action_due_after_start'),
    sa.CheckConstraint('version >= 1', name='action_version_positive'),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subgroup_id'], ['subgroup.id'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'ref')
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_objective_id'), ['objective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_subgroup_id'), ['subgroup_id'], unique=False)

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=True),
    sa.Column('objective_id', sa.Integer(), nullable=True),
    sa.Column('is_national', sa.Boolean(), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_period', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.CheckConstraint("direction IN ('higher', 'lower')", name='indicator_direction'),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], ),
    sa.ForeignKeyConstraint(['outcome_id'], ['outcome.id'], ),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'code')
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_objective_id'), ['objective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_outcome_id'), ['outcome_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('maturityassessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subgroup_id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('agreed_by_id', sa.Integer(), nullable=True),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('signed_off_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_off_on', sa.Date(), nullable=True),
    sa.Column('chair_comment', sa.Text(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'agreed', 'signed_off')", name='assessment_status'),
    sa.ForeignKeyConstraint(['agreed_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['framework_id'], ['maturityframework.id'], ),
    sa.ForeignKeyConstraint(['opened_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['signed_off_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['subgroup_id'], ['subgroup.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('maturityassessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_maturityassessment_subgroup_id'), ['subgroup_id'], unique=False)

    op.create_table('maturitydescriptor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dimension_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name='maturity_descriptor_range'),
    sa.ForeignKeyConstraint(['dimension_id'], ['maturitydimension.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dimension_id', 'level')
    )
    with op.batch_alter_table('maturitydescriptor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_maturitydescriptor_dimension_id'), ['dimension_id'], unique=False)

    op.create_table('objectiveoutcome',
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_id'], ['outcome.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('objective_id', 'outcome_id')
    )
    op.create_table('subgroupmember',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subgroup_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.CheckConstraint("role IN ('lead', 'deputy', 'member')", name='member_role'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subgroup_id'], ['subgroup.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('subgroup_id', 'person_id')
    )
    with op.batch_alter_table('subgroupmember', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subgroupmember_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subgroupmember_subgroup_id'), ['subgroup_id'], unique=False)

    op.create_table('subgrouptheme',
    sa.Column('subgroup_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['subgroup_id'], ['subgroup.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('subgroup_id', 'theme_id')
    )
    op.create_table('termsofreference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subgroup_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('responsibilities', sa.Text(), nullable=False),
    sa.Column('membership', sa.Text(), nullable=False),
    sa.Column('quorum', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('meeting_frequency', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('reports_to', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('review_due', sa.Date(), nullable=True),
    sa.Column('change_note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('version >= 1', name='tor_version_positive'),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['subgroup_id'], ['subgroup.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('subgroup_id', 'version')
    )
    with op.batch_alter_table('termsofreference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_termsofreference_subgroup_id'), ['subgroup_id'], unique=False)

    op.create_table('actionindicator',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'indicator_id')
    )
    op.create_table('actionoutcome',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_id'], ['outcome.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'outcome_id')
    )
    op.create_table('indicatorvalue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('indicator_id', 'period')
    )
    with op.batch_alter_table('indicatorvalue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicatorvalue_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('maturityrater',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['maturityassessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'person_id')
    )
    op.create_table('maturityrating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=False),
    sa.Column('dimension_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('improvement', sa.Text(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('score IS NULL OR score BETWEEN 1 AND 5', name='rating_score_range'),
    sa.ForeignKeyConstraint(['assessment_id'], ['maturityassessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dimension_id'], ['maturitydimension.id'], ),
    sa.ForeignKeyConstraint(['rater_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assessment_id', 'rater_id', 'dimension_id')
    )
    with op.batch_alter_table('maturityrating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_maturityrating_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('maturityscore',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('dimension_id', sa.Integer(), nullable=False),
    sa.Column('agreed_score', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('improvement', sa.Text(), nullable=False),
    sa.Column('moderated_score', sa.Integer(), nullable=True),
    sa.Column('moderation_comment', sa.Text(), nullable=False),
    sa.Column('improvement_action_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('agreed_score BETWEEN 1 AND 5', name='score_agreed_range'),
    sa.CheckConstraint('moderated_score IS NULL OR moderated_score BETWEEN 1 AND 5', name='score_moderated_range'),
    sa.ForeignKeyConstraint(['assessment_id'], ['maturityassessment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dimension_id'], ['maturitydimension.id'], ),
    sa.ForeignKeyConstraint(['improvement_action_id'], ['action.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assessment_id', 'dimension_id')
    )
    with op.batch_alter_table('maturityscore', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_maturityscore_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('statusupdate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('update_date', sa.Date(), nullable=False),
    sa.Column('rag', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('blockers', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("rag IN ('green', 'amber_green', 'amber', 'amber_red', 'red', 'blue', 'grey')", name='status_update_rag'),
    sa.CheckConstraint('progress >= 0 AND progress <= 100', name='status_update_progress'),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('statusupdate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statusupdate_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statusupdate_update_date'), ['update_date'], unique=False)

    op.create_table('torinterdependency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tor_id', sa.Integer(), nullable=False),
    sa.Column('other_subgroup_id', sa.Integer(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['other_subgroup_id'], ['subgroup.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tor_id'], ['termsofreference.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('torinterdependency', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_torinterdependency_tor_id'), ['tor_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('torinterdependency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_torinterdependency_tor_id'))

    op.drop_table('torinterdependency')
    with op.batch_alter_table('statusupdate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statusupdate_update_date'))
        batch_op.drop_index(batch_op.f('ix_statusupdate_action_id'))

    op.drop_table('statusupdate')
    with op.batch_alter_table('maturityscore', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturityscore_assessment_id'))

    op.drop_table('maturityscore')
    with op.batch_alter_table('maturityrating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturityrating_assessment_id'))

    op.drop_table('maturityrating')
    op.drop_table('maturityrater')
    with op.batch_alter_table('indicatorvalue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicatorvalue_indicator_id'))

    op.drop_table('indicatorvalue')
    op.drop_table('actionoutcome')
    op.drop_table('actionindicator')
    with op.batch_alter_table('termsofreference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_termsofreference_subgroup_id'))

    op.drop_table('termsofreference')
    op.drop_table('subgrouptheme')
    with op.batch_alter_table('subgroupmember', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subgroupmember_subgroup_id'))
        batch_op.drop_index(batch_op.f('ix_subgroupmember_person_id'))

    op.drop_table('subgroupmember')
    op.drop_table('objectiveoutcome')
    with op.batch_alter_table('maturitydescriptor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturitydescriptor_dimension_id'))

    op.drop_table('maturitydescriptor')
    with op.batch_alter_table('maturityassessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturityassessment_subgroup_id'))

    op.drop_table('maturityassessment')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_outcome_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_objective_id'))

    op.drop_table('indicator')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_subgroup_id'))
        batch_op.drop_index(batch_op.f('ix_action_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_action_owner_id'))
        batch_op.drop_index(batch_op.f('ix_action_objective_id'))

    op.drop_table('action')
    with op.batch_alter_table('subgroup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subgroup_partnership_id'))

    op.drop_table('subgroup')
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_theme_id'))
        batch_op.drop_index(batch_op.f('ix_objective_partnership_id'))

    op.drop_table('objective')
    with op.batch_alter_table('maturitylevel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturitylevel_framework_id'))

    op.drop_table('maturitylevel')
    with op.batch_alter_table('maturitydimension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturitydimension_framework_id'))

    op.drop_table('maturitydimension')
    with op.batch_alter_table('embedtoken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_embedtoken_partnership_id'))

    op.drop_table('embedtoken')
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditevent_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_auditevent_entity_type'))
        batch_op.drop_index(batch_op.f('ix_auditevent_at'))
        batch_op.drop_index(batch_op.f('ix_auditevent_actor_id'))

    op.drop_table('auditevent')
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_partnership_id'))

    op.drop_table('theme')
    with op.batch_alter_table('raglevel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_raglevel_partnership_id'))

    op.drop_table('raglevel')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_person_email'))

    op.drop_table('person')
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_partnership_id'))

    op.drop_table('outcome')
    with op.batch_alter_table('maturityframework', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturityframework_partnership_id'))

    op.drop_table('maturityframework')
    with op.batch_alter_table('funding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_partnership_id'))

    op.drop_table('funding')
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnership_slug'))

    op.drop_table('partnership')
