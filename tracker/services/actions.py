"""Changing the delivery plan: add and edit actions, record status updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import update as sql_update
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
    utcnow,
)
from tracker.rules.dates import iso_date_or_none
from tracker.schemas import ActionIn, StatusUpdateIn
from tracker.services import audit
from tracker.services.errors import Conflict, InvalidInput, NotFound, validated
from tracker.services.errors import all_problems as _all_problems
from tracker.services.permissions import (
    require_edit_action,
    require_edit_subgroup,
    require_update_action,
)
from tracker.services.plan import ActionRow, plan_row
from tracker.services.reference import rag_by_code

ACTION_FIELDS = [
    "subgroup_id", "objective_id", "title", "description", "owner_id", "lead_organisation",
    "start_date", "due_date", "status", "source", "illustrative",
]


def _validate(model, data: dict, stand_ins: dict | None = None):
    return validated(model, data, stand_ins or {})


_as_date = iso_date_or_none


ACTION_STAND_INS = {"subgroup_id": 0, "title": "A title"}


def _validate_update(data: dict) -> tuple[StatusUpdateIn | None, dict[str, str]]:
    blue = str(data.get("rag") or "").strip() == "blue"
    stand_ins = {"update_date": date(2000, 1, 1), "rag": "green", "progress": 100 if blue else 0}
    return _all_problems(StatusUpdateIn, data, stand_ins)


def get_action(session: Session, partnership_id: int, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None or action.partnership_id != partnership_id:
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


def action_detail(session: Session, partnership_id: int, action_id: int, today: date) -> ActionDetail:
    action = get_action(session, partnership_id, action_id)
    row = plan_row(session, partnership_id, action.id, today)
    return ActionDetail(
        action=action,
        row=row,
        subgroup=session.get(Subgroup, action.subgroup_id),
        outcomes=linked_outcomes(session, action.id),
        indicators=linked_indicators(session, action.id),
        history=history(session, action.id),
    )


def _check_references(session: Session, partnership_id: int, data: ActionIn) -> Subgroup:
    """Every id in the input must belong to this partnership (ids come from the client)."""
    errors: dict[str, str] = {}
    subgroup = session.get(Subgroup, data.subgroup_id)
    if subgroup is None or subgroup.partnership_id != partnership_id:
        errors["subgroup_id"] = "Choose a subgroup of this partnership"
    if data.objective_id is not None:
        objective = session.get(Objective, data.objective_id)
        if objective is None or objective.partnership_id != partnership_id:
            errors["objective_id"] = "Choose an objective of this partnership"
    if data.owner_id is not None:
        owner = session.get(Person, data.owner_id)
        if owner is None or owner.partnership_id != partnership_id or not owner.is_active:
            errors["owner_id"] = "Choose an owner who is an active member of this partnership"
    for outcome_id in data.outcome_ids:
        outcome = session.get(Outcome, outcome_id)
        if outcome is None or outcome.partnership_id != partnership_id:
            errors["outcome_ids"] = "Choose outcomes of this partnership"
    for indicator_id in data.indicator_ids:
        indicator = session.get(Indicator, indicator_id)
        if indicator is None or indicator.partnership_id != partnership_id:
            errors["indicator_ids"] = "Choose indicators of this partnership"
    if errors:
        raise InvalidInput(errors)
    return subgroup


def _next_ref(session: Session, partnership_id: int, subgroup: Subgroup) -> str:
    refs = session.exec(
        select(Action.ref).where(Action.partnership_id == partnership_id, Action.ref.startswith(f"{subgroup.code}-"))
    ).all()
    numbers = [int(r.rsplit("-", 1)[1]) for r in refs if r.rsplit("-", 1)[1].isdigit()]
    return f"{subgroup.code}-{max(numbers, default=0) + 1:02d}"


def _set_links(session: Session, action_id: int, outcome_ids: list[int], indicator_ids: list[int]) -> None:
    for link in session.exec(select(ActionOutcome).where(ActionOutcome.action_id == action_id)):
        session.delete(link)
    for link in session.exec(select(ActionIndicator).where(ActionIndicator.action_id == action_id)):
        session.delete(link)
    session.flush()
    for outcome_id in dict.fromkeys(outcome_ids):
        session.add(ActionOutcome(action_id=action_id, outcome_id=outcome_id))
    for indicator_id in dict.fromkeys(indicator_ids):
        session.add(ActionIndicator(action_id=action_id, indicator_id=indicator_id))


def create_action(session: Session, actor: Person, data: dict) -> Action:
    """Add an action to a subgroup's plan (admin, or a lead of that subgroup)."""
    payload = _validate(ActionIn, data, ACTION_STAND_INS)
    subgroup = _check_references(session, actor.partnership_id, payload)
    require_edit_subgroup(session, actor, subgroup)
    action = Action(
        partnership_id=actor.partnership_id,
        ref=_next_ref(session, actor.partnership_id, subgroup),
        updated_by_id=actor.id,
        **payload.model_dump(include=set(ACTION_FIELDS)),
    )
    session.add(action)
    session.flush()
    _set_links(session, action.id, payload.outcome_ids, payload.indicator_ids)
    audit.record(session, actor, "create", action, summary=f"Added action {action.ref}: {action.title}")
    session.flush()
    return action


