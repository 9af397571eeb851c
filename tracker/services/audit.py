"""The audit trail: written in the same session (so the same transaction) as the change it records."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, SQLModel

from tracker.models import AuditEvent, Person


def snapshot(record: SQLModel | None, fields: list[str] | None = None) -> dict[str, Any] | None:
    """The record's column values, JSON-ready (dates as ISO strings)."""
    if record is None:
        return None
    data = record.model_dump(include=set(fields) if fields else None)
    data.pop("password_hash", None)  # never copied into the trail
    return {k: (v.isoformat() if isinstance(v, date | datetime) else v) for k, v in data.items()}


def record(
    session: Session,
    actor: Person | None,
    verb: str,
    entity: SQLModel,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
    partnership_id: int | None = None,
) -> AuditEvent:
    if after is None and verb != "delete":
        after = snapshot(entity)
    if before is not None and after is not None:
        # Keep only what changed, plus the id: the trail stays readable.
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in changed}
        after = {k: after.get(k) for k in changed}
    event = AuditEvent(
        partnership_id=partnership_id if partnership_id is not None else getattr(entity, "partnership_id", None),
        actor_id=actor.id if actor else None,
        actor_name=actor.name if actor else "system",
        verb=verb,
        entity_type=type(entity).__name__,
        entity_id=getattr(entity, "id", None),
        summary=summary[:400],
        before=json.dumps(before, default=str) if before is not None else None,
        after=json.dumps(after, default=str) if after is not None else None,
    )
    session.add(event)
    return event
