"""The delivery plan: actions and their append-only status updates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import in_values, utcnow
from tracker.rules.enums import ActionStatus, RagCode

# --- The delivery plan -----------------------------------------------------------------------


class Action(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "ref"),
        CheckConstraint(in_values("status", ActionStatus), name="action_status"),
        CheckConstraint("due_date IS NULL OR start_date IS NULL OR due_date >= start_date",
                        name="action_due_after_start"),
        CheckConstraint("version >= 1", name="action_version_positive"),
    )
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    subgroup_id: int = Field(foreign_key="subgroup.id", index=True)
    objective_id: int | None = Field(default=None, foreign_key="objective.id", index=True)
    ref: str = Field(max_length=20)  # e.g. "TR-04", unique within the partnership
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    lead_organisation: str = Field(default="", max_length=200)
    start_date: date | None = None
    due_date: date | None = None
    status: str = Field(default=ActionStatus.NOT_STARTED, max_length=20)
    source: str = Field(default="", max_length=300)  # where the action comes from
    illustrative: bool = False
    # Optimistic lock: every edit is UPDATE ... WHERE version = <the version the editor saw>.
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")


class ActionOutcome(SQLModel, table=True):
    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    outcome_id: int = Field(foreign_key="outcome.id", primary_key=True, ondelete="CASCADE")


class ActionIndicator(SQLModel, table=True):
    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    indicator_id: int = Field(foreign_key="indicator.id", primary_key=True, ondelete="CASCADE")


class StatusUpdate(SQLModel, table=True):
    """An update to an action: a new row every time, never an overwrite."""

    __table_args__ = (
        CheckConstraint(in_values("rag", RagCode), name="status_update_rag"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="status_update_progress"),
        # Serves "the latest updates of each action" (tracker.services.plan) without a sort.
        Index("ix_statusupdate_latest", "action_id", "update_date", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")
    update_date: date = Field(index=True)
    rag: str = Field(max_length=20)
    progress: int
    narrative: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    next_steps: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    blockers: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    author_id: int | None = Field(default=None, foreign_key="person.id")
    illustrative: bool = False
    created_at: datetime = Field(default_factory=utcnow)
