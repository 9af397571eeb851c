"""The partnership, its RAG scale, the people in it, the audit trail and embed tokens."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import in_values, utcnow
from tracker.rules.enums import RagCode, RagScaleName, Role

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
    rag_scale: str = Field(default=RagScaleName.STANDARD, max_length=40)
    # An action not updated for this many days is reported as "not updated".
    stale_after_days: int = Field(default=90)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class RagLevel(SQLModel, table=True):
    """One colour of the partnership's RAG scale, with the words that define it."""

    __table_args__ = (
        UniqueConstraint("partnership_id", "code"),
        CheckConstraint(in_values("code", RagCode), name="rag_level_code"),
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

    __table_args__ = (CheckConstraint(in_values("role", Role), name="person_role"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    email: str = Field(unique=True, index=True, max_length=254)
    organisation: str = Field(default="", max_length=200)
    job_title: str = Field(default="", max_length=200)
    # Which part of the system the person represents: a code of tracker.domain.SECTORS ("" if not stated).
    sector: str = Field(default="", max_length=60)
    role: str = Field(default=Role.MEMBER, max_length=20)
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
