"""Indicator periods as the partnership's sources write them, and the dates they cover.

Financial year "2024/25" (1 April to 31 March), calendar quarter "2024-Q2" (April to June), month
"2024-05", calendar year "2024", or a span of two of these, "2019-01..2022-06" (a 42-month window such
as the documents give). Every period has an end date, which orders an indicator's values and places
them on its chart. Pure: no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

PERIOD_HELP = (
    "Write the period as 2024/25 (financial year), 2024-Q2 (calendar quarter), 2024-05 (month) "
    "or 2024 (calendar year)"
)
PERIOD_KINDS = {
    "financial_year": "financial year",
    "quarter": "calendar quarter",
    "month": "month",
    "year": "calendar year",
    "span": "span of periods",
}
_EARLIEST_YEAR, _LATEST_YEAR = 1990, 2100


@dataclass(frozen=True)
class Period:
    label: str  # the canonical way of writing it, as stored: "2024/25", "2024-Q2", "2024-05", "2024"
    kind: str  # a key of PERIOD_KINDS
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)


def _year(text: str, original: str) -> int:
    year = int(text)
    if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        raise ValueError(f"{original!r}: the year {year} is out of range. {PERIOD_HELP}")
    return year


def _parse_single(text: str, original: str) -> Period:
    if m := re.fullmatch(r"(\d{4})\s*/\s*(\d{2}|\d{4})", text):
        start = _year(m.group(1), original)
        second = int(m.group(2))
        if second not in ((start + 1) % 100, start + 1):
            raise ValueError(
                f"{original!r} is not a financial year: the second year must follow the first, "
                f"as in {start}/{(start + 1) % 100:02d}")
        return Period(f"{start}/{(start + 1) % 100:02d}", "financial_year", date(start, 4, 1), date(start + 1, 3, 31))
    if m := re.fullmatch(r"(\d{4})\s*-?\s*Q([1-4])", text, flags=re.IGNORECASE):
        year, quarter = _year(m.group(1), original), int(m.group(2))
        first_month = 3 * quarter - 2
        return Period(f"{year}-Q{quarter}", "quarter", date(year, first_month, 1), _month_end(year, first_month + 2))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        year, month = _year(m.group(1), original), int(m.group(2))
        if not 1 <= month <= 12:
            hint = ""
            if month == (year + 1) % 100:
                hint = f" For the financial year write {year}/{month:02d}."
            raise ValueError(f"{original!r} is not a month: months run from 01 to 12.{hint} {PERIOD_HELP}")
        return Period(f"{year}-{month:02d}", "month", date(year, month, 1), _month_end(year, month))
    if re.fullmatch(r"\d{4}", text):
        year = _year(text, original)
        return Period(str(year), "year", date(year, 1, 1), date(year, 12, 31))
    if re.fullmatch(r"(\d{4})\s*-?\s*Q\d+", text, flags=re.IGNORECASE):
        raise ValueError(f"{original!r} is not a quarter: quarters are Q1 to Q4. {PERIOD_HELP}")
    raise ValueError(f"{original!r} is not a period this tracker knows. {PERIOD_HELP}")


def parse_period(text: str | None) -> Period:
    """The period written in `text`; raises ValueError with a message saying how to write it."""
    # Text is read once: a page reads the same few periods for each of hundreds of indicators, and a
    # Period is frozen. Anything else (None, a number from a spreadsheet) is read each time.
    return _parse_text(text) if isinstance(text, str) else _parse(text)


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Period:
    return _parse(text)


def _parse(text) -> Period:
    original = "" if text is None else str(text)
    cleaned = original.strip()
    if not cleaned:
        raise ValueError(f"Enter the period. {PERIOD_HELP}")
    if ".." in cleaned:
        first, _, last = cleaned.partition("..")
        if ".." in last:
            raise ValueError(f"{original!r}: a span has one '..' between two periods, as in 2019-01..2022-06")
        a, b = _parse_single(first.strip(), original), _parse_single(last.strip(), original)
        if b.end <= a.start or b.start < a.start:
            raise ValueError(f"{original!r}: the span must run from the earlier period to the later one")
        return Period(f"{a.label}..{b.label}", "span", a.start, b.end)
    return _parse_single(cleaned, original)


def _single_words(p: Period) -> str:
    if p.kind == "month":
        return f"{p.start:%b %Y}"
    if p.kind == "quarter":  # a calendar quarter: its months, so nobody reads it as a financial quarter
        return f"{p.start:%b} – {p.end:%b %Y}"
    return p.label  # "2024/25", "2024"


def period_words(text: str | None) -> str:
    """A period as people read it: "Mar 2023", "Apr – Jun 2024", "2023/24", "2024", a span as
    "Dec 2022 – Nov 2023" or "2018 – 2020"; text that is not a period is given back as it is."""
    original = "" if text is None else str(text)
    try:
        period = parse_period(original)
    except ValueError:
        return original
    if period.kind != "span":
        return _single_words(period)
    first, last = (_parse_single(part, original) for part in period.label.split(".."))
    if first.kind == last.kind == "month" and first.start.year == last.start.year:
        return f"{first.start:%b} – {last.start:%b %Y}"
    return f"{_single_words(first)} – {_single_words(last)}"


def period_end(text: str) -> date:
    return parse_period(text).end

