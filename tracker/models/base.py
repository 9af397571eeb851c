"""What every table module shares: the UTC clock and the fixed code lists the CHECK constraints use.

The code lists themselves are the enums of tracker.rules.enums; the tuples here are their values.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.rules.enums import ActionStatus, RagCode, Role


def utcnow() -> datetime:
    return datetime.now(UTC)


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
