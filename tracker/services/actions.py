"""Changing the delivery plan: add and edit actions, record status updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import update as sql_update
from sqlmodel import Session, select

from tracker.formatting import short_date, uk_time
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
from tracker.schemas import ActionIn
from tracker.services import audit, due_dates, reference
from tracker.services.action_inputs import ACTION_STAND_INS, as_date, validate, validate_update
from tracker.services.action_views import get_action, linked_indicator_ids, linked_outcome_ids
from tracker.services.board.locks import check_action_edit, check_period_open
from tracker.services.errors import Conflict, InvalidInput
from tracker.services.permissions import (
    require_edit_action,
    require_edit_subgroup,
    require_update_action,
)
from tracker.services.reference import Rag, rag_by_code

ACTION_FIELDS = [
    "subgroup_id", "objective_id", "title", "description", "owner_id", "lead_organisation",
    "start_date", "due_date", "status", "source", "illustrative",
]


def _check_references(session: Session, partnership_id: int, data: ActionIn) -> Subgroup:
    """Every id in the input must belong to this partnership (ids come from the client)."""
    def mine(model, record_id):
        return reference.owned(session, model, partnership_id, record_id)

    errors: dict[str, str] = {}
    subgroup = mine(Subgroup, data.subgroup_id)
    if subgroup is None:
        errors["subgroup_id"] = "Choose a subgroup of this partnership"
    if data.objective_id is not None and mine(Objective, data.objective_id) is None:
        errors["objective_id"] = "Choose an objective of this partnership"
    if data.owner_id is not None:
        owner = mine(Person, data.owner_id)
        if owner is None or not owner.is_active:
            errors["owner_id"] = "Choose an owner who is an active member of this partnership"
    if any(mine(Outcome, outcome_id) is None for outcome_id in data.outcome_ids):
        errors["outcome_ids"] = "Choose outcomes of this partnership"
    if any(mine(Indicator, indicator_id) is None for indicator_id in data.indicator_ids):
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
    payload = validate(ActionIn, data, ACTION_STAND_INS)
    subgroup = _check_references(session, actor.partnership_id, payload)
    require_edit_subgroup(session, actor, subgroup)
    action = Action(
        partnership_id=actor.partnership_id,
        ref=_next_ref(session, actor.partnership_id, subgroup),
        updated_by_id=actor.id,
        original_due_date=payload.due_date,  # the baseline: never changed afterwards
        **payload.model_dump(include=set(ACTION_FIELDS)),
    )
    session.add(action)
    session.flush()
    _set_links(session, action.id, payload.outcome_ids, payload.indicator_ids)
    audit.record(session, actor, "create", action, summary=f"Added action {action.ref}: {action.title}")
    session.flush()
    return action


def edit_action(session: Session, actor: Person, action_id: int, expected_version: int, data: dict,
                late_reason: str | None = None) -> Action:
    """Change an action's details. Refused with Conflict if anyone saved it since `expected_version`.
    Moving its due date needs a reason (`data["due_date_reason"]`), kept with the change; the
    original due date never changes."""
    action = get_action(session, actor.partnership_id, action_id)
    require_edit_action(session, actor, action)
    data = dict(data)
    reason_text = data.pop(due_dates.REASON_FIELD, None)
    # A field the form does not send keeps its value (ActionIn's defaults would otherwise wipe the
    # source, the illustrative flag or the linked indicators of an action edited from a short form).
    current = {name: getattr(action, name) for name in ACTION_FIELDS} | {
        "outcome_ids": linked_outcome_ids(session, action.id),
        "indicator_ids": linked_indicator_ids(session, action.id),
    }
    payload = validate(ActionIn, current | dict(data), ACTION_STAND_INS)
    new_subgroup = _check_references(session, actor.partnership_id, payload)
    if new_subgroup.id != action.subgroup_id:
        require_edit_subgroup(session, actor, new_subgroup)  # moving it needs rights on both
    before = audit.snapshot(action, ACTION_FIELDS) | {
        "outcome_ids": linked_outcome_ids(session, action.id),
        "indicator_ids": linked_indicator_ids(session, action.id),
    }
    values = payload.model_dump(include=set(ACTION_FIELDS))
    old_due, original_due = action.due_date, action.original_due_date
    check_action_edit(session, action.partnership_id, before, values, actor, late_reason, action.ref)
    due_reason = due_dates.check_due_change(old_due, payload.due_date, original_due, reason_text)
    values["original_due_date"] = due_dates.baseline(old_due, payload.due_date, original_due)
    _write_if_unchanged(session, actor, action, expected_version, values)
    _set_links(session, action.id, payload.outcome_ids, payload.indicator_ids)
    due_dates.record_due_change(session, actor, action, old_due, payload.due_date, due_reason)
    session.flush()
    session.refresh(action)
    after = audit.snapshot(action, ACTION_FIELDS) | {
        "outcome_ids": list(dict.fromkeys(payload.outcome_ids)),
        "indicator_ids": list(dict.fromkeys(payload.indicator_ids)),
    }
    summary = f"Edited action {action.ref}"
    if due_reason is not None:
        summary += f"; due date moved from {_uk(old_due)} to {_uk(payload.due_date)}: {due_reason}"
    audit.record(session, actor, "update", action, before=before, after=after, summary=summary)
    return action



def set_external_ref(session: Session, actor: Person, action_id: int, expected_version: int,
                     external_ref: str) -> Action:
    """Give the action the partnership's own reference for it (e.g. the one in the council's plan an
    import matched), as an edit: the editor's rights, the version check and the audit record. Unique in
    the partnership: the database refuses a clash the caller's checks missed (another import at once)."""
    action = get_action(session, actor.partnership_id, action_id)
    require_edit_action(session, actor, action)
    text, longest = " ".join(str(external_ref or "").split()), Action.__table__.c.external_ref.type.length
    if not text or len(text) > longest:
        raise InvalidInput({"external_ref": f"Give a reference of 1 to {longest} characters"})
    before = action.external_ref
    if before == text:
        return action
    _write_if_unchanged(session, actor, action, expected_version, {"external_ref": text})
    session.flush()
    session.refresh(action)
    audit.record(session, actor, "update", action, before={"external_ref": before}, after={"external_ref": text},
                 summary=f"{action.ref} given the reference {text} from the partnership's own plan")
    return action


