"""Re-importing a council's sheet: its own reference on each action, the column choices remembered per
layout; and whether embedded subgroup views list the members.

Revision ID: 0009_importx
Revises: 0008_saved_views
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0009_importx'
down_revision = '0008_saved_views'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'importmapping',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partnership_id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('headings', sa.Text(), nullable=False),
        sa.Column('layout', sa.Text(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['person.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('partnership_id', 'fingerprint', name='import_mapping_once_per_layout'),
    )
    with op.batch_alter_table('importmapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_importmapping_partnership_id'), ['partnership_id'], unique=False)

    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_ref', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.create_unique_constraint('action_external_ref_once_per_partnership',
                                          ['partnership_id', 'external_ref'])

    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('embed_show_members', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.drop_column('embed_show_members')

    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_constraint('action_external_ref_once_per_partnership', type_='unique')
        batch_op.drop_column('external_ref')

    with op.batch_alter_table('importmapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_importmapping_partnership_id'))
    op.drop_table('importmapping')
