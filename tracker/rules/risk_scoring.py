"""Risk scoring on the 5 x 5 likelihood-by-impact matrix that local-government risk registers use.

Score = likelihood x impact (1..25), banded into words so a rating is never read from colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LIKELIHOOD = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}


@dataclass(frozen=True)
class Band:
    name: str  # "Low" .. "Very high"
    low: int  # lowest score in the band
    colour: str  # background of a heat-map cell (text is always shown with it)
    text_colour: str


# Lowest score first. Contrast of each text colour on its background is at least 4.5:1.
BANDS = (
    Band("Low", 1, "#cce2d8", "#0b0c0c"),
    Band("Medium", 5, "#fff7bf", "#0b0c0c"),
    Band("High", 10, "#fcd6c3", "#0b0c0c"),
    Band("Very high", 15, "#942514", "#ffffff"),
)


def check_scale(value: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise ValueError(f"{what} must be a whole number from 1 to 5")
    return value


def score(likelihood: int, impact: int) -> int:
    return check_scale(likelihood, "Likelihood") * check_scale(impact, "Impact")


def band(value: int) -> Band:
    if not 1 <= value <= 25:
        raise ValueError("A risk score is from 1 to 25")
    return [b for b in BANDS if value >= b.low][-1]


def describe(likelihood: int, impact: int) -> str:
    """E.g. "16 Very high (likelihood 4 Likely x impact 4 Major)"."""
    s = score(likelihood, impact)
    return (f"{s} {band(s).name} (likelihood {likelihood} {LIKELIHOOD[likelihood]} × "
            f"impact {impact} {IMPACT[impact]})")


def review_overdue(review_date: date | None, status: str, today: date) -> bool:
    """An open risk whose review date has passed (or that has none) is overdue for review."""
    return status == "open" and (review_date is None or review_date < today)
