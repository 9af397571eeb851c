"""Each action's current status (latest RAG, progress, date, update id, previous RAG) kept on its row,
so pages need not find the latest of every action's updates; existing rows are filled from their history.

Revision ID: 0005_stored_current_status
Revises: 0004_sign_in_protection
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel's AutoString)
from alembic import op

revision = '0005_stored_current_status'
down_revision = '0004_sign_in_protection'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latest_rag', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('latest_progress', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('latest_update_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('latest_update_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('previous_rag', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))

    newest = ("(SELECT s.{column} FROM statusupdate s WHERE s.action_id = action.id "
              "ORDER BY s.update_date DESC, s.id DESC LIMIT 1 OFFSET {offset})")
    op.execute("UPDATE action SET "
               + ", ".join(f"{target} = " + newest.format(column=column, offset=offset) for target, column, offset in (
                   ("latest_rag", "rag", 0), ("latest_progress", "progress", 0),
                   ("latest_update_date", "update_date", 0), ("latest_update_id", "id", 0),
                   ("previous_rag", "rag", 1))))


def downgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_column('previous_rag')
        batch_op.drop_column('latest_update_id')
        batch_op.drop_column('latest_update_date')
        batch_op.drop_column('latest_progress')
        batch_op.drop_column('latest_rag')

