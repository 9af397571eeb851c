"""What every table module shares: the UTC clock and the fixed code lists the CHECK constraints use.

The code lists themselves are the enums of tracker.rules.enums; the tuples here are their values.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from tracker.rules.clock import utc_now
from tracker.rules.enums import ActionStatus, RagCode, Role


def utcnow() -> datetime:
    # Stored timestamps are UTC (aware columns); see tracker.rules.clock.
    return utc_now()


# The codes a RAG may take across both supported scales; the partnership's scale narrows it.
RAG_CODES = RagCode.values()
ACTION_STATUSES = ActionStatus.values()
ROLES = Role.values()


def in_values(column: str, values: tuple[str, ...] | type) -> str:
    """A CHECK constraint's SQL: column IN ('a', 'b', ...), from a tuple of codes or an enum."""
    if isinstance(values, type):
        values = tuple(member.value for member in values)
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class FieldError(ValueError):
    """A rule over several fields, reported against the one the user should fix."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


# --- The keys that open a table ---------------------------------------------------------------
# Each table is `class Table(TableBase, Keys, table=True)`: the keys come first, then the fields of
# its Base (shared with the input model and the seed record), then the table's own bookkeeping, so
# the columns stay in the order the schema has always had.


class IdKey(SQLModel):
    id: int | None = Field(default=None, primary_key=True)


class PartnershipKeys(IdKey):
    """The id, and the partnership the record belongs to (each partnership is fully separate)."""

    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")


def text_column() -> Column:
    """A long text column, NOT NULL, empty by default."""
    return Column(Text, nullable=False, default="")
