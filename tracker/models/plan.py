"""The delivery plan: actions and their append-only status updates."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator, model_validator
from sqlalchemy import CheckConstraint, Column, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import FieldError, IdKey, PartnershipKeys, in_values, text_column, utcnow
from tracker.rules.enums import COMPLETE_RAG, RAGS_WITHOUT_NARRATIVE, ActionStatus, RagCode

# --- The delivery plan -----------------------------------------------------------------------


class ActionBase(SQLModel):
    """What a person (or a seed file, or an import) says about an action."""

    title: str = Field(min_length=3, max_length=300)
    description: str = Field(default="", max_length=5000, sa_column=text_column())
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    lead_organisation: str = Field(default="", max_length=200)
    start_date: date | None = None
    due_date: date | None = None
    status: str = Field(default=ActionStatus.NOT_STARTED, max_length=20)
    source: str = Field(default="", max_length=300)  # where the action comes from
    illustrative: bool = False

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value):
        value = value.strip() if isinstance(value, str) else value
        if value not in ActionStatus.values():
            raise ValueError("Choose a status: " + ", ".join(s.replace("_", " ") for s in ActionStatus.values()))
        return str(value)

    @model_validator(mode="after")
    def _dates(self):
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise FieldError("due_date", "The due date cannot be before the start date")
        return self


class ActionKeys(PartnershipKeys):
    subgroup_id: int = Field(foreign_key="subgroup.id", index=True)
    objective_id: int | None = Field(default=None, foreign_key="objective.id", index=True)
    ref: str = Field(max_length=20)  # e.g. "TR-04", unique within the partnership


class Action(ActionBase, ActionKeys, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "ref"),
        CheckConstraint(in_values("status", ActionStatus), name="action_status"),
        CheckConstraint("due_date IS NULL OR start_date IS NULL OR due_date >= start_date",
                        name="action_due_after_start"),
        CheckConstraint("version >= 1", name="action_version_positive"),
    )
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


PROGRESS_HELP = "Enter progress as a whole number from 0 to 100"


class StatusUpdateBase(SQLModel):
    """What an update says: an update is a new row every time, never an overwrite."""

    update_date: date = Field(index=True)
    rag: str = Field(min_length=1, max_length=20)
    progress: int = Field(ge=0, le=100)
    narrative: str = Field(default="", max_length=5000, sa_column=text_column())
    next_steps: str = Field(default="", max_length=5000, sa_column=text_column())
    blockers: str = Field(default="", max_length=5000, sa_column=text_column())

    @field_validator("progress", mode="before")
    @classmethod
    def _whole_number(cls, value):
        if isinstance(value, str):
            value = value.strip().rstrip("%").strip()
            if not value:
                raise ValueError(PROGRESS_HELP)
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(PROGRESS_HELP)
        return value

    @model_validator(mode="after")
    def _rules(self):
        if self.rag == COMPLETE_RAG and self.progress != 100:
            raise FieldError("progress", "A complete (Blue) update must have progress 100%")
        if self.rag not in RAGS_WITHOUT_NARRATIVE and not self.narrative:
            raise FieldError("narrative", "Explain the position in the narrative: it is required for any RAG other than Green")
        return self


class StatusUpdateKeys(IdKey):
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")


class StatusUpdate(StatusUpdateBase, StatusUpdateKeys, table=True):
    """An update to an action: a new row every time, never an overwrite."""

    __table_args__ = (
        CheckConstraint(in_values("rag", RagCode), name="status_update_rag"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="status_update_progress"),
        # Serves "the latest updates of each action" (tracker.services.plan) without a sort.
        Index("ix_statusupdate_latest", "action_id", "update_date", "id"),
    )
    author_id: int | None = Field(default=None, foreign_key="person.id")
    illustrative: bool = False
    created_at: datetime = Field(default_factory=utcnow)
