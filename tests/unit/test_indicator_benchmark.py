"""The indicator page shows the indicator beside the region and England: the verdict in words, a chart
with its figures in words, a table of every figure, and in words what there is nothing to compare with."""

from __future__ import annotations

from dash import dcc
from sqlmodel import select

from tracker.models import ComparatorValue, Indicator
from tracker.services import indicators
from tracker.web.components.benchmarks import benchmark_section, missing_comparators


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from _walk(child)


def _text(node) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    if node is None:
        return ""
    children = getattr(node, "children", None)
    parts = children if isinstance(children, list | tuple) else [children]
    return "".join(_text(c) for c in parts)


def _by_id(tree, component_id):
    return next((n for n in _walk(tree) if getattr(n, "id", None) == component_id), None)


def _page(session, person, code, today):
    indicator = session.exec(select(Indicator).where(Indicator.partnership_id == person.partnership_id,
                                                     Indicator.code == code)).one()
    return indicators.indicator_page(session, person, indicator.id, today)


def test_an_indicator_with_comparators_shows_the_verdict_a_chart_its_words_and_the_table(session, chair, today):
    section = benchmark_section(_page(session, chair, "L-ALC-ADM-NARROW", today).benchmark)
    assert "2021/22" in _text(_by_id(section, "benchmark-verdict"))  # a financial year reads as it is
    assert "Similar to England" in _text(_by_id(section, "benchmark-verdict"))
    assert isinstance(_by_id(section, "benchmark-chart"), dcc.Graph)
    words = _text(_by_id(section, "benchmark-chart-summary"))
    assert words.startswith("2021/22") and "Local 479" in words and "Region: East Midlands 536" in words
    assert "England 494" in words and "England: England" not in words
    table = _text(_by_id(section, "benchmark-table"))
    assert "1,679" in table and "867 – 251" in table  # the count and England's worst – best
    # 004 gives no statistical neighbours: said in words, not left out silently.
    assert "No figure for a comparator group" in _text(_by_id(section, "benchmark-missing"))


def test_an_indicator_without_comparators_says_so_in_words(session, chair, today):
    section = benchmark_section(_page(session, chair, "N-I2-ADULTS", today).benchmark)
    assert "No comparator figures" in _text(_by_id(section, "benchmark-verdict"))
    assert _by_id(section, "benchmark-chart") is None and _by_id(section, "benchmark-table") is None


def test_a_local_figure_alone_has_no_chart_and_names_what_is_missing(session, chair, today):
    section = benchmark_section(_page(session, chair, "L-DRD-NNC-3YR", today).benchmark)
    assert _by_id(section, "benchmark-chart") is None  # one bar compares nothing
    missing = _text(_by_id(section, "benchmark-missing"))
    assert "the region" in missing and "England" in missing and "2018 – 2020" in missing
    assert "Similar to England" in _text(_by_id(section, "benchmark-verdict"))  # the source tested it


def test_a_suppressed_local_figure_reads_suppressed_and_is_not_drawn(session, chair, today):
    page = _page(session, chair, "L-ALC-ADM-BROAD", today)
    local = session.exec(select(ComparatorValue).where(ComparatorValue.indicator_id == page.detail.indicator.id,
                                                       ComparatorValue.area_kind == "local")).one()
    local.value = None
    session.add(local)
    session.flush()
    view = _page(session, chair, "L-ALC-ADM-BROAD", today).benchmark
    section = benchmark_section(view)
    assert "Suppressed" in _text(_by_id(section, "benchmark-table"))
    words = _text(_by_id(section, "benchmark-chart-summary"))
    assert "No figure (suppressed or not published): Local" in words
    chart = _by_id(section, "benchmark-chart")
    assert not any("Local" in label for label in chart.figure.data[0].y)
    assert missing_comparators(view.latest) == "No figure for a comparator group (such as statistical neighbours) " \
                                              "is recorded for 2021/22."
