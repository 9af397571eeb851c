"""Saved views: a person's named, filtered addresses in the tracker.

Revision ID: 0008_saved_views
Revises: 0007_import_admin
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0008_saved_views'
down_revision = '0007_import_admin'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'savedview',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('partnership_id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('path', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column('created', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('person_id', 'name', name='saved_view_name_once_per_person'),
    )
    with op.batch_alter_table('savedview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_savedview_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_savedview_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('savedview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_savedview_person_id'))
        batch_op.drop_index(batch_op.f('ix_savedview_partnership_id'))
    op.drop_table('savedview')
