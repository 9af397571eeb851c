"""What every table module shares: the UTC clock and the fixed code lists the CHECK constraints use."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


# The codes a RAG may take across both supported scales; the partnership's scale narrows it.
RAG_CODES = ("green", "amber_green", "amber", "amber_red", "red", "blue", "grey")
ACTION_STATUSES = ("not_started", "in_progress", "complete", "cancelled")
ROLES = ("admin", "chair", "member", "viewer")


def in_values(column: str, values: tuple[str, ...]) -> str:
    """A CHECK constraint's SQL: column IN ('a', 'b', ...)."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
