"""Subgroups, their members and their versioned terms of reference."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import in_values, utcnow
from tracker.rules.enums import MemberRole, SubgroupStatus

# --- Subgroups and their terms of reference --------------------------------------------------


class Subgroup(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "name"),
        UniqueConstraint("partnership_id", "code"),
        CheckConstraint(in_values("status", SubgroupStatus), name="subgroup_status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=20)  # short reference used in action refs, e.g. "TR"
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    lead_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default=SubgroupStatus.ACTIVE, max_length=20)
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))


class SubgroupTheme(SQLModel, table=True):
    subgroup_id: int = Field(foreign_key="subgroup.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, ondelete="CASCADE")


class SubgroupMember(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("subgroup_id", "person_id"),
        CheckConstraint(in_values("role", MemberRole), name="member_role"),
    )
    id: int | None = Field(default=None, primary_key=True)
    subgroup_id: int = Field(foreign_key="subgroup.id", index=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    role: str = Field(default=MemberRole.MEMBER, max_length=20)
    joined_on: date | None = None


class TermsOfReference(SQLModel, table=True):
    """One version of a subgroup's terms of reference; a change adds a version, keeping the history."""

    __table_args__ = (
        UniqueConstraint("subgroup_id", "version"),
        CheckConstraint("version >= 1", name="tor_version_positive"),
    )
    id: int | None = Field(default=None, primary_key=True)
    subgroup_id: int = Field(foreign_key="subgroup.id", index=True, ondelete="CASCADE")
    version: int
    purpose: str = Field(sa_column=Column(Text, nullable=False))
    scope: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    responsibilities: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    membership: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    quorum: str = Field(default="", max_length=300)
    meeting_frequency: str = Field(default="", max_length=200)
    reports_to: str = Field(default="", max_length=200)
    approved_on: date | None = None
    review_due: date | None = None
    change_note: str = Field(default="", max_length=500)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class TorInterdependency(SQLModel, table=True):
    """A dependency a version of terms of reference records on another subgroup."""

    id: int | None = Field(default=None, primary_key=True)
    tor_id: int = Field(foreign_key="termsofreference.id", index=True, ondelete="CASCADE")
    other_subgroup_id: int = Field(foreign_key="subgroup.id", ondelete="CASCADE")
    description: str = Field(default="", max_length=500)
