"""Baseline tables: subgroups, members, terms of reference (as create_all made them before migrations existed)."""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


def create() -> None:
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


def drop() -> None:
    with op.batch_alter_table('torinterdependency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_torinterdependency_tor_id'))
    op.drop_table('torinterdependency')
    with op.batch_alter_table('termsofreference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_termsofreference_subgroup_id'))
    op.drop_table('termsofreference')
    op.drop_table('subgrouptheme')
    with op.batch_alter_table('subgroupmember', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subgroupmember_subgroup_id'))
        batch_op.drop_index(batch_op.f('ix_subgroupmember_person_id'))
    op.drop_table('subgroupmember')
    with op.batch_alter_table('subgroup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subgroup_partnership_id'))
    op.drop_table('subgroup')
