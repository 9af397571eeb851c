"""Strategy: the themes, the national outcomes framework and the local objectives."""

from __future__ import annotations

from pydantic import field_validator
from sqlalchemy import Boolean, CheckConstraint, Column, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from tracker.models.base import PartnershipKeys, in_values, text_column
from tracker.rules.enums import OutcomeKind, check_choice

# --- Strategy: themes, national outcomes, local objectives ------------------------------------


class ThemeBase(SQLModel):
    number: int
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_column=text_column())


class Theme(ThemeBase, PartnershipKeys, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "number"),
        UniqueConstraint("partnership_id", "name"),
    )
    # Retired by an administrator: no longer offered for new work; its objectives and actions stay.
    retired: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False,
                                                          server_default=false()))


class OutcomeBase(SQLModel):
    code: str = Field(max_length=20)  # "S1" .. "S3", "I1" .. "I3"
    kind: str = Field(max_length=20)
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_column=text_column())

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value):
        return check_choice(OutcomeKind, value, "strategic or intermediate")


class Outcome(OutcomeBase, PartnershipKeys, table=True):
    """An outcome of the National Combating Drugs Outcomes Framework (strategic or intermediate)."""

    __table_args__ = (
        UniqueConstraint("partnership_id", "code"),
        CheckConstraint(in_values("kind", OutcomeKind), name="outcome_kind"),
    )


class ObjectiveBase(SQLModel):
    code: str = Field(max_length=20)  # "T2.1"
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_column=text_column())
    source: str = Field(default="", max_length=300)  # the document the priority comes from


class ObjectiveKeys(PartnershipKeys):
    theme_id: int = Field(foreign_key="theme.id", index=True)


class Objective(ObjectiveBase, ObjectiveKeys, table=True):
    """A local priority under a theme."""

    __table_args__ = (UniqueConstraint("partnership_id", "code"),)
    retired: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False,
                                                          server_default=false()))


class ObjectiveOutcome(SQLModel, table=True):
    objective_id: int = Field(foreign_key="objective.id", primary_key=True, ondelete="CASCADE")
    outcome_id: int = Field(foreign_key="outcome.id", primary_key=True, ondelete="CASCADE")