def edit_action(session: Session, actor: Person, action_id: int, expected_version: int, data: dict) -> Action:
    """Change an action's details. Refused with Conflict if anyone saved it since `expected_version`."""
    action = get_action(session, actor.partnership_id, action_id)
    require_edit_action(session, actor, action)
    # A field the form does not send keeps its value (ActionIn's defaults would otherwise wipe the
    # source, the illustrative flag or the linked indicators of an action edited from a short form).
    current = {name: getattr(action, name) for name in ACTION_FIELDS} | {
        "outcome_ids": linked_outcome_ids(session, action.id),
        "indicator_ids": linked_indicator_ids(session, action.id),
    }
    payload = _validate(ActionIn, current | dict(data), ACTION_STAND_INS)
    new_subgroup = _check_references(session, actor.partnership_id, payload)
    if new_subgroup.id != action.subgroup_id:
        require_edit_subgroup(session, actor, new_subgroup)  # moving it needs rights on both
    before = audit.snapshot(action, ACTION_FIELDS) | {
        "outcome_ids": linked_outcome_ids(session, action.id),
        "indicator_ids": linked_indicator_ids(session, action.id),
    }
    values = payload.model_dump(include=set(ACTION_FIELDS))
    # The version comes back from the browser: anything but a whole number can only be refused.
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = None
    # Compare-and-set in one statement, so two savers cannot both pass a check and both write.
    result = session.execute(
        sql_update(Action)
        .where(Action.id == action.id, Action.version == expected)
        .values(**values, version=Action.version + 1, updated_at=utcnow(), updated_by_id=actor.id)
    ) if expected is not None else None
    if result is None or result.rowcount != 1:
        # Nothing was written. Re-read the action (not the copy loaded above) to say who changed it;
        # no rollback here, which would also discard the caller's other work in this session.
        session.expire(action)
        raise _conflict(session, action_id, "action")
    _set_links(session, action.id, payload.outcome_ids, payload.indicator_ids)
    session.flush()
    session.refresh(action)
    after = audit.snapshot(action, ACTION_FIELDS) | {
        "outcome_ids": list(dict.fromkeys(payload.outcome_ids)),
        "indicator_ids": list(dict.fromkeys(payload.indicator_ids)),
    }
    audit.record(session, actor, "update", action, before=before, after=after,
                 summary=f"Edited action {action.ref}")
    return action


def _conflict(session: Session, action_id: int, what: str) -> Conflict:
    current = session.get(Action, action_id)
    editor = session.get(Person, current.updated_by_id) if current and current.updated_by_id else None
    when = current.updated_at.strftime("%d/%m/%Y at %H:%M") if current else "just now"
    who = editor.name if editor else "someone else"
    return Conflict(
        f"This {what} was changed by {who} on {when} UTC after you opened it. "
        "Nothing you entered was saved: reload to see their change, then make yours again."
    )


def record_status_update(
    session: Session, actor: Person, action_id: int, data: dict, today: date
) -> StatusUpdate:
    """Append a status update. Updates never overwrite, so two people updating at once both land."""
    action = get_action(session, actor.partnership_id, action_id)
    require_update_action(session, actor, action)
    payload, errors = _validate_update(data)
    scale = rag_by_code(session, action.partnership_id)
    rag = payload.rag if payload else str(data.get("rag") or "").strip()
    update_date = payload.update_date if payload else _as_date(data.get("update_date"))
    if not rag or errors.get("rag") == "This is required":
        errors["rag"] = "Choose a RAG: " + ", ".join(r.label for r in scale.values())
    elif rag not in scale:
        errors.setdefault("rag", "Choose a RAG from the scale: " + ", ".join(r.label for r in scale.values()))
    if rag and action.status in ("complete", "cancelled") and rag != "blue":
        errors.setdefault(
            "rag", f"This action is {action.status}: reopen it (edit its status) before updating it")
    if update_date and update_date > today:
        errors.setdefault("update_date", "An update cannot be dated in the future")
    if update_date and action.start_date and update_date < action.start_date:
        errors.setdefault("update_date", "An update cannot be dated before the action started")
    if errors or payload is None:
        raise InvalidInput(errors)
    update = StatusUpdate(action_id=action.id, author_id=actor.id, **payload.model_dump())
    session.add(update)
    # The action's status follows its updates: Blue completes it, any other colour means under way.
    new_status = "complete" if payload.rag == "blue" else ("in_progress" if payload.rag != "grey" else None)
    if new_status and new_status != action.status and action.status != "cancelled":
        session.execute(
            sql_update(Action).where(Action.id == action.id)
            .values(status=new_status, version=Action.version + 1, updated_at=utcnow(), updated_by_id=actor.id)
        )
    session.flush()
    audit.record(session, actor, "create", update, partnership_id=action.partnership_id,
                 summary=f"Status update on {action.ref}: {scale[payload.rag].label}, {payload.progress}%")
    return update
