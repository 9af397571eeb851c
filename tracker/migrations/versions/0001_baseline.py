"""Baseline: the schema as the tracker created it before migrations existed (create_all).

A database made then is stamped at this revision and upgraded from here (tracker.migrate.upgrade).

Revision ID: 0001_baseline
Revises: (none)

"""

from __future__ import annotations

from tracker.migrations.baseline import IN_ORDER

revision = '0001_baseline'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    for feature in IN_ORDER:
        feature.create()


def downgrade() -> None:
    for feature in reversed(IN_ORDER):
        feature.drop()
