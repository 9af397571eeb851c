"""Defining indicators (administrators only: targets are the partnership's decision): add a local
indicator, or change an indicator's definition (baseline, target, unit ...) without overwriting a change
someone else made since the form was opened."""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator, model_validator
from sqlalchemy import update as sql_update
from sqlmodel import Session

from tracker.formatting import short_date
from tracker.models import Indicator, Objective, Outcome, Person
from tracker.rules.numbers import parse_number
from tracker.rules.periods import parse_period
from tracker.schemas import FieldError, Input
from tracker.services import audit
from tracker.services.errors import Conflict, InvalidInput, validated
from tracker.services.indicators.views import get_indicator, indicator_codes
from tracker.services.permissions import require_admin
from tracker.services.reference import owned

INDICATOR_FIELDS = [
    "code", "name", "outcome_id", "objective_id", "is_national", "unit", "direction", "source",
    "baseline_value", "baseline_period", "target_value", "target_date", "notes", "illustrative",
]


def _optional_number(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_number(value)


class IndicatorIn(Input):
    code: str = Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    name: str = Field(min_length=3, max_length=300)
    outcome_id: int | None = None
    objective_id: int | None = None
    is_national: bool = False
    unit: str = Field(default="", max_length=60)
    direction: str = "higher"
    source: str = Field(default="", max_length=200)
    baseline_value: float | None = None
    baseline_period: str = Field(default="", max_length=40)
    target_value: float | None = None
    target_date: date | None = None
    notes: str = Field(default="", max_length=5000)
    illustrative: bool = False

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value):
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("direction")
    @classmethod
    def _direction(cls, value: str) -> str:
        if value not in ("higher", "lower"):
            raise ValueError("Choose whether higher or lower is better")
        return value

    @field_validator("baseline_value", "target_value", mode="before")
    @classmethod
    def _numbers(cls, value):
        return _optional_number(value)

    @field_validator("outcome_id", "objective_id", "target_date", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("baseline_period", mode="before")
    @classmethod
    def _baseline_period(cls, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        return parse_period(value).label

    @model_validator(mode="after")
    def _rules(self):
        if (self.baseline_value is None) != (not self.baseline_period):
            field_name = "baseline_period" if self.baseline_value is not None else "baseline_value"
            raise FieldError(field_name, "Give both the baseline value and its period, or neither")
        if (self.target_value is None) != (self.target_date is None):
            field_name = "target_date" if self.target_value is not None else "target_value"
            raise FieldError(field_name, "Give both the target value and its date, or neither")
        if self.target_value is not None and self.baseline_value is None:
            raise FieldError("baseline_value", "Set a baseline before a target: the trajectory starts from it")
        if self.target_date and self.baseline_period:
            end = parse_period(self.baseline_period).end
            if self.target_date <= end:
                raise FieldError("target_date",
                                 f"The target date must be after the baseline period ends ({short_date(end)})")
        return self


def _check_links(session: Session, partnership_id: int, payload: IndicatorIn) -> None:
    errors = {}
    if payload.outcome_id is not None and owned(session, Outcome, partnership_id, payload.outcome_id) is None:
        errors["outcome_id"] = "Choose an outcome of this partnership"
    if payload.objective_id is not None and owned(session, Objective, partnership_id, payload.objective_id) is None:
        errors["objective_id"] = "Choose an objective of this partnership"
    if errors:
        raise InvalidInput(errors)


def create_indicator(session: Session, actor: Person, data: dict) -> Indicator:
    """Add a (local) indicator. Administrators only."""
    require_admin(actor)
    payload = validated(IndicatorIn, data)
    _check_links(session, actor.partnership_id, payload)
    if payload.code in indicator_codes(session, actor.partnership_id):
        raise InvalidInput({"code": f"The code {payload.code} is already used: choose another"})
    indicator = Indicator(partnership_id=actor.partnership_id, **payload.model_dump())
    session.add(indicator)
    session.flush()
    audit.record(session, actor, "create", indicator, summary=f"Added indicator {indicator.code}: {indicator.name}")
    session.flush()
    return indicator


def editable_snapshot(indicator: Indicator) -> dict:
    """The definition as an edit form shows it: pass it back to update_indicator to detect a clash."""
    return audit.snapshot(indicator, INDICATOR_FIELDS)


def _same(seen, now) -> bool:
    """Whether a value the editor saw is the snapshot's value (dates as ISO text; True is not 1)."""
    if isinstance(seen, date):
        seen = seen.isoformat()
    if isinstance(seen, bool) or isinstance(now, bool):
        return seen is now
    return seen == now


def update_indicator(session: Session, actor: Person, indicator_id: int, data: dict,
                     expected: dict | None = None) -> Indicator:
    """Change an indicator's definition (administrators only).

    `expected` is the definition as the editor saw it (editable_snapshot); if anyone has changed it
    since, nothing is written and Conflict says so. The check and the write are one UPDATE statement.
    """
    indicator = get_indicator(session, actor.partnership_id, indicator_id)
    require_admin(actor)
    current = editable_snapshot(indicator)
    # Not a form (a crafted request's list or number): refused by validation as create_indicator's is,
    # where dict(data) would raise TypeError (a 500).
    payload = validated(IndicatorIn, current | data if isinstance(data, dict) else data)
    _check_links(session, actor.partnership_id, payload)
    other = indicator_codes(session, actor.partnership_id).get(payload.code)
    if other is not None and other.id != indicator.id:
        raise InvalidInput({"code": f"The code {payload.code} is already used: choose another"})
    statement = sql_update(Indicator).where(Indicator.id == indicator.id)
    clash = False
    if expected is not None:
        # What the editor saw is compared here with the definition as read, not sent to the database: a
        # crafted `expected` (not a dict, a date that is no date, text for a number) is a clash, where
        # date.fromisoformat or PostgreSQL raised (a 500). The UPDATE then checks the row still holds
        # what was read, so a change saved in between is a clash too.
        seen = ({name: expected[name] for name in INDICATOR_FIELDS if name in expected}
                if isinstance(expected, dict) else None)
        clash = seen is None or any(not _same(value, current[name]) for name, value in seen.items())
        for name in seen or ():
            column, value = getattr(Indicator, name), getattr(indicator, name)
            statement = statement.where(column.is_(None) if value is None else column == value)
    result = None if clash else session.execute(statement.values(**payload.model_dump()))
    if result is None or result.rowcount != 1:
        session.expire(indicator)
        raise Conflict(f"Someone else changed indicator {indicator.code} after you opened it. Nothing you entered "
                       "was saved: reload to see their change, then make yours again.")
    session.flush()
    session.refresh(indicator)
    audit.record(session, actor, "update", indicator, before=current, after=editable_snapshot(indicator),
                 summary=f"Edited indicator {indicator.code}")
    return indicator
