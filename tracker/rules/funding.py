"""When a contract or grant ends, counted the way a chair reads it: months left, and "ending soon"."""

from __future__ import annotations

from datetime import date

ENDING_SOON_MONTHS = 12


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def months_left(end: date | None, today: date) -> int | None:
    """Whole months from today to the end date (negative once ended); None without an end date."""
    if end is None:
        return None
    months = (end.year - today.year) * 12 + end.month - today.month
    if end.day < today.day:
        months -= 1
    return months


def ending_within(end: date | None, today: date, months: int = ENDING_SOON_MONTHS) -> bool:
    """Ends on or after today and no later than `months` from today."""
    return end is not None and today <= end <= add_months(today, months)


def status(end: date | None, today: date, months: int = ENDING_SOON_MONTHS) -> str:
    if end is None:
        return "No end date"
    if end < today:
        return "Ended"
    return "Ending soon" if ending_within(end, today, months) else "Running"
