"""The partnership's thresholds an administrator may change: when an action counts as "not updated",
and how many working days before a board meeting updates are due. (The indicators' "at risk" margin
is a rule of the tracker, tracker.rules.indicator_status.AT_RISK_MARGIN, shown beside them.)

A change carries the values the editor loaded (`expected`); a change saved by someone else since is
refused as a Conflict, and the write is compare-and-set, as for the RAG scale.
"""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlalchemy import update as sql_update
from sqlmodel import Session

from tracker.models import Partnership, Person
from tracker.rules.indicator_status import AT_RISK_MARGIN
from tracker.services import audit
from tracker.services.errors import Conflict, validated
from tracker.services.permissions import require_admin
from tracker.services.reference import get_partnership

FIELDS = ["stale_after_days", "update_deadline_working_days"]
LABELS = {
    "stale_after_days": "Days without an update before an action counts as not updated",
    "update_deadline_working_days": "Working days before each board meeting that updates are due",
}


class ThresholdsIn(BaseModel):
    stale_after_days: int = Field(ge=7, le=730)
    update_deadline_working_days: int = Field(ge=0, le=60)


def thresholds(session: Session, actor: Person) -> dict:
    """The current values, and the fixed indicator margin (for showing beside them)."""
    actor = require_admin(actor)
    partnership = get_partnership(session, actor.partnership_id)
    return {**audit.snapshot(partnership, FIELDS), "at_risk_margin": AT_RISK_MARGIN}


def update_thresholds(session: Session, actor: Person, data: dict, expected: dict | None) -> Partnership:
    actor = require_admin(actor)
    payload = validated(ThresholdsIn, data)
    partnership = get_partnership(session, actor.partnership_id)
    before = audit.snapshot(partnership, FIELDS)
    if not isinstance(expected, dict) or {k: expected.get(k) for k in FIELDS} != before:
        raise Conflict("Someone else changed the thresholds after you opened the page. Nothing you entered was "
                       "saved: reload to see their change, then make yours again.")
    changes = payload.model_dump()
    if changes == before:
        return partnership
    result = session.exec(sql_update(Partnership).where(
        Partnership.id == partnership.id, *(getattr(Partnership, k) == before[k] for k in FIELDS)).values(**changes))
    if result.rowcount != 1:
        raise Conflict("Someone else changed the thresholds at the same moment. Nothing was saved: reload and try "
                       "again.")
    session.expire(partnership)
    partnership = session.get(Partnership, partnership.id)
    words = "; ".join(f"{LABELS[k].split(' before')[0].lower()}: {before[k]} → {changes[k]}"
                      for k in FIELDS if before[k] != changes[k])
    audit.record(session, actor, "update", partnership, before=before, after=audit.snapshot(partnership, FIELDS),
                 summary=f"Thresholds changed ({words})"[:400])
    session.flush()
    return partnership
