"""The reporting cycle's date rules: update deadlines, the current reporting period, "due an update".

Pure functions of dates, no database. Working days are Monday to Friday; UK bank holidays are not
taken into account (a deadline may fall on one: the UI says so).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

CLOSED_STATUSES = ("complete", "cancelled")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def update_deadline(meeting_date: date, working_days: int) -> date:
    """The day updates are due: `working_days` working days (Mon–Fri) before the meeting.

    0 means the meeting day itself. Bank holidays are ignored."""
    if working_days < 0:
        raise ValueError("working_days cannot be negative")
    day, left = meeting_date, working_days
    while left:
        day -= timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n)))


@dataclass(frozen=True)
class ReportingPeriod:
    """Updates dated after `start` (exclusive) count for the board at `end`.

    `start` is the meeting date of the last published board report (or, before any is published,
    of the last meeting held); None means there has been no board yet, so any update counts.
    `end` is the next meeting (None when the calendar has none ahead)."""

    start: date | None
    end: date | None

    def contains(self, day: date) -> bool:
        return (self.start is None or day > self.start) and (self.end is None or day <= self.end)


def reporting_period(today: date, meeting_dates: Iterable[date], published_dates: Iterable[date]) -> ReportingPeriod:
    """The current reporting period on `today`.

    It runs from the meeting date of the last published board report up to the next meeting (today
    or later). Until a first report is published, it runs from the last meeting held before today."""
    meetings = sorted(set(meeting_dates))
    published = [d for d in published_dates if d <= today]
    if published:
        start = max(published)
    else:
        past = [d for d in meetings if d < today]
        start = past[-1] if past else None
    ahead = [d for d in meetings if d >= today]
    return ReportingPeriod(start=start, end=ahead[0] if ahead else None)


def is_open(status: str) -> bool:
    return status not in CLOSED_STATUSES


def is_due_update(status: str, update_dates: Iterable[date], period: ReportingPeriod) -> bool:
    """Open (not complete or cancelled) and no update dated in the current reporting period."""
    if not is_open(status):
        return False
    return not any(period.contains(d) for d in update_dates)
