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

