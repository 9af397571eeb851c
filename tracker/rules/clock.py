"""The one clock: "now" in UTC for what is stored, "today" and displayed times in UK time (Europe/London,
BST included), whatever time zone the server runs in.

Timestamps are stored in UTC: the columns are timezone-aware (sqlmodel's UTCDateTime: timestamptz on
PostgreSQL, UTC text on SQLite) and come back as aware UTC datetimes; a naive datetime is refused on
write. A UK calendar date ("today", an update's date, a date filter) is a plain `date`.

Tests set the time with `frozen_at(moment)`; every caller of this module then sees that moment,
server threads included.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    UK = ZoneInfo("Europe/London")  # the tzdata package supplies it where the system has no zone database
except ZoneInfoNotFoundError:  # pragma: no cover - only without tzdata; UTC rather than fail, but say so
    logging.getLogger(__name__).warning("No time zone data for Europe/London: UK times are shown in UTC")
    UK = UTC

_frozen: datetime | None = None  # set only by frozen_at (tests)


def utc_now() -> datetime:
    """Now, as an aware UTC datetime (what timestamps store)."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def uk_now() -> datetime:
    """Now in UK local time (aware; GMT in winter, BST in summer)."""
    return utc_now().astimezone(UK)


def uk_today() -> date:
    """Today's date in the UK: at 00:30 BST on a UTC server it is already the next day."""
    return uk_now().date()


def to_uk(value: datetime) -> datetime:
    """A stored moment in UK local time (a naive value is taken as UTC, as SQLite gives it back)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UK)


def uk_date(value: datetime) -> date:
    """The UK calendar date of a stored moment."""
    return to_uk(value).date()


def uk_midnight_utc(day: date) -> datetime:
    """The moment (in UTC) a UK calendar day begins: 23:00 UTC the day before in summer."""
    return datetime.combine(day, time(), tzinfo=UK).astimezone(UTC)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    """Make the clock read `moment` (aware; converted to UTC) inside the block. For tests."""
    global _frozen
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime (say which time zone it is in)")
    previous, _frozen = _frozen, moment.astimezone(UTC)
    try:
        yield _frozen
    finally:
        _frozen = previous
