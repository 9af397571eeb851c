"""Money: commissioned services and grants."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Column, Text
from sqlmodel import Field, SQLModel

from tracker.models.base import in_values
from tracker.rules.enums import FundingKind

# --- Money: commissioned services and grants -------------------------------------------------


class Funding(SQLModel, table=True):
    """A commissioned service or a grant, with its value and end date."""

    __table_args__ = (CheckConstraint(in_values("kind", FundingKind), name="funding_kind"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)
    name: str = Field(max_length=300)
    provider_or_funder: str = Field(default="", max_length=200)
    financial_year: str = Field(default="", max_length=20)  # "2023/24"
    value_gbp: float | None = None
    end_date: date | None = None
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    source: str = Field(default="", max_length=300)
    illustrative: bool = False
