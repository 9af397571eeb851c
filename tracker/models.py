"""The database tables (SQLModel). Table models do not validate: input goes through tracker.schemas.

Each partnership is fully separate: every top-level record carries its partnership_id.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import CheckConstraint, Column, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


# The codes a RAG may take across both supported scales; the partnership's scale narrows it.
RAG_CODES = ("green", "amber_green", "amber", "amber_red", "red", "blue", "grey")
ACTION_STATUSES = ("not_started", "in_progress", "complete", "cancelled")
ROLES = ("admin", "chair", "member", "viewer")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


# --- The partnership and its settings -------------------------------------------------------


class Partnership(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=60)
    name: str = Field(max_length=200)
    area: str = Field(max_length=200)
    chair_name: str = Field(default="", max_length=200)
    sro_name: str = Field(default="", max_length=200)
    strategy_start: date | None = None
    strategy_end: date | None = None
    rag_scale: str = Field(default="standard", max_length=40)
    # An action not updated for this many days is reported as "not updated".
    stale_after_days: int = Field(default=90)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class RagLevel(SQLModel, table=True):
    """One colour of the partnership's RAG scale, with the words that define it."""

    __table_args__ = (
        UniqueConstraint("partnership_id", "code"),
        CheckConstraint(_in("code", RAG_CODES), name="rag_level_code"),
    )
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=20)
    label: str = Field(max_length=40)
    definition: str = Field(max_length=400)
    colour: str = Field(max_length=7)  # background, e.g. "#00703c"
    text_colour: str = Field(default="#ffffff", max_length=7)
    symbol: str = Field(default="", max_length=4)  # shown with the colour, never colour alone
    # Lower is better; a rise between two updates is a deterioration. Blue/grey have none.
    severity: int | None = None
    sort_order: int = 0


# --- People, roles and the record of who did what --------------------------------------------


