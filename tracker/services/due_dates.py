"""The baseline due date of an action and the history of its changes, each with the reason given.

An action keeps the first due date it was given (`Action.original_due_date`); every later change of
its due date needs a reason and is kept as a DueDateChange row (tracker.services.actions.edit_action
calls `check_due_change` before writing and `record_due_change` after)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, select

from tracker.models import Action, DueDateChange, Person
from tracker.schemas import nul_free
from tracker.services import audit
from tracker.services.errors import InvalidInput

REASON_FIELD = "due_date_reason"


class DueDateReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=3, max_length=2000)
    _nul_free = nul_free()  # no NUL character in any text (PostgreSQL cannot store one)


def check_due_change(old_due: date | None, new_due: date | None, original_due: date | None,
                     reason: str | None) -> str | None:
    """The reason for moving the due date from `old_due` to `new_due` (validated), or None when no
    reason is needed: the date is unchanged, or the action is given its first due date (which becomes
    its baseline). InvalidInput naming the reason field when one is needed and missing."""
    if old_due == new_due or (old_due is None and original_due is None):
        return None
    text = str(reason or "").strip()
    if not text:
        raise InvalidInput({REASON_FIELD: (
            "Say why the due date is changing: the original due date is kept, and the board sees every "
            "change with its reason")})
    if len(text) < 3 or len(text) > 2000:
        raise InvalidInput({REASON_FIELD: "Give a reason of 3 to 2,000 characters"})
    return DueDateReasonIn(reason=text).reason


def record_due_change(session: Session, actor: Person, action: Action, old_due: date | None,
                      new_due: date | None, reason: str | None) -> DueDateChange | None:
    """After the action is written: the change and its reason (nothing for its first due date, which
    edit_action keeps as the baseline instead: see `baseline`)."""
    if old_due == new_due or reason is None:
        return None
    change = DueDateChange(action_id=action.id, old_due=old_due, new_due=new_due, reason=reason,
                           changed_by_id=actor.id)
    session.add(change)
    session.flush()
    audit.record(session, actor, "create", change, partnership_id=action.partnership_id,
                 summary=f"Due date of {action.ref} moved from {_uk(old_due)} to {_uk(new_due)}: {reason}")
    return change


def _uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "no due date"


def baseline(old_due: date | None, new_due: date | None, original_due: date | None) -> date | None:
    """The original due date after a change from `old_due` to `new_due`: the one already kept, or
    else the first due date the action had (its old one, or the one it is given now)."""
    if original_due is not None:
        return original_due
    return old_due if old_due is not None else new_due


@dataclass
class DueChangeEntry:
    old_due: date | None
    new_due: date | None
    reason: str
    changed_by: str
    changed_at: datetime


def due_changes(session: Session, action_id: int) -> list[DueChangeEntry]:
    """Every change of the action's due date, oldest first, with who made it and why."""
    rows = session.exec(
        select(DueDateChange, Person).join(Person, Person.id == DueDateChange.changed_by_id, isouter=True)
        .where(DueDateChange.action_id == action_id).order_by(DueDateChange.changed_at, DueDateChange.id)
    ).all()
    return [DueChangeEntry(c.old_due, c.new_due, c.reason, p.name if p else "Unknown", c.changed_at)
            for c, p in rows]


def latest_reasons(session: Session, action_ids: list[int]) -> dict[int, str]:
    """The reason given for the latest change of each action's due date (for the board report)."""
    if not action_ids:
        return {}
    found: dict[int, str] = {}
    for change in session.exec(select(DueDateChange).where(DueDateChange.action_id.in_(action_ids))
                               .order_by(DueDateChange.changed_at, DueDateChange.id)):
        found[change.action_id] = change.reason  # later changes overwrite earlier ones
    return found
