"""UK conventions: dates as 31 March 2026 or 31/03/2026, money in pounds, financial years as 2024/25.
A stored timestamp (an aware datetime, UTC) is shown in UK local time, so its date is the UK date."""

from __future__ import annotations

from datetime import date, datetime

from tracker.rules.clock import to_uk


def _local(value: date | datetime) -> date | datetime:
    return to_uk(value) if isinstance(value, datetime) and value.tzinfo is not None else value


def long_date(value: date | datetime | None, empty: str = "—") -> str:
    if value is None:
        return empty
    value = _local(value)
    return f"{value.day} {value:%B %Y}"


def short_date(value: date | datetime | None, empty: str = "—") -> str:
    return _local(value).strftime("%d/%m/%Y") if value else empty


def short_date_time(value: datetime | None, empty: str = "—") -> str:
    """31/03/2026 14:05, in UK time for an aware (stored) timestamp; a naive one as given."""
    return _local(value).strftime("%d/%m/%Y %H:%M") if value else empty


def uk_time(value: datetime) -> str:
    """14:05, in UK time for an aware (stored) timestamp."""
    return f"{_local(value):%H:%M}"


def money(value: float | None, empty: str = "—") -> str:
    if value is None:
        return empty
    sign, value = ("-" if value < 0 else ""), abs(value)
    if round(value) >= 1_000_000:
        return f"{sign}£{value / 1_000_000:,.2f}m"
    return f"{sign}£{value:,.0f}"


def financial_year(value: date) -> str:
    """The UK financial year (1 April to 31 March) a date falls in, e.g. 2024/25."""
    start = value.year if value.month >= 4 else value.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def status_label(status: str) -> str:
    return status.replace("_", " ").capitalize()