class Person(SQLModel, table=True):
    """Someone in the partnership; with a password or SSO email they can also sign in."""

    __table_args__ = (CheckConstraint(_in("role", ROLES), name="person_role"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    email: str = Field(unique=True, index=True, max_length=254)
    organisation: str = Field(default="", max_length=200)
    job_title: str = Field(default="", max_length=200)
    # Which part of the system the person represents: a code of tracker.domain.SECTORS ("" if not stated).
    sector: str = Field(default="", max_length=60)
    role: str = Field(default="member", max_length=20)
    password_hash: str | None = Field(default=None, max_length=300)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """Who changed which record, when, and the values before and after (JSON)."""

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int | None = Field(default=None, foreign_key="partnership.id", index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    actor_name: str = Field(default="", max_length=200)
    verb: str = Field(max_length=20)  # create / update / delete / sign_off ...
    entity_type: str = Field(max_length=60, index=True)
    entity_id: int | None = None
    summary: str = Field(default="", max_length=400)
    before: str | None = Field(default=None, sa_column=Column(Text))
    after: str | None = Field(default=None, sa_column=Column(Text))


class EmbedToken(SQLModel, table=True):
    """A read-only token that lets an intranet page embed one view without an account."""

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    label: str = Field(max_length=200)
    scope: str = Field(max_length=60)  # "overview", "theme:3", "subgroup:2"
    token_hash: str = Field(unique=True, max_length=128)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    revoked: bool = False


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
        CheckConstraint("kind IN ('strategic', 'intermediate')", name="outcome_kind"),
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


# --- Subgroups and their terms of reference --------------------------------------------------


class Subgroup(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "name"),
        UniqueConstraint("partnership_id", "code"),
        CheckConstraint("status IN ('forming', 'active', 'paused', 'closed')", name="subgroup_status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=20)  # short reference used in action refs, e.g. "TR"
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    lead_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="active", max_length=20)
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))


class SubgroupTheme(SQLModel, table=True):
    subgroup_id: int = Field(foreign_key="subgroup.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, ondelete="CASCADE")


class SubgroupMember(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("subgroup_id", "person_id"),
        CheckConstraint("role IN ('lead', 'deputy', 'member')", name="member_role"),
    )
    id: int | None = Field(default=None, primary_key=True)
    subgroup_id: int = Field(foreign_key="subgroup.id", index=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    role: str = Field(default="member", max_length=20)
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


# --- The delivery plan -----------------------------------------------------------------------


class Action(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "ref"),
        CheckConstraint(_in("status", ACTION_STATUSES), name="action_status"),
        CheckConstraint("due_date IS NULL OR start_date IS NULL OR due_date >= start_date",
                        name="action_due_after_start"),
        CheckConstraint("version >= 1", name="action_version_positive"),
    )
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    subgroup_id: int = Field(foreign_key="subgroup.id", index=True)
    objective_id: int | None = Field(default=None, foreign_key="objective.id", index=True)
    ref: str = Field(max_length=20)  # e.g. "TR-04", unique within the partnership
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    owner_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    lead_organisation: str = Field(default="", max_length=200)
    start_date: date | None = None
    due_date: date | None = None
    status: str = Field(default="not_started", max_length=20)
    source: str = Field(default="", max_length=300)  # where the action comes from
    illustrative: bool = False
    # Optimistic lock: every edit is UPDATE ... WHERE version = <the version the editor saw>.
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")


class ActionOutcome(SQLModel, table=True):
    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    outcome_id: int = Field(foreign_key="outcome.id", primary_key=True, ondelete="CASCADE")


class ActionIndicator(SQLModel, table=True):
    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    indicator_id: int = Field(foreign_key="indicator.id", primary_key=True, ondelete="CASCADE")


class StatusUpdate(SQLModel, table=True):
    """An update to an action: a new row every time, never an overwrite."""

    __table_args__ = (
        CheckConstraint(_in("rag", RAG_CODES), name="status_update_rag"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="status_update_progress"),
        # Serves "the latest updates of each action" (tracker.services.plan) without a sort.
        Index("ix_statusupdate_latest", "action_id", "update_date", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")
    update_date: date = Field(index=True)
    rag: str = Field(max_length=20)
    progress: int
    narrative: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    next_steps: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    blockers: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    author_id: int | None = Field(default=None, foreign_key="person.id")
    illustrative: bool = False
    created_at: datetime = Field(default_factory=utcnow)


# --- Indicators (the measures) ---------------------------------------------------------------


class Indicator(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "code"),
        CheckConstraint("direction IN ('higher', 'lower')", name="indicator_direction"),
    )
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=30)
    name: str = Field(max_length=300)
    outcome_id: int | None = Field(default=None, foreign_key="outcome.id", index=True)
    objective_id: int | None = Field(default=None, foreign_key="objective.id", index=True)
    is_national: bool = False  # a headline metric of the national outcomes framework
    unit: str = Field(default="", max_length=60)
    direction: str = Field(default="higher", max_length=10)  # which way is better
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


# --- Maturity: framework (data) and assessments ----------------------------------------------


class MaturityFramework(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("partnership_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    version: int = 1
    is_current: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class MaturityLevel(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("framework_id", "level"),
        CheckConstraint("level BETWEEN 1 AND 5", name="maturity_level_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="maturityframework.id", index=True, ondelete="CASCADE")
    level: int
    name: str = Field(max_length=60)  # "Not yet in place" .. "Exemplary"


class MaturityDimension(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("framework_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="maturityframework.id", index=True, ondelete="CASCADE")
    number: int
    key: str = Field(max_length=40)  # stable across framework versions, e.g. "governance"
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


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
        CheckConstraint("status IN ('open', 'agreed', 'signed_off')", name="assessment_status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    subgroup_id: int = Field(foreign_key="subgroup.id", index=True, ondelete="CASCADE")
    framework_id: int = Field(foreign_key="maturityframework.id")
    title: str = Field(max_length=200)  # e.g. "2025/26 Q3 self-assessment"
    status: str = Field(default="open", max_length=20)
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


# --- Money: commissioned services and grants -------------------------------------------------


class Funding(SQLModel, table=True):
    """A commissioned service or a grant, with its value and end date."""

    __table_args__ = (CheckConstraint("kind IN ('grant', 'contract')", name="funding_kind"),)
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
