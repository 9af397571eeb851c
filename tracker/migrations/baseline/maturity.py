"""Baseline tables: the maturity framework and assessments (as create_all made them before migrations existed)."""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


def create() -> None:
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


def drop() -> None:
    with op.batch_alter_table('maturityscore', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturityscore_assessment_id'))
    op.drop_table('maturityscore')
    with op.batch_alter_table('maturityrating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturityrating_assessment_id'))
    op.drop_table('maturityrating')
    op.drop_table('maturityrater')
    with op.batch_alter_table('maturitydescriptor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturitydescriptor_dimension_id'))
    op.drop_table('maturitydescriptor')
    with op.batch_alter_table('maturityassessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturityassessment_subgroup_id'))
    op.drop_table('maturityassessment')
    with op.batch_alter_table('maturitylevel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturitylevel_framework_id'))
    op.drop_table('maturitylevel')
    with op.batch_alter_table('maturitydimension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturitydimension_framework_id'))
    op.drop_table('maturitydimension')
    with op.batch_alter_table('maturityframework', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturityframework_partnership_id'))
    op.drop_table('maturityframework')
