"""Money: commissioned services (contracts) and grants, the split of each between the councils, and
the actions and risks they concern."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

FUNDING_KINDS = ("grant", "contract")


class FundingBase(SQLModel):
    """The fields of a contract or grant: shared by the table, the input model and the seed."""

    kind: str = Field(max_length=20)  # "contract" or "grant"
    name: str = Field(max_length=300)
    provider_or_funder: str = Field(default="", max_length=200)  # a contract's provider, a grant's funder
    commissioning_body: str = Field(default="", max_length=200)  # who let the contract / receives the grant
    funded_by: str = Field(default="", max_length=300)  # e.g. "public health grant; PFCC contribution"
    financial_year: str = Field(default="", max_length=20)  # "2023/24": the year the value is for
    value_gbp: float | None = None  # annual value
    start_date: date | None = None
    end_date: date | None = None
    extension_options: str = Field(default="", max_length=500)
    conditions: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    replaces: str = Field(default="", max_length=500)  # e.g. DATRIG replaces the supplementary grants
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    source: str = Field(default="", max_length=300)
    illustrative: bool = False


class Funding(FundingBase, table=True):
    __table_args__ = (CheckConstraint("kind IN ('grant', 'contract')", name="funding_kind"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")


class FundingShare(SQLModel, table=True):
    """The part of a contract's or grant's value that falls to one area (e.g. North 48.6%)."""

    __table_args__ = (UniqueConstraint("funding_id", "area"),)
    id: int | None = Field(default=None, primary_key=True)
    funding_id: int = Field(foreign_key="funding.id", index=True, ondelete="CASCADE")
    area: str = Field(max_length=200)
    value_gbp: float


class ActionFunding(SQLModel, table=True):
    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    funding_id: int = Field(foreign_key="funding.id", primary_key=True, ondelete="CASCADE")


class RiskFunding(SQLModel, table=True):
    risk_id: int = Field(foreign_key="risk.id", primary_key=True, ondelete="CASCADE")
    funding_id: int = Field(foreign_key="funding.id", primary_key=True, ondelete="CASCADE")
