"""Indicators benchmarked: each area's figure beside the local one (region, England, a comparator
group), as the national public-health profiles publish them, and each indicator's catalogue entry
(where the data comes from, how often, when next, and whether local figures are public)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import in_values

AREA_KINDS = ("local", "region", "england", "group")
# How the source compares an area with England ("" when it gives no test): Fingertips' own words.
SIGNIFICANCE = ("better", "similar", "worse", "higher", "lower", "not_compared", "")
FREQUENCIES = ("monthly", "quarterly", "annual", "ad_hoc")
ACCESS = ("public", "restricted")


class ComparatorValue(SQLModel, table=True):
    """One area's figure for one indicator and period (the local area's row carries the comparison)."""

    __table_args__ = (
        UniqueConstraint("indicator_id", "period", "area_kind", "area_name"),
        CheckConstraint(in_values("area_kind", AREA_KINDS), name="comparator_area_kind"),
        CheckConstraint(in_values("significance", SIGNIFICANCE), name="comparator_significance"),
    )
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True, ondelete="CASCADE")
    period: str = Field(max_length=40)  # as the indicator's values write it: "2021/22", "2022"
    area_kind: str = Field(max_length=20)
    area_name: str = Field(max_length=200)
    area_code: str = Field(default="", max_length=20)  # ONS code, e.g. E06000061
    value: float | None = None  # None when the source suppresses it (small numbers)
    count: float | None = None
    lower_ci: float | None = None  # 95% confidence interval where the source gives one
    upper_ci: float | None = None
    significance: str = Field(default="", max_length=20)  # compared with England, by the source's test
    recent_trend: str = Field(default="", max_length=60)
    worst: float | None = None  # the range across comparable areas, on the England row
    best: float | None = None
    source: str = Field(default="", max_length=300)
    illustrative: bool = False


class IndicatorCatalogue(SQLModel, table=True):
    """The metric catalogue entry of an indicator: its data's source, geography and timetable."""

    __table_args__ = (
        CheckConstraint(in_values("frequency", FREQUENCIES), name="catalogue_frequency"),
        CheckConstraint(in_values("access", ACCESS), name="catalogue_access"),
    )
    indicator_id: int = Field(foreign_key="indicator.id", primary_key=True, ondelete="CASCADE")
    dataset: str = Field(default="", max_length=200)  # e.g. "OHID Local Alcohol Profiles"
    external_id: str = Field(default="", max_length=40)  # the source's indicator id (Fingertips "Indicator ID")
    geography: str = Field(default="", max_length=200)  # the area the local figure is for
    area_code: str = Field(default="", max_length=20)  # its ONS code, to find its row in an export
    frequency: str = Field(default="annual", max_length=20)
    latest_published: str = Field(default="", max_length=40)  # the newest period the source has published
    next_due: date | None = None  # when the source next publishes
    access: str = Field(default="public", max_length=20)  # restricted: shared with partnerships only
    notes: str = Field(default="", max_length=500)
