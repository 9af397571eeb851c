"""The index that serves "an indicator's latest value" (tracker.services.indicators.views._latest_columns).

Revision ID: 0010_indicator_latest
Revises: 0009_importx
"""

from __future__ import annotations

from alembic import op

revision = "0010_indicator_latest"
down_revision = "0009_importx"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_indicatorvalue_latest ON indicatorvalue (indicator_id, period_end DESC, id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_indicatorvalue_latest")
