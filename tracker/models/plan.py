"""The delivery plan: actions and their append-only status updates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Index, Integer, Text, UniqueConstraint, event, select, update
from sqlmodel import Field, SQLModel

from tracker.models.base import ACTION_STATUSES, RAG_CODES, in_values, utcnow

# --- The delivery plan -----------------------------------------------------------------------


class Action(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "ref"),
        CheckConstraint(in_values("status", ACTION_STATUSES), name="action_status"),
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
    # The baseline: the first due date the action was given. Set when it is created (or first given a
    # due date) and never changed afterwards, so slippage is measured against it (DueDateChange).
    original_due_date: date | None = None
    status: str = Field(default="not_started", max_length=20)
    source: str = Field(default="", max_length=300)  # where the action comes from
    illustrative: bool = False
    # Optimistic lock: every edit is UPDATE ... WHERE version = <the version the editor saw>.
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    # Its current status, stored: the newest status update's RAG, progress, date and id, and the RAG of
    # the update before it. Derived from the append-only history and rewritten in the same
    # transaction as every new update (store_current_status below), so the plan views read one row
    # per action instead of ranking every update. None while the action has no update.
    latest_rag: str | None = Field(default=None, max_length=20)
    latest_progress: int | None = None
    latest_update_date: date | None = None
    latest_update_id: int | None = None  # no foreign key: the history points at the action, not back
    previous_rag: str | None = Field(default=None, max_length=20)


class ActionOutcome(SQLModel, table=True):
    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    outcome_id: int = Field(foreign_key="outcome.id", primary_key=True, ondelete="CASCADE")


class ActionIndicator(SQLModel, table=True):
    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    indicator_id: int = Field(foreign_key="indicator.id", primary_key=True, ondelete="CASCADE")


class StatusUpdate(SQLModel, table=True):
    """An update to an action: a new row every time, never an overwrite."""

    __table_args__ = (
        CheckConstraint(in_values("rag", RAG_CODES), name="status_update_rag"),
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
