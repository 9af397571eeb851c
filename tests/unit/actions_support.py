"""What the action service tests share: counting what a write adds, a valid status update, and
recording one that must be refused without writing anything."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, func, select

from tracker.models import ActionOutcome, AuditEvent, StatusUpdate
from tracker.services import actions
from tracker.services.errors import InvalidInput

TODAY = date(2026, 11, 23)


def counts(session: Session) -> tuple[int, int, int]:
    return tuple(session.exec(select(func.count()).select_from(model)).one()
                 for model in (StatusUpdate, AuditEvent, ActionOutcome))


def update(**changes) -> dict:
    data = {"update_date": TODAY, "rag": "green", "progress": 40, "narrative": "", "next_steps": "", "blockers": ""}
    data.update(changes)
    return data


def refused(session, actor, action_id, data, today=TODAY) -> dict[str, str]:
    """Record the update, expecting InvalidInput; check nothing was written; return the messages."""
    before = counts(session)
    with pytest.raises(InvalidInput) as caught:
        actions.record_status_update(session, actor, action_id, data, today)
    session.rollback()
    assert counts(session) == before
    return caught.value.errors
