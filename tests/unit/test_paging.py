"""A long list a page at a time (tracker.rules.paging): whatever page number the address holds, the
page shown is one that exists, and the pages between them show every item exactly once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.rules.paging import page_of, requested_page


@pytest.mark.parametrize(("value", "expected"), [
    (None, 1), ("", 1), ("2", 2), (" 3 ", 3), ("0", 1), ("-2", 1), ("x", 1), ("2.5", 1), ("1e9", 1),
    ("99999999999999", 1), (["4", "5"], 4), ([], 1), (7, 7),
])
def test_the_page_asked_for_in_the_address(value, expected):
    assert requested_page(value) == expected


def test_a_page_says_what_it_shows():
    page = page_of(1_000, 50, "2")
    assert (page.number, page.pages, page.offset, page.first, page.last, page.is_paged) == (2, 20, 50, 51, 100, True)
    last = page_of(1_001, 50, "999")  # past the end: the last page, with the one left over
    assert (last.number, last.pages, last.first, last.last) == (21, 21, 1_001, 1_001)
    empty = page_of(0, 50, "3")
    assert (empty.number, empty.pages, empty.first, empty.last, empty.is_paged) == (1, 1, 0, 0, False)
    with pytest.raises(ValueError):
        page_of(10, 0, "1")


@given(total=st.integers(0, 5_000), size=st.integers(1, 200), asked=st.one_of(st.none(), st.text(max_size=12),
                                                                            st.integers(-5, 10_000).map(str)))
def test_any_address_gives_a_page_that_exists(total, size, asked):
    page = page_of(total, size, asked)
    assert 1 <= page.number <= page.pages
    assert page.last - page.first + 1 == min(size, total - page.offset) if total else page.last == 0


@given(total=st.integers(0, 2_000), size=st.integers(1, 100))
def test_the_pages_show_every_item_once(total, size):
    pages = page_of(total, size, "1").pages
    shown = [i for n in range(1, pages + 1) for i in range(page_of(total, size, str(n)).offset,
                                                           page_of(total, size, str(n)).last)]
    assert shown == list(range(total))
