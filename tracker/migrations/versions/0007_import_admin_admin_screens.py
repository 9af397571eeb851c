"""Admin screens: an expiry date on embed tokens; themes and objectives an administrator can retire.

Revision ID: 0007_import_admin
Revises: 0006_slippage
Create Date: 2026-12-02 04:52:45.506927
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel's AutoString)
from alembic import op

revision = '0007_import_admin'
down_revision = '0006_slippage'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('embedtoken', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_on', sa.Date(), nullable=True))

    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_column('retired')

    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.drop_column('retired')

    with op.batch_alter_table('embedtoken', schema=None) as batch_op:
        batch_op.drop_column('expires_on')

