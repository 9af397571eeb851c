"""Long lists shown a page at a time: which page was asked for, and what it holds. Pure: no database.

The page number comes from the address (?page=3), so it is whatever the browser sent: anything that is
not a whole number in range reads as the nearest page there is, never as an error.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, always within 1..pages
    pages: int  # at least 1, so an empty list is "page 1 of 1"
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def first(self) -> int:
        """The 1-based position of the first item on this page (0 when there is none)."""
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.offset + self.size, self.total)

    @property
    def is_paged(self) -> bool:
        return self.pages > 1


def requested_page(value) -> int:
    """The page number in the address: "3" -> 3; anything else (absent, "x", "-2", "1e9", a list) -> 1."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 9:
        return 1
    return max(int(text), 1)


def page_of(total: int, size: int, requested) -> Page:
    """The page of `size` items asked for out of `total`; a page past the end is the last page."""
    if size < 1:
        raise ValueError("a page holds at least one item")
    total = max(int(total), 0)
    pages = max((total + size - 1) // size, 1)
    return Page(number=min(requested_page(requested), pages), pages=pages, size=size, total=total)
