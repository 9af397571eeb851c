"""The index that serves "the latest updates of each action", missing from databases made before it.

Revision ID: 0002_statusupdate_latest
Revises: 0001_baseline
"""

from __future__ import annotations

from alembic import op

revision = "0002_statusupdate_latest"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # IF NOT EXISTS: some create_all databases already have it, some (older) do not.
    op.execute("CREATE INDEX IF NOT EXISTS ix_statusupdate_latest ON statusupdate (action_id, update_date, id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_statusupdate_latest")
