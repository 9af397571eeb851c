"""Checking the input of the plan's writes: every problem at once, not one per attempt."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from tracker.schemas import StatusUpdateIn
from tracker.services.errors import InvalidInput


def validate(model, data: dict, stand_ins: dict | None = None):
    payload, errors = all_problems(model, data, stand_ins or {})
    if errors:
        raise InvalidInput(errors)
    return payload


def all_problems(model, data: dict, stand_ins: dict) -> tuple:
    """The input validated, or every problem with it. Pydantic skips the rules across fields (due
    after start; narrative for Amber/Red; 100% for Blue) once any field fails, so they are checked
    again with the failed fields replaced by harmless stand-ins (or their defaults): the user then
    sees everything to fix at once, not one problem per attempt."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        errors = InvalidInput.from_pydantic(exc).errors
    retry = {k: v for k, v in data.items() if k in model.model_fields and k not in errors}
    retry |= {k: v for k, v in stand_ins.items() if k in errors or k not in retry}
    try:
        model.model_validate(retry)
    except ValidationError as exc:
        for name, message in InvalidInput.from_pydantic(exc).errors.items():
            errors.setdefault(name, message)
    return None, errors


def as_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        return None


ACTION_STAND_INS = {"subgroup_id": 0, "title": "A title"}


def validate_update(data: dict) -> tuple[StatusUpdateIn | None, dict[str, str]]:
    blue = str(data.get("rag") or "").strip() == "blue"
    stand_ins = {"update_date": date(2000, 1, 1), "rag": "green", "progress": 100 if blue else 0}
    return all_problems(StatusUpdateIn, data, stand_ins)
