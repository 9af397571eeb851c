"""The rules of a maturity self-assessment that need no database: its statuses, the five levels, when
raters "split", and how a score typed into a form is read."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class AssessmentStatus(StrEnum):
    """Where an assessment round is: open -> agreed -> signed_off."""

    OPEN = "open"
    AGREED = "agreed"
    SIGNED_OFF = "signed_off"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    AssessmentStatus.OPEN: "Open for ratings",
    AssessmentStatus.AGREED: "Agreed, awaiting sign-off",
    AssessmentStatus.SIGNED_OFF: "Signed off",
}
# Agreed and signed-off rounds have scores that count in the views.
COMPLETED = (AssessmentStatus.AGREED, AssessmentStatus.SIGNED_OFF)

LEVELS = (1, 2, 3, 4, 5)
DEFAULT_LEVEL_NAMES = {1: "Not yet in place", 2: "Developing", 3: "Established", 4: "Embedded", 5: "Exemplary"}
# Raters "split" on a dimension when their scores are this far apart or more: discuss it first.
SPLIT_RANGE = 2
MAX_TEXT = 5000
MAX_DESCRIPTOR = 2000


def status_label(status: str) -> str:
    """The words for a status, e.g. "Agreed, awaiting sign-off" (the raw value if it is not one)."""
    try:
        return AssessmentStatus(status).label
    except ValueError:
        return status


def clean_text(value: Any) -> str:
    """A text field as saved: stripped, and blank for None."""
    return "" if value is None else str(value).strip()


def level_number(value: Any) -> int | None:
    """A level from 1 to 5, or None when `value` is not one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number in LEVELS else None


def parse_score(value: Any) -> tuple[int | None, bool]:
    """(score, ok): blank is (None, True); anything but a whole number from 1 to 5 is not ok."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, float):
        if not value.is_integer():
            return None, False
        value = int(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        return None, False
    return (number, True) if number in LEVELS else (None, False)
