"""Entering an indicator's values, one at a time: add a value for a period, remove one to correct it.

Each write is validated (IndicatorValueIn), permission-checked (access.require_enter_values) and audited.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.formatting import long_date
from tracker.models import Indicator, IndicatorValue, Person
from tracker.rules.numbers import format_number, parse_number
from tracker.rules.periods import Period, parse_period
from tracker.schemas import Input
from tracker.services import audit
from tracker.services.errors import Conflict, InvalidInput, NotFound, validated
from tracker.services.indicators.access import require_enter_values
from tracker.services.indicators.views import get_indicator
from tracker.services.reference import is_record_id, owned


class IndicatorValueIn(Input):
    period: str
    value: float
    note: str = Field(default="", max_length=500)
    illustrative: bool = False

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value) -> str:
        return parse_period(value).label

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value) -> float:
        return parse_number(value)

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value) -> str:
        return "" if value is None else value


def _existing(session: Session, indicator_id: int, period: str) -> IndicatorValue | None:
    return session.exec(
        select(IndicatorValue).where(IndicatorValue.indicator_id == indicator_id, IndicatorValue.period == period)
    ).first()


def already_there(indicator: Indicator, existing: IndicatorValue) -> str:
    return (f"{indicator.code} already has a value for {existing.period} ({format_number(existing.value)}). "
            "To correct it, remove that value on the indicator's page first")


def not_ended(period: Period, today: date) -> str | None:
    if period.end > today:
        return (f"The period {period.label} does not end until {long_date(period.end)}: enter its value once the "
                "period is over")
    return None


def add_value(session: Session, actor: Person, indicator_id: int, data: dict, today: date) -> IndicatorValue:
    """Record one value of an indicator for a period (validated, permission-checked, audited)."""
    indicator = get_indicator(session, actor.partnership_id, indicator_id)
    require_enter_values(session, actor, indicator)
    payload = validated(IndicatorValueIn, data)
    period = parse_period(payload.period)
    errors = {}
    if problem := not_ended(period, today):
        errors["period"] = problem
    elif existing := _existing(session, indicator.id, period.label):
        errors["period"] = already_there(indicator, existing)
    if errors:
        raise InvalidInput(errors)
    value = IndicatorValue(indicator_id=indicator.id, period=period.label, period_end=period.end,
                           value=payload.value, note=payload.note, illustrative=payload.illustrative,
                           recorded_by_id=actor.id)
    session.add(value)
    flush_or_conflict(session)
    audit.record(session, actor, "create", value, partnership_id=indicator.partnership_id,
                 summary=f"Value of {indicator.code} for {period.label}: {format_number(payload.value)}")
    session.flush()
    return value


def delete_value(session: Session, actor: Person, value_id: int, indicator_id: int | None = None) -> IndicatorValue:
    """Remove a value (to correct it, remove it and enter it again); the trail keeps what it was.
    With `indicator_id`, the value must belong to that indicator (the page it was removed from)."""
    value = session.get(IndicatorValue, value_id) if is_record_id(value_id) else None
    indicator = owned(session, Indicator, actor.partnership_id, value.indicator_id) if value else None
    if (value is None or indicator is None
            or (indicator_id is not None and value.indicator_id != indicator_id)):
        raise NotFound("That value is no longer there: reload the page to see the current values.")
    require_enter_values(session, actor, indicator)
    before = audit.snapshot(value)
    audit.record(session, actor, "delete", value, before=before, partnership_id=indicator.partnership_id,
                 summary=f"Removed the value of {indicator.code} for {value.period} ({format_number(value.value)})")
    session.delete(value)
    session.flush()
    return value


def flush_or_conflict(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError:
        # Someone entered the same period between our check and our write. The caller's unit of
        # work is rolled back as a whole, so nothing of this entry or upload is kept.
        raise Conflict("Someone else entered a value for the same indicator and period just now. Nothing was "
                       "saved: reload the page to see it, then enter yours again.") from None
