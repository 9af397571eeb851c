"""Indicators (the measures) and their values over time."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator
from sqlalchemy import CheckConstraint, Index, UniqueConstraint, column
from sqlmodel import Field, SQLModel

from tracker.models.base import IdKey, PartnershipKeys, in_values, text_column, utcnow
from tracker.rules.enums import IndicatorDirection

# --- Indicators (the measures) ---------------------------------------------------------------


class IndicatorBase(SQLModel):
    code: str = Field(max_length=30)
    name: str = Field(max_length=300)
    outcome_id: int | None = Field(default=None, foreign_key="outcome.id", index=True)
    objective_id: int | None = Field(default=None, foreign_key="objective.id", index=True)
    is_national: bool = False  # a headline metric of the national outcomes framework
    unit: str = Field(default="", max_length=60)
    direction: str = Field(default=IndicatorDirection.HIGHER, max_length=10)  # which way is better
    source: str = Field(default="", max_length=200)
    baseline_value: float | None = None
    baseline_period: str = Field(default="", max_length=40)
    target_value: float | None = None
    target_date: date | None = None
    notes: str = Field(default="", max_length=5000, sa_column=text_column())
    illustrative: bool = False

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, value):
        if value not in IndicatorDirection.values():
            raise ValueError("Choose whether higher or lower is better")
        return str(value)


class Indicator(IndicatorBase, PartnershipKeys, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "code"),
        CheckConstraint(in_values("direction", IndicatorDirection), name="indicator_direction"),
    )


class IndicatorValueBase(SQLModel):
    period: str = Field(max_length=40)  # "2023/24", "2023-Q2", "2023-05", "2022"
    period_end: date  # the period's last day, for ordering and charts
    value: float
    note: str = Field(default="", max_length=500)
    illustrative: bool = False


class IndicatorValueKeys(IdKey):
    indicator_id: int = Field(foreign_key="indicator.id", index=True, ondelete="CASCADE")


class IndicatorValue(IndicatorValueBase, IndicatorValueKeys, table=True):
    __table_args__ = (
        UniqueConstraint("indicator_id", "period"),
        # An indicator's latest value, in the order its look-up asks for (period end, newest first, then
        # id): one index step per indicator, where the indicator_id index alone sorted all its values.
        Index("ix_indicatorvalue_latest", "indicator_id", column("period_end").desc(), "id"),
    )
    recorded_by_id: int | None = Field(default=None, foreign_key="person.id")
    recorded_at: datetime = Field(default_factory=utcnow)
