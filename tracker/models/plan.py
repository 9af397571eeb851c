"""The delivery plan: actions and their append-only status updates."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator, model_validator
from sqlalchemy import CheckConstraint, Column, Index, Integer, Text, UniqueConstraint, event, select, update
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
        # A council's own reference for the action ("1.1" in its spreadsheet), by which a re-import of
        # that sheet finds it again: once per partnership where set (NULLs never clash).
        UniqueConstraint("partnership_id", "external_ref", name="action_external_ref_once_per_partnership"),
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
    # The baseline: the first due date the action was given. Set when it is created (or first given a
    # due date) and never changed afterwards, so slippage is measured against it (DueDateChange).
    original_due_date: date | None = None
    # Its current status, stored: the newest status update's RAG, progress, date and id, and the RAG of
    # the update before it. Derived from the append-only history and rewritten in the same
    # transaction as every new update (store_current_status below), so the plan views read one row
    # per action instead of ranking every update. None while the action has no update.
    latest_rag: str | None = Field(default=None, max_length=20)
    latest_progress: int | None = None
    latest_update_date: date | None = None
    latest_update_id: int | None = None  # no foreign key: the history points at the action, not back
    previous_rag: str | None = Field(default=None, max_length=20)
    # The partnership's own reference (tracker.services.excel: their_ref), None when not given.
    external_ref: str | None = Field(default=None, max_length=40)


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


# --- The stored current status ------------------------------------------------------------------


def _newest(column, offset: int = 0):
    """A scalar subquery: `column` of the action's newest update (or the one before, offset 1)."""
    return (select(column).where(StatusUpdate.action_id == Action.id)
            .order_by(StatusUpdate.update_date.desc(), StatusUpdate.id.desc())
            .limit(1).offset(offset).scalar_subquery())


def store_current_status(connection, action_ids: list[int] | None = None,
                         partnership_id: int | None = None) -> None:
    """Rewrite the stored current status of some actions (or of a partnership's, or of all) from their
    updates. One UPDATE, each value an index seek on ix_statusupdate_latest."""
    statement = update(Action).values(
        latest_rag=_newest(StatusUpdate.rag), latest_progress=_newest(StatusUpdate.progress),
        latest_update_date=_newest(StatusUpdate.update_date), latest_update_id=_newest(StatusUpdate.id),
        previous_rag=_newest(StatusUpdate.rag, offset=1))
    if action_ids is not None:
        statement = statement.where(Action.id.in_(action_ids or [-1]))
    if partnership_id is not None:
        statement = statement.where(Action.partnership_id == partnership_id)
    connection.execute(statement.execution_options(synchronize_session=False))


@event.listens_for(StatusUpdate, "after_insert")
def _store_after_insert(_mapper, connection, target: StatusUpdate) -> None:
    """Every status update written through the ORM updates its action's stored status, in the same
    transaction (bulk inserts through Core call store_current_status themselves)."""
    store_current_status(connection, [target.action_id])
class DueDateChange(SQLModel, table=True):
    """A change of an action's due date, with the reason given for it: the history of its slippage."""
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")
    old_due: date | None = None
    new_due: date | None = None
    reason: str = Field(sa_column=Column(Text, nullable=False))
    changed_by_id: int | None = Field(default=None, foreign_key="person.id")
    changed_at: datetime = Field(default_factory=utcnow)
