"""Risks, contracts and grants (shares, links), comparators and the metric catalogue, the board cycle
(meetings, packs, locks, the update deadline), reminders sent.

Columns added to existing tables get server defaults, so existing rows are valid.

Revision ID: 0003_board_cycle_and_domain
Revises: 0002_statusupdate_latest

"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel's AutoString)
from alembic import op

revision = '0003_board_cycle_and_domain'
down_revision = '0002_statusupdate_latest'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('boardmeeting',
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'meeting_date')
    )
    with op.batch_alter_table('boardmeeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_boardmeeting_meeting_date'), ['meeting_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_boardmeeting_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('boardpack',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('report_json', sa.Text(), nullable=False),
    sa.Column('docx', sa.LargeBinary(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['boardmeeting.id'], ),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('meeting_id')
    )
    with op.batch_alter_table('boardpack', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_boardpack_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_boardpack_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('fundingshare',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('funding_id', sa.Integer(), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('value_gbp', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['funding_id'], ['funding.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('funding_id', 'area')
    )
    with op.batch_alter_table('fundingshare', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fundingshare_funding_id'), ['funding_id'], unique=False)

    op.create_table('periodlock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('locked_until', sa.Date(), nullable=False),
    sa.Column('locked_by_id', sa.Integer(), nullable=True),
    sa.Column('locked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['locked_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['boardmeeting.id'], ),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'locked_until')
    )
    with op.batch_alter_table('periodlock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_periodlock_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('remindersent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('action_refs', sa.Text(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['boardmeeting.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'meeting_id', 'deadline', name='reminder_once_per_deadline')
    )
    with op.batch_alter_table('remindersent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remindersent_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remindersent_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remindersent_person_id'), ['person_id'], unique=False)

    op.create_table('risk',
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('effect', sa.Text(), nullable=False),
    sa.Column('mitigation', sa.Text(), nullable=False),
    sa.Column('inherent_likelihood', sa.Integer(), nullable=False),
    sa.Column('inherent_impact', sa.Integer(), nullable=False),
    sa.Column('residual_likelihood', sa.Integer(), nullable=False),
    sa.Column('residual_impact', sa.Integer(), nullable=False),
    sa.Column('review_date', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'closed')", name='risk_status'),
    sa.CheckConstraint('inherent_impact BETWEEN 1 AND 5', name='risk_inherent_impact_range'),
    sa.CheckConstraint('inherent_likelihood BETWEEN 1 AND 5', name='risk_inherent_likelihood_range'),
    sa.CheckConstraint('residual_impact BETWEEN 1 AND 5', name='risk_residual_impact_range'),
    sa.CheckConstraint('residual_likelihood BETWEEN 1 AND 5', name='risk_residual_likelihood_range'),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'ref')
    )
    with op.batch_alter_table('risk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_theme_id'), ['theme_id'], unique=False)

    op.create_table('riskfunding',
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('funding_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['funding_id'], ['funding.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['risk_id'], ['risk.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('risk_id', 'funding_id')
    )
    op.create_table('riskrating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('rated_on', sa.Date(), nullable=False),
    sa.Column('inherent_likelihood', sa.Integer(), nullable=False),
    sa.Column('inherent_impact', sa.Integer(), nullable=False),
    sa.Column('residual_likelihood', sa.Integer(), nullable=False),
    sa.Column('residual_impact', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('inherent_impact BETWEEN 1 AND 5', name='risk_inherent_impact_range'),
    sa.CheckConstraint('inherent_likelihood BETWEEN 1 AND 5', name='risk_inherent_likelihood_range'),
    sa.CheckConstraint('residual_impact BETWEEN 1 AND 5', name='risk_residual_impact_range'),
    sa.CheckConstraint('residual_likelihood BETWEEN 1 AND 5', name='risk_residual_likelihood_range'),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['risk_id'], ['risk.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('riskrating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_riskrating_risk_id'), ['risk_id'], unique=False)

    op.create_table('actionfunding',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('funding_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['funding_id'], ['funding.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'funding_id')
    )
    op.create_table('comparatorvalue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('area_kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('area_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('area_code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('count', sa.Float(), nullable=True),
    sa.Column('lower_ci', sa.Float(), nullable=True),
    sa.Column('upper_ci', sa.Float(), nullable=True),
    sa.Column('significance', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('recent_trend', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('worst', sa.Float(), nullable=True),
    sa.Column('best', sa.Float(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.CheckConstraint("area_kind IN ('local', 'region', 'england', 'group')", name='comparator_area_kind'),
    sa.CheckConstraint("significance IN ('better', 'similar', 'worse', 'higher', 'lower', 'not_compared', '')", name='comparator_significance'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('indicator_id', 'period', 'area_kind', 'area_name')
    )
    with op.batch_alter_table('comparatorvalue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comparatorvalue_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('indicatorcatalogue',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('dataset', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('geography', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('area_code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('frequency', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('latest_published', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('access', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.CheckConstraint("access IN ('public', 'restricted')", name='catalogue_access'),
    sa.CheckConstraint("frequency IN ('monthly', 'quarterly', 'annual', 'ad_hoc')", name='catalogue_frequency'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('indicator_id')
    )
    op.create_table('riskaction',
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['risk_id'], ['risk.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('risk_id', 'action_id')
    )
    with op.batch_alter_table('funding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commissioning_body', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('funded_by', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('start_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('extension_options', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('conditions', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('replaces', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False, server_default=''))

    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('update_deadline_working_days', sa.Integer(), nullable=False, server_default='10'))



def downgrade() -> None:
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.drop_column('update_deadline_working_days')

    with op.batch_alter_table('funding', schema=None) as batch_op:
        batch_op.drop_column('replaces')
        batch_op.drop_column('conditions')
        batch_op.drop_column('extension_options')
        batch_op.drop_column('start_date')
        batch_op.drop_column('funded_by')
        batch_op.drop_column('commissioning_body')

    op.drop_table('riskaction')
    op.drop_table('indicatorcatalogue')
    with op.batch_alter_table('comparatorvalue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comparatorvalue_indicator_id'))

    op.drop_table('comparatorvalue')
    op.drop_table('actionfunding')
    with op.batch_alter_table('riskrating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_riskrating_risk_id'))

    op.drop_table('riskrating')
    op.drop_table('riskfunding')
    with op.batch_alter_table('risk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_theme_id'))
        batch_op.drop_index(batch_op.f('ix_risk_partnership_id'))

    op.drop_table('risk')
    with op.batch_alter_table('remindersent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remindersent_person_id'))
        batch_op.drop_index(batch_op.f('ix_remindersent_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_remindersent_meeting_id'))

    op.drop_table('remindersent')
    with op.batch_alter_table('periodlock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_periodlock_partnership_id'))

    op.drop_table('periodlock')
    with op.batch_alter_table('fundingshare', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fundingshare_funding_id'))

    op.drop_table('fundingshare')
    with op.batch_alter_table('boardpack', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_boardpack_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_boardpack_meeting_id'))

    op.drop_table('boardpack')
    with op.batch_alter_table('boardmeeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_boardmeeting_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_boardmeeting_meeting_date'))

    op.drop_table('boardmeeting')
