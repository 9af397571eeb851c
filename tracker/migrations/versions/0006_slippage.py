"""Slippage: each action's original (baseline) due date, filled from its due date, and the history of
due-date changes with their reasons.

Revision ID: 0006_slippage
Revises: 0005_stored_current_status
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel's AutoString)
from alembic import op

revision = '0006_slippage'
down_revision = '0005_stored_current_status'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('duedatechange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('old_due', sa.Date(), nullable=True),
    sa.Column('new_due', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('duedatechange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duedatechange_action_id'), ['action_id'], unique=False)

    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_due_date', sa.Date(), nullable=True))
    op.execute("UPDATE action SET original_due_date = due_date WHERE original_due_date IS NULL")



def downgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_column('original_due_date')

    with op.batch_alter_table('duedatechange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duedatechange_action_id'))

    op.drop_table('duedatechange')
