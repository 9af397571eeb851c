"""What an action's page shows: its details, its history of updates, the outcomes and indicators it
serves, and the choices its edit form offers. Reading only; changes are in tracker.services.actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from tracker.models import (
    Action,
    ActionIndicator,
    ActionOutcome,
    Indicator,
    Objective,
    Outcome,
    Person,
    StatusUpdate,
    Subgroup,
)
from tracker.services import due_dates, reference
from tracker.services.errors import NotFound
from tracker.services.permissions import can_edit_action, can_update_action, is_admin
from tracker.services.plan import ActionRow, plan_row
from tracker.services.reference import Rag
from tracker.services.subgroups import members as subgroup_members


def get_action(session: Session, partnership_id: int, action_id: int) -> Action:
    action = reference.owned(session, Action, partnership_id, action_id)
    if action is None:
        raise NotFound(f"There is no action {action_id}.")
    return action


@dataclass
class HistoryEntry:
    update: StatusUpdate
    author: str


def history(session: Session, action_id: int) -> list[HistoryEntry]:
    """Every status update of an action, newest first, with who made it."""
    rows = session.exec(
        select(StatusUpdate, Person)
        .join(Person, Person.id == StatusUpdate.author_id, isouter=True)
        .where(StatusUpdate.action_id == action_id)
        .order_by(StatusUpdate.update_date.desc(), StatusUpdate.id.desc())
    ).all()
    return [HistoryEntry(update=u, author=p.name if p else "Unknown") for u, p in rows]


def linked_outcome_ids(session: Session, action_id: int) -> list[int]:
    return list(session.exec(select(ActionOutcome.outcome_id).where(ActionOutcome.action_id == action_id)).all())


def linked_indicator_ids(session: Session, action_id: int) -> list[int]:
    return list(session.exec(
        select(ActionIndicator.indicator_id).where(ActionIndicator.action_id == action_id)
    ).all())


def linked_outcomes(session: Session, action_id: int) -> list[Outcome]:
    return list(session.exec(
        select(Outcome).join(ActionOutcome, ActionOutcome.outcome_id == Outcome.id)
        .where(ActionOutcome.action_id == action_id).order_by(Outcome.code)
    ).all())


def linked_indicators(session: Session, action_id: int) -> list[Indicator]:
    return list(session.exec(
        select(Indicator).join(ActionIndicator, ActionIndicator.indicator_id == Indicator.id)
        .where(ActionIndicator.action_id == action_id).order_by(Indicator.code)
    ).all())


@dataclass
class ActionDetail:
    """Everything the action page shows about one action, read in one place."""

    action: Action
    row: ActionRow  # its current RAG, progress and exception flags, as the plan views compute them
    subgroup: Subgroup
    outcomes: list[Outcome]
    indicators: list[Indicator]
    history: list[HistoryEntry]
    scale: list[Rag] = field(default_factory=list)  # the partnership's RAG scale, read once
    due_changes: list[due_dates.DueChangeEntry] = field(default_factory=list)  # oldest first, with reasons
    stale_days: int = 90  # "not updated" after this many days (the partnership's setting)

    @property
    def rag_by_code(self) -> dict[str, Rag]:
        return {r.code: r for r in self.scale}


def action_detail(session: Session, partnership_id: int, action_id: int, today: date) -> ActionDetail:
    action = get_action(session, partnership_id, action_id)
    scale = reference.rag_scale(session, partnership_id)
    row = plan_row(session, partnership_id, action.id, today, severity={r.code: r.severity for r in scale})
    return ActionDetail(
        action=action,
        row=row,
        subgroup=session.get(Subgroup, action.subgroup_id),
        outcomes=linked_outcomes(session, action.id),
        indicators=linked_indicators(session, action.id),
        history=history(session, action.id),
        scale=scale,
        due_changes=due_dates.due_changes(session, action.id),
        stale_days=reference.get_partnership(session, partnership_id).stale_after_days,
    )


@dataclass
class EditChoices:
    """What the form that edits an action offers: objectives, possible owners, outcomes."""

    objectives: list[Objective]
    owners: list[Person]
    outcomes: list[Outcome]


@dataclass
class ActionPage:
    """The action page's view model: the action, and what the signed-in person may do with it."""

    detail: ActionDetail
    may_update: bool
    may_edit: bool
    leads: list[str]  # the names of the subgroup's leads and deputies (who else may update it)
    edit: EditChoices | None  # None unless `may_edit`
    may_change_locked: bool = False  # an administrator: may change a locked period, giving a reason


def action_page(session: Session, viewer: Person, action_id: int, today: date) -> ActionPage:
    """Everything the action page shows `viewer` (NotFound if it is not their partnership's action)."""
    pid = viewer.partnership_id
    detail = action_detail(session, pid, action_id, today)
    action = detail.action
    may_update = can_update_action(session, viewer, action)
    may_edit = can_edit_action(session, viewer, action)
    leads = [] if may_update else [
        m.name for m in subgroup_members(session, detail.subgroup.id) if m.role in ("lead", "deputy")]
    edit = None
    if may_edit:
        edit = EditChoices(reference.objectives(session, pid), _owner_choices(session, pid, action.owner_id),
                           reference.outcomes(session, pid))
    return ActionPage(detail=detail, may_update=may_update, may_edit=may_edit, leads=leads, edit=edit,
                      may_change_locked=is_admin(viewer))


def _owner_choices(session: Session, partnership_id: int, owner_id: int | None) -> list[Person]:
    people = reference.people(session, partnership_id)
    if owner_id is not None and all(p.id != owner_id for p in people):
        try:  # keep a former member who still owns the action visible, so the form tells the truth
            people.append(reference.get_person(session, partnership_id, owner_id))
        except NotFound:
            pass
    return people
