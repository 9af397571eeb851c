"""Indicators' pure rules: periods and numbers as people type them, and the status rule in both directions."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.services import indicators as svc
from tracker.services.indicators import Point, assess, parse_number, parse_period, trajectory_value

# --- Periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "label", "kind", "start", "end"), [
    ("2024/25", "2024/25", "financial_year", date(2024, 4, 1), date(2025, 3, 31)),
    ("2024/2025", "2024/25", "financial_year", date(2024, 4, 1), date(2025, 3, 31)),
    ("1999/00", "1999/00", "financial_year", date(1999, 4, 1), date(2000, 3, 31)),
    ("2024-Q1", "2024-Q1", "quarter", date(2024, 1, 1), date(2024, 3, 31)),
    ("2024-Q2", "2024-Q2", "quarter", date(2024, 4, 1), date(2024, 6, 30)),
    ("2024q4", "2024-Q4", "quarter", date(2024, 10, 1), date(2024, 12, 31)),
    ("2024-05", "2024-05", "month", date(2024, 5, 1), date(2024, 5, 31)),
    ("2024-2", "2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),  # a leap year
    ("2023-02", "2023-02", "month", date(2023, 2, 1), date(2023, 2, 28)),
    ("2024-12", "2024-12", "month", date(2024, 12, 1), date(2024, 12, 31)),
    ("2024", "2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
    (" 2024/25 ", "2024/25", "financial_year", date(2024, 4, 1), date(2025, 3, 31)),
    # Spans, as the documents give some figures (e.g. 42 months of deaths): the end is the later period's.
    ("2019-01..2022-06", "2019-01..2022-06", "span", date(2019, 1, 1), date(2022, 6, 30)),
    ("2018..2020", "2018..2020", "span", date(2018, 1, 1), date(2020, 12, 31)),
])
def test_periods_are_parsed_with_their_end(text, label, kind, start, end):
    period = parse_period(text)
    assert (period.label, period.kind, period.start, period.end) == (label, kind, start, end)
    assert svc.period_end(text) == end


@pytest.mark.parametrize(("text", "says"), [
    ("", "Enter the period"),
    ("2024/26", "the second year must follow the first, as in 2024/25"),
    ("2024-13", "months run from 01 to 12"),
    ("2024-25", "For the financial year write 2024/25"),
    ("2024-Q5", "quarters are Q1 to Q4"),
    ("24/25", "2024/25 (financial year), 2024-Q2 (calendar quarter), 2024-05 (month) or 2024 (calendar year)"),
    ("May 2024", "is not a period this tracker knows"),
    ("3024", "out of range"),
    ("2022..2019", "from the earlier period to the later one"),
])
def test_bad_periods_say_how_to_write_one(text, says):
    with pytest.raises(ValueError, match=None) as info:
        parse_period(text)
    assert says in str(info.value)


@pytest.mark.parametrize(("text", "number"), [
    ("3540", 3540.0), ("3,540", 3540.0), ("41.5", 41.5), ("41.5%", 41.5), ("-3", -3.0), (".5", 0.5), (7, 7.0),
])
def test_numbers_as_people_type_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["", "abc", "12abc", "1e3", "1,23", "nan", "inf", ",", None, True])
def test_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


# --- The status rule -------------------------------------------------------------------------

B_DATE, T_DATE = date(2023, 3, 31), date(2027, 3, 31)  # four years: the trajectory's midpoint is 31 March 2025
MID = date(2025, 3, 31)


def _status(direction, baseline, target, value, on=MID, points=None):
    pts = points if points is not None else [Point("x", on, value)]
    return assess(direction, baseline, B_DATE, target, T_DATE, pts)


def test_trajectory_is_a_straight_line_from_baseline_to_target():
    assert trajectory_value(100, B_DATE, 200, T_DATE, B_DATE) == 100
    assert trajectory_value(100, B_DATE, 200, T_DATE, MID) == pytest.approx(150, abs=0.1)
    assert trajectory_value(100, B_DATE, 200, T_DATE, T_DATE) == 200
    # After the target date the line stays at the target; before the baseline at the baseline.
    assert trajectory_value(100, B_DATE, 200, T_DATE, date(2030, 1, 1)) == 200
    assert trajectory_value(100, B_DATE, 200, T_DATE, date(2020, 1, 1)) == 100


@pytest.mark.parametrize(("value", "status"), [
    (160, "on_track"),   # above the line (150), higher is better
    (150, "on_track"),   # exactly on it
    (145, "at_risk"),    # 5 below: within 10% of the distance (100 -> 200: margin 10)
    (140.05, "at_risk"),
    (139, "off_track"),  # 11 below
    (90, "off_track"),
])
def test_status_when_higher_is_better(value, status):
    expected = trajectory_value(100, B_DATE, 200, T_DATE, MID)
    result = _status("higher", 100, 200, value + (expected - 150))  # exact offsets from the line
    assert result.status == status
    assert result.latest.value == pytest.approx(value + (expected - 150))


@pytest.mark.parametrize(("value", "status"), [
    (140, "on_track"),   # below the line (150), lower is better
    (150, "on_track"),
    (155, "at_risk"),    # 5 above: within the margin of 10 (200 -> 100)
    (159.95, "at_risk"),
    (161, "off_track"),
    (210, "off_track"),
])
def test_status_when_lower_is_better(value, status):
    expected = trajectory_value(200, B_DATE, 100, T_DATE, MID)
    result = _status("lower", 200, 100, value + (expected - 150))
    assert result.status == status


def test_margin_boundary_is_at_risk_and_just_past_it_off_track():
    # On the target date the line is at the target exactly, so the boundary is exact: 200 - 10% of 100.
    assert _status("higher", 100, 200, 190, on=T_DATE).status == "at_risk"
    assert _status("higher", 100, 200, 189.99, on=T_DATE).status == "off_track"
    assert _status("lower", 200, 100, 110, on=T_DATE).status == "at_risk"
    assert _status("lower", 200, 100, 110.01, on=T_DATE).status == "off_track"


def test_the_latest_value_is_judged_not_the_best_or_the_first():
    points = [Point("2024/25", date(2025, 3, 31), 190), Point("2025/26", date(2026, 3, 31), 120)]
    result = assess("higher", 100, B_DATE, 200, T_DATE, points)
    assert result.latest.period == "2025/26"
    assert result.status == "off_track"  # the line is at 175 by then
    assert "worse by" in result.explanation and "higher is better" in result.explanation


def test_after_the_target_date_the_target_itself_is_the_bar():
    late = date(2028, 3, 31)
    assert _status("higher", 100, 200, 200, on=late).status == "on_track"
    assert _status("higher", 100, 200, 195, on=late).status == "at_risk"


def test_no_data_since_baseline():
    # Only the baseline's own value (and an older one): nothing after the baseline period ended.
    points = [Point("2021/22", date(2022, 3, 31), 90), Point("2022/23", B_DATE, 100)]
    result = assess("higher", 100, B_DATE, 200, T_DATE, points)
    assert result.status == "no_data" and result.label == "No data since baseline"
    assert assess("lower", 100, B_DATE, 50, T_DATE, []).status == "no_data"
    # No data is reported even when no target is set: the data gap matters on its own.
    assert assess("lower", 100, B_DATE, None, None, points).status == "no_data"


def test_no_target_or_no_baseline_means_no_trajectory():
    points = [Point("2024/25", date(2025, 3, 31), 120)]
    assert assess("higher", 100, B_DATE, None, None, points).status == "no_target"
    assert assess("higher", None, None, 200, T_DATE, points).status == "no_baseline"


def test_target_equal_to_baseline_uses_ten_percent_of_the_baseline():
    # "Hold at 100": the margin is 10 (10% of the baseline).
    assert _status("lower", 100, 100, 100).status == "on_track"
    assert _status("lower", 100, 100, 109).status == "at_risk"
    assert _status("lower", 100, 100, 111).status == "off_track"


def test_every_status_has_a_word_and_a_symbol_and_the_rule_is_in_words():
    for code in svc.STATUS_ORDER:
        assert svc.STATUS_LABELS[code] and svc.STATUS_SYMBOLS[code]
    rule = " ".join(svc.STATUS_RULE)
    assert "10%" in rule and "trajectory" in rule and "On track" in rule and "Off track" in rule
