"""Local figures beside the region and England: a chart and a table with the verdict in words.

Pure functions of tracker.services.benchmarks' view models. The chart has its figures in words beside it
and the table gives every figure again, so nothing is known from the chart alone; a missing comparator
is said in words, never left as an empty bar.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from tracker.formatting import long_date
from tracker.rules.numbers import format_number
from tracker.rules.periods import period_words
from tracker.services.benchmarks import AreaFigure, BenchmarkPeriod, IndicatorBenchmark

KIND_WORDS = {"local": "Local", "region": "Region", "group": "Comparator group", "england": "England"}
# What a period without a figure of this kind lacks, in words.
MISSING_WORDS = {"region": "the region", "group": "a comparator group (such as statistical neighbours)",
                 "england": "England"}
# Greyscale-safe: the local bar is dark, comparators lighter; each bar is labelled with its value.
BAR_COLOURS = {"local": "#1d70b8", "region": "#6f777b", "group": "#6f777b", "england": "#b1b4b6"}
HEADING = "Compared with the region and England"


def number(value: float | None) -> str:
    """A comparator figure as the profiles print it: whole numbers plain, others to one decimal place."""
    if value is None:
        return "—"
    return format_number(value) if float(value).is_integer() else format_number(round(value, 1))


def area_name(a: AreaFigure) -> str:
    """"Region: East Midlands"; just "England" or "Local" where the name says no more than that."""
    kind = KIND_WORDS[a.kind]
    return kind if not a.name or a.name.strip().lower() == kind.lower() else f"{kind}: {a.name}"


def verdict_badge(verdict: str) -> dbc.Badge:
    colour = "danger" if verdict.startswith("Worse") else "success" if verdict.startswith("Better") else "secondary"
    return dbc.Badge(verdict, color=colour, className="text-wrap text-start")


def data_status(view: IndicatorBenchmark) -> list:
    parts = []
    if view.catalogue and view.catalogue.stale:
        parts.append(dbc.Badge("Stale data", color="warning", text_color="dark", title=view.catalogue.stale))
    if view.catalogue and view.catalogue.access == "restricted":
        parts.append(dbc.Badge("Restricted", color="light", text_color="dark",
                               title="Shared with partnerships only: do not publish local figures"))
    return parts


def missing_comparators(period: BenchmarkPeriod) -> str:
    """The comparators a period has no figure for, in words ("" when it has them all)."""
    present = {a.kind for a in period.areas if a.value is not None}
    missing = [words for kind, words in MISSING_WORDS.items() if kind not in present]
    if not missing:
        return ""
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " or " + missing[-1]
    return f"No figure for {listed} is recorded for {period_words(period.period)}."


def chart_words(period: BenchmarkPeriod, unit: str) -> str:
    """The chart in words, for everyone who cannot see it."""
    shown = [f"{area_name(a)} {number(a.value)}" for a in period.areas if a.value is not None]
    suppressed = [area_name(a) for a in period.areas if a.value is None]
    words = f"{period_words(period.period)}{f' ({unit})' if unit else ''}: " + "; ".join(shown) + "."
    if suppressed:
        words += f" No figure (suppressed or not published): {', '.join(suppressed)}."
    return words + f" {period.verdict}."


def _chart(view: IndicatorBenchmark, latest: BenchmarkPeriod, graph_id: str) -> dcc.Graph | None:
    areas = [a for a in latest.areas if a.value is not None]
    if len(areas) < 2:
        return None
    fig = go.Figure(go.Bar(
        x=[a.value for a in areas], y=[area_name(a) for a in areas], orientation="h",
        marker_color=[BAR_COLOURS[a.kind] for a in areas], text=[number(a.value) for a in areas],
        textposition="outside", hovertemplate="%{y}: %{text}<extra></extra>",
        error_x={"type": "data", "symmetric": False,
                 "array": [(a.upper_ci - a.value) if a.upper_ci is not None else 0 for a in areas],
                 "arrayminus": [(a.value - a.lower_ci) if a.lower_ci is not None else 0 for a in areas]},
    ))
    fig.update_layout(margin={"l": 10, "r": 40, "t": 10, "b": 30}, height=60 + 40 * len(areas),
                      xaxis={"title": view.unit, "rangemode": "tozero", "tickformat": ",~r"},
                      yaxis={"autorange": "reversed", "automargin": True}, showlegend=False,
                      plot_bgcolor="#ffffff", paper_bgcolor="#ffffff")
    return dcc.Graph(figure=fig, config={"displayModeBar": False, "responsive": True},
                     id=graph_id, className="benchmark-chart")


def benchmark_table(view: IndicatorBenchmark, table_id: str = "benchmark-table") -> html.Div:
    """Every period's figures, newest first: the chart's accessible alternative."""
    caption = f"{view.code} beside the region and England, newest period first"
    head = html.Tr([html.Th(h, scope="col") for h in ("Period", "Area", "Value", "Count", "95% CI", "Trend",
                                                       "England range (worst – best)")])
    rows = []
    for p in view.periods:
        for a in p.areas:
            ci = f"{number(a.lower_ci)} – {number(a.upper_ci)}" if a.lower_ci is not None else "—"
            spread = f"{number(a.worst)} – {number(a.best)}" if a.worst is not None else "—"
            rows.append(html.Tr([html.Td(period_words(p.period)), html.Th(area_name(a), scope="row"),
                                 html.Td(number(a.value) if a.value is not None else "Suppressed"),
                                 html.Td(number(a.count)), html.Td(ci), html.Td(a.recent_trend or "—"),
                                 html.Td(spread)]))
    # The scrolling box of a wide table takes keyboard focus, so it can be scrolled without a mouse.
    return html.Div(html.Table([html.Caption(caption, className="visually-hidden"), html.Thead(head),
                                html.Tbody(rows)], className="table table-sm bg-white mb-0", id=table_id),
                    className="table-responsive mb-2", tabIndex="0", role="region", **{"aria-label": caption})


def benchmark_section(view: IndicatorBenchmark, section_id: str = "benchmark-section") -> html.Section:
    """For the indicator page: the latest period compared (verdict, chart and its words), then every
    period in a table; where nothing is recorded to compare with, that is said in words."""
    heading_id = f"{section_id}-heading"
    body: list = [html.H2(HEADING, className="h5", id=heading_id)]
    if view.catalogue:
        c = view.catalogue
        body.append(html.P([
            f"Source: {c.dataset or 'not recorded'}; {c.geography or 'area not recorded'}; published {c.frequency}",
            f"; newest release {c.latest_published}" if c.latest_published else "",
            f"; next due {long_date(c.next_due)}" if c.next_due else "", ". ", *data_status(view),
            html.Span(f" {c.stale}", className="small") if c.stale else None,
        ], id="benchmark-catalogue", className="small"))
    latest = view.latest
    if latest is None:
        body.append(html.P("No comparator figures (region, England or a comparator group) are recorded for this "
                           "indicator, so it cannot yet be compared with England.", id="benchmark-verdict"))
        return html.Section(body, className="card-section", id=section_id, **{"aria-labelledby": heading_id})
    body.append(html.P([html.Strong(f"{period_words(latest.period)}: "), verdict_badge(latest.verdict)], id="benchmark-verdict"))
    if missing := missing_comparators(latest):
        body.append(html.P(missing, className="small", id="benchmark-missing"))
    chart = _chart(view, latest, "benchmark-chart")
    words = html.Figcaption(chart_words(latest, view.unit), className="small", id="benchmark-chart-summary")
    body.append(html.Figure([html.Div(chart, className="flex-grow-1", style={"minWidth": 0}), words],
                            className="d-lg-flex gap-3 align-items-start mb-2")
                if chart is not None else html.Div(words, className="mb-2"))
    body.append(benchmark_table(view))
    body.append(html.P("“Better” or “worse” than England only where the source's significance test says so.",
                       className="small text-muted mb-0"))
    return html.Section(body, className="card-section", id=section_id, **{"aria-labelledby": heading_id})
