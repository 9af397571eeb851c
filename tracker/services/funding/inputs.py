"""The input model of a contract or grant, and adding one (admin only; the seed acts as the system)."""

from __future__ import annotations

import re

from pydantic import ConfigDict, Field, field_validator, model_validator
from sqlmodel import Session, select

from tracker.models import Action, ActionFunding, Funding, FundingBase, FundingShare, Person
from tracker.models.funding import FUNDING_KINDS
from tracker.schemas import nul_free
from tracker.services import audit
from tracker.services.errors import InvalidInput, validated
from tracker.services.permissions import require_admin


class FundingCreate(FundingBase):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=3, max_length=300)
    value_gbp: float | None = Field(default=None, ge=0)
    shares: dict[str, float] = {}  # area -> value in pounds
    actions: list[str] = []  # refs of the actions the money concerns
    _nul_free = nul_free()  # no NUL character in any text (PostgreSQL cannot store one)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in FUNDING_KINDS:
            raise ValueError("Choose contract or grant")
        return value

    @field_validator("financial_year")
    @classmethod
    def _financial_year(cls, value: str) -> str:
        match = re.fullmatch(r"(\d{4})/(\d{2})", value) if value else None
        if value and (match is None or (int(match[1]) + 1) % 100 != int(match[2])):
            raise ValueError("Write the financial year as 2024/25")
        return value

    @model_validator(mode="after")
    def _dates_and_shares(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("The end date must not be before the start date")
        if any(v < 0 for v in self.shares.values()):
            raise ValueError("A share of the value cannot be negative")
        # The documents round shares to the nearest £1,000, so allow 1% either way.
        if self.shares and self.value_gbp and abs(sum(self.shares.values()) - self.value_gbp) > 0.01 * self.value_gbp:
            raise ValueError("The shares must add up to the value (within 1%)")
        return self


def add_funding(session: Session, actor: Person | None, partnership_id: int, data: dict,
                *, system: bool = False) -> Funding:
    if not system:
        require_admin(actor)
        partnership_id = actor.partnership_id
    item = validated(FundingCreate, data)
    action_ids = dict(session.exec(select(Action.ref, Action.id).where(
        Action.partnership_id == partnership_id, Action.ref.in_(item.actions))).all())
    missing = [ref for ref in item.actions if ref not in action_ids]
    if missing:
        raise InvalidInput({"actions": f"There is no action {missing[0]} in this partnership's plan"})
    row = Funding(partnership_id=partnership_id, **item.model_dump(exclude={"shares", "actions"}))
    session.add(row)
    session.flush()
    session.add_all(FundingShare(funding_id=row.id, area=area, value_gbp=value) for area, value in item.shares.items())
    session.add_all(ActionFunding(action_id=action_ids[ref], funding_id=row.id) for ref in item.actions)
    if not system:
        audit.record(session, actor, "create", row, summary=f"Added {row.kind} {row.name}")
    return row
