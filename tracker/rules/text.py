"""Text the database can store: PostgreSQL refuses a NUL character in text (psycopg raises DataError,
which would be a 500), and one comes now and then with text pasted from other programs or crafted into
a request. Every input model refuses it (tracker.schemas.nul_free); a service that checks its text by
hand uses the same test and message."""

from __future__ import annotations

NUL_PROBLEM = "Remove the invisible NUL character (\\x00) from this text: it comes with text pasted from some programs"


def holds_nul(value: object) -> bool:
    """Whether text, or any text inside a list, tuple, set or dict (keys too), holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    return False
