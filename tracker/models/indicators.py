"""Indicators (the measures) and their values over time."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import in_values, utcnow
from tracker.rules.enums import IndicatorDirection

# --- Indicators (the measures) ---------------------------------------------------------------


class Indicator(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "code"),
        CheckConstraint(in_values("direction", IndicatorDirection), name="indicator_direction"),
    )
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
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
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    illustrative: bool = False


class IndicatorValue(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True, ondelete="CASCADE")
    period: str = Field(max_length=40)  # "2023/24", "2023-Q2", "2023-05", "2022"
    period_end: date  # the period's last day, for ordering and charts
    value: float
    note: str = Field(default="", max_length=500)
    illustrative: bool = False
    recorded_by_id: int | None = Field(default=None, foreign_key="person.id")
    recorded_at: datetime = Field(default_factory=utcnow)