def _write_if_unchanged(session: Session, actor: Person, action: Action, expected_version, values: dict) -> None:
    """Write `values` and count a new version, only if the action is still at `expected_version`: a
    compare-and-set in one statement, so two savers cannot both pass a check and both write. Otherwise
    nothing is written and Conflict says who saved it since."""
    # The version comes back from the browser: anything but a whole number can only be refused.
    try:
        expected = int(expected_version)
    except (TypeError, ValueError, OverflowError):
        expected = None
    result = session.execute(
        sql_update(Action)
        .where(Action.id == action.id, Action.version == expected)
        .values(**values, version=Action.version + 1, updated_at=utcnow(), updated_by_id=actor.id)
    ) if expected is not None else None
    if result is None or result.rowcount != 1:
        # Re-read the action (not the copy loaded before) to say who changed it; no rollback here,
        # which would also discard the caller's other work in this session.
        session.expire(action)
        raise _conflict(session, action.id, "action")


def _uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "no due date"


def _conflict(session: Session, action_id: int, what: str) -> Conflict:
    current = session.get(Action, action_id)
    editor = session.get(Person, current.updated_by_id) if current and current.updated_by_id else None
    when = f"{short_date(current.updated_at)} at {uk_time(current.updated_at)}" if current else "just now"
    who = editor.name if editor else "someone else"
    return Conflict(
        f"This {what} was changed by {who} on {when} after you opened it. "
        "Nothing you entered was saved: reload to see their change, then make yours again."
    )


@dataclass
class RecordedUpdate:
    """What recording an update did: the new update, its RAG in words, the action's version now."""

    update: StatusUpdate
    rag_label: str
    action_version: int


def record_update(session: Session, actor: Person, action_id: int, data: dict, today: date,
                  late_reason: str | None = None) -> RecordedUpdate:
    """record_status_update, saying what the page needs to tell the user (the scale read once)."""
    scale = rag_by_code(session, actor.partnership_id)
    update = record_status_update(session, actor, action_id, data, today, scale=scale, late_reason=late_reason)
    version = session.exec(select(Action.version).where(Action.id == update.action_id)).one()
    return RecordedUpdate(update, scale[update.rag].label, version)


def record_status_update(
    session: Session, actor: Person, action_id: int, data: dict, today: date,
    scale: dict[str, Rag] | None = None, late_reason: str | None = None,
) -> StatusUpdate:
    """Append a status update. Updates never overwrite, so two people updating at once both land."""
    action = get_action(session, actor.partnership_id, action_id)
    require_update_action(session, actor, action)
    payload, errors = validate_update(data)
    if scale is None:
        scale = rag_by_code(session, action.partnership_id)
    rag = payload.rag if payload else str(data.get("rag") or "").strip()
    update_date = payload.update_date if payload else as_date(data.get("update_date"))
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
    check_period_open(session, action.partnership_id, payload.update_date, actor, late_reason, f"an update to {action.ref}")
    # Lock the action's row before appending, so the action's stored current status (rewritten from
    # its updates when the update is inserted: tracker.models.plan) sees every update committed before.
    session.execute(select(Action.id).where(Action.id == action.id).with_for_update())
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
