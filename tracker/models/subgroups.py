"""Subgroups, their members and their versioned terms of reference.

The fields a person or a seed file gives are written once, in the Base classes; the input models
(tracker.schemas) and the seed records (tracker.seed.schema) inherit them.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator, model_validator
from sqlalchemy import CheckConstraint, Column, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import FieldError, IdKey, PartnershipKeys, in_values, text_column, utcnow
from tracker.rules.enums import MemberRole, SubgroupStatus, check_choice

# --- Subgroups and their terms of reference --------------------------------------------------


class SubgroupBase(SQLModel):
    name: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=5000, sa_column=text_column())
    lead_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default=SubgroupStatus.ACTIVE, max_length=20)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value):
        return check_choice(SubgroupStatus, value, "a status")

    @field_validator("lead_id", mode="before")
    @classmethod
    def _no_lead(cls, value):
        return None if value in ("", None) else value


class SubgroupKeys(PartnershipKeys):
    code: str = Field(max_length=20)  # short reference used in action refs, e.g. "TR"


class Subgroup(SubgroupBase, SubgroupKeys, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "name"),
        UniqueConstraint("partnership_id", "code"),
        CheckConstraint(in_values("status", SubgroupStatus), name="subgroup_status"),
    )
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


class TermsOfReferenceBase(SQLModel):
    """What one version of the terms of reference says (the title of each field is its label)."""

    purpose: str = Field(min_length=10, max_length=5000, title="Purpose",
                         description="Why the subgroup exists (at least 10 characters).",
                         sa_column=Column(Text, nullable=False))
    scope: str = Field(default="", max_length=5000, title="Scope",
                       description="What is in and out of the subgroup's remit.", sa_column=text_column())
    responsibilities: str = Field(default="", max_length=10000, title="Responsibilities",
                                  sa_column=text_column())
    membership: str = Field(default="", max_length=5000, title="Membership",
                            description="Which organisations and roles sit on it.", sa_column=text_column())
    quorum: str = Field(default="", max_length=300, title="Quorum")
    meeting_frequency: str = Field(default="", max_length=200, title="Meeting frequency")
    reports_to: str = Field(default="", max_length=200, title="Reports to")
    approved_on: date | None = Field(default=None, title="Approved on",
                                     description="Leave empty while the version is a draft.")
    review_due: date | None = Field(default=None, title="Review due",
                                    description="Must be after the approval date.")
    change_note: str = Field(default="", max_length=500, title="What changed and why")

    @model_validator(mode="after")
    def _dates(self):
        if self.approved_on and self.review_due and self.review_due <= self.approved_on:
            raise FieldError("review_due", "The review date must be after the approval date")
        return self


# The fields of a version, in the order the form and the page show them.
TOR_FIELDS: tuple[str, ...] = tuple(TermsOfReferenceBase.model_fields)


class TermsOfReferenceKeys(IdKey):
    subgroup_id: int = Field(foreign_key="subgroup.id", index=True, ondelete="CASCADE")
    version: int


class TermsOfReference(TermsOfReferenceBase, TermsOfReferenceKeys, table=True):
    """One version of a subgroup's terms of reference; a change adds a version, keeping the history."""

    __table_args__ = (
        UniqueConstraint("subgroup_id", "version"),
        CheckConstraint("version >= 1", name="tor_version_positive"),
    )
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class TorInterdependency(SQLModel, table=True):
    """A dependency a version of terms of reference records on another subgroup."""

    id: int | None = Field(default=None, primary_key=True)
    tor_id: int = Field(foreign_key="termsofreference.id", index=True, ondelete="CASCADE")
    other_subgroup_id: int = Field(foreign_key="subgroup.id", ondelete="CASCADE")
    description: str = Field(default="", max_length=500)
