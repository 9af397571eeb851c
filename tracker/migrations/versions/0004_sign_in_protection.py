"""Sign-in protection: the lockout count per email, and each person's session epoch (existing rows 0).

Revision ID: 0004_sign_in_protection
Revises: 0003_board_cycle_and_domain

"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel's AutoString)
from alembic import op

revision = '0004_sign_in_protection'
down_revision = '0003_board_cycle_and_domain'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('accountlockout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('accountlockout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountlockout_email'), ['email'], unique=True)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), nullable=False, server_default='0'))



def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')

    with op.batch_alter_table('accountlockout', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountlockout_email'))

    op.drop_table('accountlockout')
