"""Checking the input of the plan's writes: every problem at once, not one per attempt."""

from __future__ import annotations

from datetime import date

from tracker.schemas import StatusUpdateIn
from tracker.services.errors import all_problems, validated


def validate(model, data: dict, stand_ins: dict | None = None):
    """The input validated, every problem at once (the plan's writes always check the rules across
    fields again with stand-ins: see errors.all_problems)."""
    return validated(model, data, stand_ins or {})


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
