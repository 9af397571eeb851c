"""Money: commissioned services and grants."""

from __future__ import annotations

from datetime import date

from pydantic import field_validator
from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import PartnershipKeys, in_values, text_column
from tracker.rules.enums import FundingKind, check_choice

# --- Money: commissioned services and grants -------------------------------------------------


class FundingBase(SQLModel):
    kind: str = Field(max_length=20)
    name: str = Field(max_length=300)
    provider_or_funder: str = Field(default="", max_length=200)
    financial_year: str = Field(default="", max_length=20)  # "2023/24"
    value_gbp: float | None = None
    end_date: date | None = None
    notes: str = Field(default="", sa_column=text_column())
    source: str = Field(default="", max_length=300)
    illustrative: bool = False

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value):
        return check_choice(FundingKind, value, "grant or contract")


class Funding(FundingBase, PartnershipKeys, table=True):
    """A commissioned service or a grant, with its value and end date."""

    __table_args__ = (CheckConstraint(in_values("kind", FundingKind), name="funding_kind"),)
