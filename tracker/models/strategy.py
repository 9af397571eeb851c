"""Strategy: the themes, the national outcomes framework and the local objectives."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import in_values
from tracker.rules.enums import OutcomeKind

# --- Strategy: themes, national outcomes, local objectives ------------------------------------


class Theme(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "number"),
        UniqueConstraint("partnership_id", "name"),
    )
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    number: int
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Outcome(SQLModel, table=True):
    """An outcome of the National Combating Drugs Outcomes Framework (strategic or intermediate)."""

    __table_args__ = (
        UniqueConstraint("partnership_id", "code"),
        CheckConstraint(in_values("kind", OutcomeKind), name="outcome_kind"),
    )
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=20)  # "S1" .. "S3", "I1" .. "I3"
    kind: str = Field(max_length=20)
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Objective(SQLModel, table=True):
    """A local priority under a theme."""

    __table_args__ = (UniqueConstraint("partnership_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", index=True)
    code: str = Field(max_length=20)  # "T2.1"
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    source: str = Field(default="", max_length=300)  # the document the priority comes from


class ObjectiveOutcome(SQLModel, table=True):
    objective_id: int = Field(foreign_key="objective.id", primary_key=True, ondelete="CASCADE")
    outcome_id: int = Field(foreign_key="outcome.id", primary_key=True, ondelete="CASCADE")
