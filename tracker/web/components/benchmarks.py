"""Local figures beside the region and England: a chart and a table with the verdict in words."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from tracker.formatting import long_date
from tracker.services.benchmarks import BenchmarkPeriod, IndicatorBenchmark

KIND_WORDS = {"local": "Local", "region": "Region", "group": "Comparator group", "england": "England"}
# Greyscale-safe: the local bar is dark, comparators lighter; each bar is labelled with its value.
BAR_COLOURS = {"local": "#1d70b8", "region": "#6f777b", "group": "#6f777b", "england": "#b1b4b6"}


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


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


def _chart(view: IndicatorBenchmark, latest: BenchmarkPeriod) -> dcc.Graph | None:
    areas = [a for a in latest.areas if a.value is not None]
    if len(areas) < 2:
        return None
    fig = go.Figure(go.Bar(
        x=[a.value for a in areas], y=[f"{KIND_WORDS[a.kind]}: {a.name}" for a in areas], orientation="h",
        marker_color=[BAR_COLOURS[a.kind] for a in areas], text=[number(a.value) for a in areas],
        textposition="outside",
        error_x={"type": "data", "symmetric": False,
                 "array": [(a.upper_ci - a.value) if a.upper_ci is not None else 0 for a in areas],
                 "arrayminus": [(a.value - a.lower_ci) if a.lower_ci is not None else 0 for a in areas]},
    ))
    fig.update_layout(margin={"l": 10, "r": 40, "t": 10, "b": 30}, height=60 + 40 * len(areas),
                      xaxis={"title": view.unit, "rangemode": "tozero", "tickformat": ",~r"},
                      yaxis={"autorange": "reversed", "automargin": True}, showlegend=False)
    return dcc.Graph(figure=fig, config={"displayModeBar": False, "responsive": True},
                     id="benchmark-chart", className="benchmark-chart")


def benchmark_section(view: IndicatorBenchmark) -> html.Section:
    """For the indicator page: the latest period compared, then every period in a table."""
    latest = view.latest
    body: list = []
    if view.catalogue:
        c = view.catalogue
        body.append(html.P([
            f"Source: {c.dataset or 'not recorded'}; {c.geography or 'area not recorded'}; published {c.frequency}",
            f"; newest release {c.latest_published}" if c.latest_published else "",
            f"; next due {long_date(c.next_due)}" if c.next_due else "", ". ", *data_status(view),
            html.Span(f" {c.stale}", className="small") if c.stale else None,
        ], id="benchmark-catalogue", className="small"))
    if latest is None:
        body.append(html.P("No comparator figures are recorded for this indicator.", id="benchmark-verdict"))
        return html.Section([html.H2("Compared with the region and England", className="h5"), *body],
                            className="card-section")
    body.append(html.P([html.Strong(f"{latest.period}: "), verdict_badge(latest.verdict)], id="benchmark-verdict"))
    chart = _chart(view, latest)
    if chart is not None:
        body.append(chart)
    head = html.Tr([html.Th(h, scope="col") for h in ("Period", "Area", "Value", "Count", "95% CI", "Trend",
                                                       "England range (worst – best)")])
    rows = []
    for p in view.periods:
        for a in p.areas:
            ci = f"{number(a.lower_ci)} – {number(a.upper_ci)}" if a.lower_ci is not None else "—"
            spread = f"{number(a.worst)} – {number(a.best)}" if a.worst is not None else ""
            rows.append(html.Tr([html.Td(p.period), html.Th(f"{KIND_WORDS[a.kind]}: {a.name}", scope="row"),
                                 html.Td(number(a.value) if a.value is not None else "Suppressed"),
                                 html.Td(number(a.count)), html.Td(ci), html.Td(a.recent_trend or "—"),
                                 html.Td(spread)]))
    body.append(html.Div(html.Table([html.Thead(head), html.Tbody(rows)], className="table table-sm",
                                    id="benchmark-table"), className="table-responsive"))
    body.append(html.P("“Better” or “worse” than England only where the source's significance test says so.",
                       className="small text-muted"))
    return html.Section([html.H2("Compared with the region and England", className="h5"), *body],
                        className="card-section", id="benchmark-section")
