"""Slippage of an action: how far its due date has moved from the original (baseline) due date."""

from __future__ import annotations

from datetime import date


def days_slipped(original_due: date | None, due: date | None) -> int:
    """Days the due date has moved later than the original (negative when brought forward; 0 when
    either date is missing)."""
    if original_due is None or due is None:
        return 0
    return (due - original_due).days


def slippage_words(days: int) -> str:
    """The slippage in words, never colour alone: "+45 days late against the original due date"."""
    if days > 0:
        return f"+{days} day{'s' if days != 1 else ''} slipped"
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} earlier than planned"
    return "On its original due date"
