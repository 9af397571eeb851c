"""Numbers as people type them into the tracker, and as it shows them (UK style). Pure: no database."""

from __future__ import annotations

import math
import re

_NUMBER = re.compile(r"[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?")


def parse_number(value) -> float:
    """A number as people type it: 3540, 3,540, 41.5, 41.5%. Raises ValueError saying what to type."""
    if isinstance(value, bool):
        raise ValueError("Enter a number, for example 3540 or 41.5")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValueError("Enter a value: a number, for example 3540 or 41.5")
        text = text.removesuffix("%").strip().replace("£", "")
        if not _NUMBER.fullmatch(text) or not any(ch.isdigit() for ch in text):
            raise ValueError(f"{value!r} is not a number: enter digits only, for example 3540 or 41.5")
        number = float(text.replace(",", ""))
    if math.isnan(number) or math.isinf(number):
        raise ValueError("Enter a real number, for example 3540 or 41.5")
    return number


def format_number(value: float | None, empty: str = "—") -> str:
    """UK style: thousands with commas, up to two decimal places, no trailing zeros."""
    if value is None:
        return empty
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")



# --- An indicator's unit says how precisely to show its figures -------------------------------

# The first word of a unit that counts things ("deaths in three years", "adults in treatment"); "crimes
# per year" is a count too, while "per 100,000" makes a rate.
COUNT_NOUNS = frozenset({
    "adults", "admissions", "arrests", "attendances", "cases", "children", "closures", "crimes", "deaths",
    "disruptions", "episodes", "homicides", "individuals", "lines", "men", "offences", "offenders", "people",
    "persons", "placements", "places", "presentations", "referrals", "women", "young",
})
# Counts of events (deaths, admissions), which chance moves like a Poisson count; people in treatment are
# a stock, not events, and are not judged by chance.
EVENT_NOUNS = frozenset({
    "admissions", "arrests", "attendances", "cases", "closures", "crimes", "deaths", "disruptions", "episodes",
    "homicides", "lines", "offences", "presentations", "referrals",
})
_RATE = re.compile(r"\bper\s+[\d,]+")


def unit_kind(unit: str | None) -> str:
    """"percent" (% of adults, % change), "rate" (per 100,000), "count" (deaths, people) or "other"."""
    text = (unit or "").strip().lower()
    if "%" in text or "percent" in text:
        return "percent"
    if _RATE.search(text):
        return "rate"
    first = text.split(" ", 1)[0] if text else ""
    return "count" if first in COUNT_NOUNS else "other"


def is_event_count(unit: str | None) -> bool:
    """Whether the unit counts events (deaths, admissions), not people or a rate."""
    return unit_kind(unit) == "count" and (unit or "").strip().lower().split(" ", 1)[0] in EVENT_NOUNS


UNIT_DECIMALS = {"percent": 1, "rate": 1, "count": 0, "other": 2}


def format_measure(value: float | None, unit: str | None, empty: str = "—") -> str:
    """A figure of an indicator rounded to its unit's precision: whole counts (3,707 adults, not
    3,706.57), percentages and rates to one decimal place (41.5), anything else to two."""
    if value is None:
        return empty
    return format_number(round(float(value), UNIT_DECIMALS[unit_kind(unit)]))
