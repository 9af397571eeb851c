"""The RAG bar chart is built as plain JSON (no go.Figure, for speed): it must still be a valid Plotly
figure that draws exactly what the go.Figure built before, with each group's counts on its bar."""

from collections import Counter

import plotly.graph_objects as go

from tracker.services.reference import STANDARD_SCALE
from tracker.web.components.plan import rag_bar_chart


def figure_of(groups):
    return rag_bar_chart(list(STANDARD_SCALE), groups, "Actions by RAG", "chart").children[0].figure


def test_the_chart_is_a_valid_plotly_figure_unchanged_by_validation():
    figure = figure_of({"1. Supply": Counter(red=2, green=1), "2. Treatment": Counter(amber=3)})
    assert go.Figure(figure).to_plotly_json() == figure  # an unknown property would raise or be dropped
    assert figure["layout"]["template"]["layout"]  # the default look, as a go.Figure gives it


def test_each_rag_present_is_one_stacked_bar_series_with_its_counts():
    figure = figure_of({"A": Counter(red=2, green=1), "B": Counter(amber=3), "C": Counter()})
    series = {t["name"].split(" ", 1)[1]: t for t in figure["data"]}
    red = next(r for r in STANDARD_SCALE if r.code == "red")
    assert series[red.label]["x"] == [2, 0, 0] and series[red.label]["y"] == ["A", "B", "C"]
    assert series[red.label]["text"] == ["2", "", ""]
    assert len(figure["data"]) == 3  # no empty series for the colours nobody has
    assert figure["layout"]["barmode"] == "stack" and "dtick" not in figure["layout"]["xaxis"]
    assert figure_of({"A": Counter(red=1)})["layout"]["xaxis"]["dtick"] == 1  # few bars: whole numbers
