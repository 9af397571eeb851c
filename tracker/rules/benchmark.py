"""Plain-words comparisons with England, and stale data, as a public-health analyst would put them.

A local figure is called "better" or "worse" than England only where the source's significance test
says so; without a test the words say higher or lower and that no test was given. An indicator whose
source should have published a newer period by now is "stale data", which says nothing about being
on or off track.
"""

from __future__ import annotations

from datetime import date, timedelta

# Fingertips' "Compared to England value or percentiles" words -> the stored code.
SIGNIFICANCE_WORDS = {
    "better": "better", "similar": "similar", "worse": "worse", "higher": "higher", "lower": "lower",
    "not compared": "not_compared", "": "",
}


def significance_code(words: str | None) -> str:
    """The stored code for the source's words; ValueError naming the allowed words otherwise."""
    key = (words or "").strip().lower()
    if key not in SIGNIFICANCE_WORDS:
        raise ValueError("use Better, Similar, Worse, Higher, Lower or Not compared")
    return SIGNIFICANCE_WORDS[key]


def verdict(local: float | None, england: float | None, significance: str, direction: str = "higher") -> str:
    """E.g. "Similar to England", "Worse than England", "Higher than England (no significance test given)"."""
    if significance == "better":
        return "Better than England"
    if significance == "worse":
        return "Worse than England"
    if significance == "similar":
        return "Similar to England"
    if significance in ("higher", "lower"):
        return f"{significance.capitalize()} than England (the source does not say which is better)"
    if local is None:
        return "No local figure (suppressed or not published)"
    if england is None:
        return "No England figure to compare with"
    if local == england:
        return "The same as England (no significance test given)"
    side = "Higher" if local > england else "Lower"
    return f"{side} than England (no significance test given)"


def overlaps(lower: float | None, upper: float | None, value: float | None) -> bool | None:
    """Whether `value` lies inside the confidence interval (None without one)."""
    if lower is None or upper is None or value is None:
        return None
    return lower <= value <= upper


FREQUENCY_DAYS = {"monthly": 31, "quarterly": 92, "annual": 366}


def staleness(next_due: date | None, latest_published: str, latest_entered: str | None,
              latest_entered_end: date | None, frequency: str, today: date, grace_days: int = 30) -> str:
    """Why the indicator's data is stale, or "" when it is not.

    - the source has published a newer period than the newest one entered here;
    - the source's next publication date (plus a month's grace to enter it) has passed;
    - with no timetable: the newest value is older than two publication intervals plus the grace.
    Ad hoc sources are stale only by the first two.
    """
    if latest_published and latest_entered != latest_published:
        return f"The source has published {latest_published}; the newest figure here is {latest_entered or 'none'}."
    if next_due is not None:
        if today > next_due + timedelta(days=grace_days):
            return f"A new release was due on {next_due.day} {next_due:%B %Y} and has not been entered."
        return ""
    interval = FREQUENCY_DAYS.get(frequency)
    if interval is not None and latest_entered_end is not None and \
            today > latest_entered_end + timedelta(days=2 * interval + grace_days):
        return f"No {frequency} figure for over {2 * interval // 30} months."
    return ""
