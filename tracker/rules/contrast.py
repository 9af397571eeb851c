"""WCAG 2.x colour contrast: relative luminance and contrast ratio of #rrggbb colours (pure maths)."""

from __future__ import annotations

import re

# WCAG 2.2 AA for normal text (1.4.3).
MIN_CONTRAST = 4.5

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour given as #rrggbb."""
    if not _HEX.match(colour or ""):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(colour_a: str, colour_b: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    la, lb = relative_luminance(colour_a), relative_luminance(colour_b)
    lighter, darker = max(la, lb), min(la, lb)
    return (lighter + 0.05) / (darker + 0.05)


def darker_or_lighter(text_colour: str) -> str:
    """Which way a background must move to contrast with this text colour."""
    return "darker" if relative_luminance(text_colour) > 0.5 else "lighter"
