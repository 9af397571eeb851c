"""Maturity: the framework (data) and the subgroups' assessments against it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import IdKey, PartnershipKeys, in_values, text_column, utcnow
from tracker.rules.enums import AssessmentStatus

# --- Maturity: framework (data) and assessments ----------------------------------------------


class MaturityFrameworkBase(SQLModel):
    name: str = Field(max_length=200)
    version: int = 1


class MaturityFramework(MaturityFrameworkBase, PartnershipKeys, table=True):
    __table_args__ = (UniqueConstraint("partnership_id", "version"),)
    is_current: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class FrameworkKeys(IdKey):
    framework_id: int = Field(foreign_key="maturityframework.id", index=True, ondelete="CASCADE")


class MaturityLevelBase(SQLModel):
    level: int = Field(ge=1, le=5)
    name: str = Field(max_length=60)  # "Not yet in place" .. "Exemplary"


class MaturityLevel(MaturityLevelBase, FrameworkKeys, table=True):
    __table_args__ = (
        UniqueConstraint("framework_id", "level"),
        CheckConstraint("level BETWEEN 1 AND 5", name="maturity_level_range"),
    )


class MaturityDimensionBase(SQLModel):
    number: int
    key: str = Field(max_length=40, regex=r"^[a-z_]+$")  # stable across framework versions, e.g. "governance"
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_column=text_column())


class MaturityDimension(MaturityDimensionBase, FrameworkKeys, table=True):
    __table_args__ = (UniqueConstraint("framework_id", "key"),)


class MaturityDescriptor(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("dimension_id", "level"),
        CheckConstraint("level BETWEEN 1 AND 5", name="maturity_descriptor_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    dimension_id: int = Field(foreign_key="maturitydimension.id", index=True, ondelete="CASCADE")
    level: int
    text: str = Field(sa_column=Column(Text, nullable=False))


class MaturityAssessment(SQLModel, table=True):
    """A round of self-assessment of one subgroup against one version of the framework."""

    __table_args__ = (
        CheckConstraint(in_values("status", AssessmentStatus), name="assessment_status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    subgroup_id: int = Field(foreign_key="subgroup.id", index=True, ondelete="CASCADE")
    framework_id: int = Field(foreign_key="maturityframework.id")
    title: str = Field(max_length=200)  # e.g. "2025/26 Q3 self-assessment"
    status: str = Field(default=AssessmentStatus.OPEN, max_length=20)
    opened_by_id: int | None = Field(default=None, foreign_key="person.id")
    opened_on: date
    agreed_by_id: int | None = Field(default=None, foreign_key="person.id")
    agreed_on: date | None = None
    signed_off_by_id: int | None = Field(default=None, foreign_key="person.id")
    signed_off_on: date | None = None
    chair_comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    illustrative: bool = False


class MaturityRater(SQLModel, table=True):
    """A person invited to score an assessment independently."""

    assessment_id: int = Field(foreign_key="maturityassessment.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    submitted_at: datetime | None = None


class MaturityRating(SQLModel, table=True):
    """One rater's own score for one dimension (a draft until the rater submits)."""

    __table_args__ = (
        UniqueConstraint("assessment_id", "rater_id", "dimension_id"),
        CheckConstraint("score IS NULL OR score BETWEEN 1 AND 5", name="rating_score_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="maturityassessment.id", index=True, ondelete="CASCADE")
    rater_id: int = Field(foreign_key="person.id")
    dimension_id: int = Field(foreign_key="maturitydimension.id")
    score: int | None = None
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    improvement: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_at: datetime = Field(default_factory=utcnow)


class MaturityScore(SQLModel, table=True):
    """The agreed score of a dimension, and the chair's moderation of it."""

    __table_args__ = (
        UniqueConstraint("assessment_id", "dimension_id"),
        CheckConstraint("agreed_score BETWEEN 1 AND 5", name="score_agreed_range"),
        CheckConstraint("moderated_score IS NULL OR moderated_score BETWEEN 1 AND 5",
                        name="score_moderated_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="maturityassessment.id", index=True, ondelete="CASCADE")
    dimension_id: int = Field(foreign_key="maturitydimension.id")
    agreed_score: int
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    improvement: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    moderated_score: int | None = None
    moderation_comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    improvement_action_id: int | None = Field(default=None, foreign_key="action.id")
