"""The partnership, its RAG scale, the people in it, the audit trail and embed tokens."""

from __future__ import annotations

import re
from datetime import date, datetime

from pydantic import field_validator
from sqlalchemy import Boolean, CheckConstraint, Column, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from tracker.domain import SECTORS
from tracker.models.base import IdKey, PartnershipKeys, in_values, text_column, utcnow
from tracker.rules.enums import RagCode, RagScaleName, Role, check_choice

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def hex_colour(value) -> str:
    """A colour typed as #rrggbb (or rrggbb), lower case; ValueError says what to type instead."""
    value = str(value or "").strip()
    if value and not value.startswith("#"):
        value = "#" + value
    if not HEX_COLOUR.match(value):
        raise ValueError("Enter the colour as a hex code such as #ffdd00")
    return value.lower()


# --- The partnership and its settings -------------------------------------------------------


class PartnershipBase(SQLModel):
    """The partnership's own settings, as a seed file gives them."""

    slug: str = Field(unique=True, index=True, max_length=60, regex=r"^[a-z0-9-]+$")
    name: str = Field(max_length=200)
    area: str = Field(max_length=200)
    chair_name: str = Field(default="", max_length=200)
    sro_name: str = Field(default="", max_length=200)
    strategy_start: date | None = None
    strategy_end: date | None = None
    rag_scale: str = Field(default=RagScaleName.STANDARD, max_length=40)
    # An action not updated for this many days is reported as "not updated".
    stale_after_days: int = Field(default=90, ge=1)
    # Updates are due this many working days (Monday to Friday) before each board meeting.
    update_deadline_working_days: int = Field(default=10)
    notes: str = Field(default="", sa_column=text_column())

    @field_validator("rag_scale")
    @classmethod
    def _scale(cls, value: str) -> str:
        return check_choice(RagScaleName, value, "a RAG scale")


class Partnership(PartnershipBase, IdKey, table=True):
    # Whether an embedded subgroup view (an intranet page, read without an account) lists the subgroup's
    # members by name and organisation. Off unless an administrator opts in (/admin/thresholds).
    embed_show_members: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False,
                                                                     server_default=false()))


class RagLevelText(SQLModel):
    """What an administrator may change of one colour of the scale."""

    label: str = Field(min_length=1, max_length=40)
    definition: str = Field(min_length=1, max_length=400)
    colour: str = Field(max_length=7)  # background, e.g. "#00703c"

    @field_validator("colour", mode="before")
    @classmethod
    def _colour(cls, value):
        return hex_colour(value)


class RagLevelBase(RagLevelText):
    text_colour: str = Field(default="#ffffff", max_length=7)
    symbol: str = Field(default="", max_length=4)  # shown with the colour, never colour alone
    # Lower is better; a rise between two updates is a deterioration. Blue/grey have none.
    severity: int | None = None
    sort_order: int = 0

    @field_validator("text_colour", mode="before")
    @classmethod
    def _text_colour(cls, value):
        return hex_colour(value)


class RagLevelKeys(PartnershipKeys):
    code: str = Field(max_length=20)


class RagLevel(RagLevelBase, RagLevelKeys, table=True):
    """One colour of the partnership's RAG scale, with the words that define it."""

    __table_args__ = (
        UniqueConstraint("partnership_id", "code"),
        CheckConstraint(in_values("code", RagCode), name="rag_level_code"),
    )


# --- People, roles and the record of who did what --------------------------------------------


class PersonBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(unique=True, index=True, min_length=1, max_length=254)
    organisation: str = Field(default="", max_length=200)
    job_title: str = Field(default="", max_length=200)
    # Which part of the system the person represents: a code of tracker.domain.SECTORS ("" if not stated).
    sector: str = Field(default="", max_length=60)
    role: str = Field(default=Role.MEMBER, max_length=20)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.lower()
        if not EMAIL.match(value):
            raise ValueError("Enter an email address like name@example.org")
        return value

    @field_validator("sector", mode="before")
    @classmethod
    def _sector(cls, value):
        value = "" if value is None else value
        if value and (not isinstance(value, str) or value not in SECTORS):  # a list is no sector, not a 500
            raise ValueError("Choose a sector from the list")
        return value

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value):
        return check_choice(Role, value, "a role")


class Person(PersonBase, PartnershipKeys, table=True):
    """Someone in the partnership; with a password or SSO email they can also sign in."""

    __table_args__ = (CheckConstraint(in_values("role", Role), name="person_role"),)
    password_hash: str | None = Field(default=None, max_length=300)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # Raised to end every session the person has (sign-out, password change or reset, role change).
    session_epoch: int = Field(default=0)


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
    # The last day the token opens its view (None: until revoked).
    expires_on: date | None = None
