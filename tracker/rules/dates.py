"""Reading a date the way a UK user types it (pure: no database). Formatting is tracker.formatting.

`parse_date` reads a date a person typed (an Excel or CSV import, a text box): "31/03/2026",
"31 March 2026" and "2026-03-31" mean the same everywhere. `parse_iso_date` reads what a date
control sends (always 2026-03-31) and refuses anything else, as a request made by hand.
"""

from __future__ import annotations

import re
from datetime import date, datetime

DATE_HELP = "write it as dd/mm/yyyy, for example 31/03/2026"
# The years a plan date may fall in; anything else is a typing slip (a two-digit year, a digit lost).
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100

_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = ("%d %B %Y", "%d %b %Y")  # 31 March 2026, 31 Mar 2026


def parse_date(value: object) -> date | None:
    """A date from a date, a datetime, or text (ISO 2026-03-31, UK 31/03/2026, or 31 March 2026);
    None for nothing (None or blank text). ValueError says what to type instead."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"{value} is not a date: {DATE_HELP}")
    text = " ".join(value.split())
    if not text:
        return None
    if m := _ISO.fullmatch(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _DMY.fullmatch(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if len(m.group(3)) != 4:
            raise ValueError(f"{text}: write the year in full, as dd/mm/yyyy (for example 31/03/2026)")
    else:
        for pattern in _WORDS:
            try:
                parsed = datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            year, month, day = parsed.year, parsed.month, parsed.day
            break
        else:
            raise ValueError(f"{text!r} is not a date: {DATE_HELP}")
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"{text}: the year {year} looks wrong; {DATE_HELP}")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text} is not a real date: dates are day first, dd/mm/yyyy (for example "
                         "31/03/2026)") from None


def parse_iso_date(value: object) -> date | None:
    """A date from a date control (<input type="date"> always sends 2026-03-31), a date or a
    datetime; None for nothing. Anything else, UK forms included, is a ValueError: a control never
    sends them, so they mean a request made by hand."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date: {DATE_HELP}") from None


def iso_date_or_none(value: object) -> date | None:
    """As parse_iso_date, but None for anything that is not a date."""
    try:
        return parse_iso_date(value)
    except ValueError:
        return None
