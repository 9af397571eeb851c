"""UK conventions for dates, money and financial years (tracker.formatting)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tracker.formatting import financial_year, long_date, money, short_date, status_label


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 3, 31), "31 March 2026"),
        (date(2026, 11, 1), "1 November 2026"),  # no leading zero on the day
        (datetime(2025, 4, 6, 23, 59), "6 April 2025"),
    ],
)
def test_long_date(value, expected):
    assert long_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 3, 31), "31/03/2026"),
        (date(2026, 11, 1), "01/11/2026"),  # day first, with leading zeros
        (datetime(2025, 4, 6, 9, 30), "06/04/2025"),
    ],
)
def test_short_date(value, expected):
    assert short_date(value) == expected


@pytest.mark.parametrize("formatter", [long_date, short_date, money])
def test_missing_values_show_a_dash_or_the_given_text(formatter):
    assert formatter(None) == "—"
    assert formatter(None, empty="not set") == "not set"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "£0"),
        (950, "£950"),
        (1234.4, "£1,234"),
        (1234.5, "£1,234"),  # rounds half to even, as Python does
        (48_000, "£48,000"),
        (999_999, "£999,999"),
        (1_000_000, "£1.00m"),
        (1_250_000, "£1.25m"),
        (13_400_000, "£13.40m"),
    ],
)
def test_money(value, expected):
    assert money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 4, 1), "2024/25"),  # the year starts on 1 April
        (date(2025, 3, 31), "2024/25"),  # and ends on 31 March
        (date(2025, 1, 15), "2024/25"),
        (date(2025, 4, 1), "2025/26"),
        (date(1999, 6, 1), "1999/00"),  # across a century: two digits, zero-padded
        (date(2009, 5, 1), "2009/10"),
    ],
)
def test_financial_year(value, expected):
    assert financial_year(value) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [("not_started", "Not started"), ("in_progress", "In progress"), ("complete", "Complete"),
     ("cancelled", "Cancelled")],
)
def test_status_label(status, expected):
    assert status_label(status) == expected


# --- Reading dates (tracker.rules.dates): the one parser the imports and forms share -----------

from tracker.rules.dates import parse_date, parse_iso_date  # noqa: E402


@pytest.mark.parametrize("text", ["31/03/2026", "31/3/2026", "31.03.2026", "31-03-2026", "2026-03-31",
                                  "31 March 2026", "31 Mar 2026", "  31 / 03 / 2026 "])
def test_a_date_typed_the_uk_way_or_iso_reads_as_that_day(text):
    assert parse_date(text) == date(2026, 3, 31)


@pytest.mark.parametrize(("text", "words"), [
    ("31/03/26", "year in full"),      # a two-digit year is ambiguous
    ("30/02/2026", "not a real date"),
    ("03/31/2026", "not a real date"),  # American order: day first in the UK
    ("31/03/1066", "looks wrong"),
    ("next Tuesday", "dd/mm/yyyy"),
])
def test_a_date_that_cannot_be_read_says_how_to_write_it(text, words):
    with pytest.raises(ValueError, match=words):
        parse_date(text)


def test_nothing_is_no_date_and_a_date_is_itself():
    assert parse_date(None) is None and parse_date("  ") is None
    assert parse_date(datetime(2026, 3, 31, 9, 30)) == date(2026, 3, 31)


def test_a_date_control_value_must_be_iso():
    """A date input always sends 2026-03-31; anything else is a request made by hand."""
    assert parse_iso_date("2026-03-31") == date(2026, 3, 31)
    assert parse_iso_date("") is None
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_iso_date("31/03/2026")
