"""Indicators read like public-health data: periods in words, figures rounded to their unit, and small
counts judged honestly rather than given a misleading RAG."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.rules.indicator_status import SMALL_COUNT, STATUS_RULE, Point, assess
from tracker.rules.numbers import format_measure, unit_kind
from tracker.rules.periods import period_words


@pytest.mark.parametrize(("code", "words"), [
    ("2023-03", "Mar 2023"), ("2022-12..2023-11", "Dec 2022 – Nov 2023"), ("2023-01..2023-06", "Jan – Jun 2023"),
    ("2023/24", "2023/24"), ("2024-Q2", "Apr – Jun 2024"), ("2024", "2024"), ("2018..2020", "2018 – 2020"),
    ("2019-01..2022-06", "Jan 2019 – Jun 2022"), ("not a period", "not a period"),
])
def test_periods_are_shown_in_words(code, words):
    assert period_words(code) == words


@pytest.mark.parametrize(("value", "unit", "shown"), [
    (3706.57, "adults in treatment (rolling 12 months)", "3,707"), (127.54, "deaths in a 42-month period", "128"),
    (41.53, "% of adults in treatment", "41.5"), (479.26, "per 100,000 (directly standardised)", "479.3"),
    (27.0, "lines closed per year", "27"), (3.456, "", "3.46"), (None, "people", "—"),
])
def test_figures_are_rounded_to_their_unit(value, unit, shown):
    assert format_measure(value, unit) == shown


def test_a_unit_says_whether_it_counts_things():
    assert [unit_kind(u) for u in ("crimes per year", "per 1,000 population aged 15 to 64", "% change",
                                   "deaths in three years", "score", "")] == \
        ["count", "rate", "percent", "count", "other", "other"]


BASE, TARGET = date(2022, 3, 31), date(2026, 3, 31)


def _assess(latest: float, unit: str, baseline: float = 134, target: float = 100, direction: str = "lower"):
    return assess(direction, baseline, BASE, target, TARGET, [Point("2023-10", date(2023, 10, 31), latest)], unit)


def test_a_count_a_little_worse_than_its_trajectory_is_no_clear_difference_not_off_track():
    # The trajectory is about 121 deaths for October 2023; 3.5 worse is far inside what chance gives (±22).
    result = _assess(124.9, "deaths in a 42-month period")
    assert result.status == "no_clear_change" and result.label == "No clear difference"
    assert "chance" in result.explanation and "Oct 2023" in result.explanation
    assert "124.9" not in result.explanation and "125 deaths" in result.explanation  # a count is whole


def test_a_count_well_worse_than_chance_is_still_off_track():
    assert _assess(160, "deaths in a 42-month period").status == "off_track"


def test_the_same_shortfall_in_a_rate_is_judged_as_before():
    # A rate has no count to judge chance by: 3.5 worse is more than the at-risk margin of 3.4.
    assert _assess(124.9, "per 100,000 population").status == "off_track"


def test_a_count_below_the_threshold_is_too_few_to_say():
    result = _assess(SMALL_COUNT - 1, "homicides per year", baseline=8, target=4)
    assert result.status == "too_few" and result.label == "Too few to say"
    assert any("too few to say" in line for line in STATUS_RULE)  # the rule is printed where the status is


def test_the_indicator_page_shows_periods_in_words_and_whole_counts(session, chair, today):
    from sqlmodel import select

    from tracker.models import Indicator
    from tracker.services import indicators
    from tracker.web.components.indicators import chart_summary, values_table

    indicator = session.exec(select(Indicator).where(Indicator.partnership_id == chair.partnership_id,
                                                     Indicator.code == "N-I2-ADULTS")).one()
    detail = indicators.indicator_detail(session, chair.partnership_id, indicator.id)
    rows = values_table(detail).children.children[2].children  # the table's body rows
    cells = [[str(getattr(c, "children", "")) for c in row.children] for row in rows]
    assert cells and all(not any(ch.isdigit() for ch in row[0].split()[0]) for row in cells)  # "Oct 2026", not "2026-10"
    assert all("." not in row[2] and "." not in row[3] for row in cells)  # whole adults, also on the trajectory
    summary = chart_summary(detail)
    assert "-" not in summary.split(" from ")[1].split(" (")[0]  # the first period in words
