"""The charts of the maturity views and the tables that give the same figures: the partnership heatmap,
one subgroup's radar (latest against previous) and its change over time."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html
from plotly.subplots import make_subplots

from tracker.formatting import short_date
from tracker.services.maturity import AssessedScores, Comparison, Heatmap, Trend
from tracker.web.components.maturity.levels import (
    assessment_href,
    assessment_label,
    illustrative_tag,
    level_chip,
    subgroup_href,
    table,
)

CHART_FONT = {"family": "system-ui, sans-serif", "size": 13, "color": "#0b0c0c"}


def heatmap_table(hm: Heatmap, table_id: str = "maturity-heatmap") -> html.Div:
    """Subgroups down, dimensions across; each cell its level number and word on the level's colour."""
    if not hm.dimensions:
        return html.P("No maturity framework has been set up yet.", id=table_id)
    header = html.Thead(html.Tr(
        [html.Th("Subgroup", scope="col")]
        + [html.Th(name, scope="col", className="heatmap-dim") for _, name in hm.dimensions]
        + [html.Th("Assessment", scope="col")]
    ))
    body = []
    for row in hm.rows:
        latest = row.latest
        cells = []
        for key, _ in hm.dimensions:
            score = latest.scores.get(key) if latest else None
            if score is None:
                cells.append(html.Td("—", className="heatmap-cell heatmap-empty", title="Not assessed"))
                continue
            # One cell, its text and a class: the number and the word on two lines (white-space: pre-line),
            # on the level's colour (assets/maturity.css .level-N, which LEVEL_COLOURS gives). At county
            # x10 nested Strong/Br and an inline style per cell were most of the page's 217 KB.
            cells.append(html.Td(f"{score}\n{latest.level_names.get(score, '')}",
                                 className=f"heatmap-cell level-{score}",
                                 id={"type": "heatmap-cell", "subgroup": row.subgroup_id, "dim": key}))
        if latest:
            s = latest.summary
            about = html.Td([html.A(s.title, href=assessment_href(s.id)),
                             html.Div(f"{s.status_label}, {short_date(s.as_at)}", className="small"),
                             illustrative_tag(s.illustrative)])
        else:
            about = html.Td("Not yet assessed", className="text-muted-strong")
        body.append(html.Tr([html.Th(html.A(row.subgroup, href=subgroup_href(row.subgroup_id)), scope="row"),
                             *cells, about], id={"type": "heatmap-row", "subgroup": row.subgroup_id}))
    return html.Div(dbc.Table([
        html.Caption("Latest agreed or signed-off score of each subgroup on each dimension (level number "
                     "and name); the chair's moderated score where there is one."),
        header, html.Tbody(body)], bordered=True, size="sm", className="bg-white heatmap mb-0", id=table_id),
        className="table-responsive", tabIndex="0", role="region",
        **{"aria-label": "Maturity heatmap (scrolls sideways)"})


def score_chip(assessed: AssessedScores, key: str) -> html.Span:
    """The small level chip of one dimension's score in an assessment ("Not assessed" without one)."""
    score = assessed.scores.get(key)
    return level_chip(score, assessed.level_names.get(score, ""), small=True)


def _figure(fig: go.Figure, graph_id: str, caption: str) -> html.Figure:
    """A chart with its description for screen readers (a table beside it gives the same figures)."""
    return html.Figure([
        dcc.Graph(id=graph_id, figure=fig, config={"displayModeBar": False, "responsive": True}),
        html.Figcaption(caption, className="visually-hidden"),
    ], className="mb-0")


def chart_text(text: str) -> str:
    """User text for a plotly label: plotly reads a few HTML tags (<b>, <br>, <a href>) in labels, so
    escape them; it shows the entities as the characters typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wrap(text: str, width: int = 18) -> str:
    """Break a long axis label over lines (plotly's <br>), so it is not cut off at the chart's edge."""
    lines, line = [], ""
    for word in chart_text(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def radar_figure(comparison: Comparison, graph_id: str = "maturity-radar") -> html.Figure:
    names = [_wrap(name) for _, name in comparison.dimensions]
    keys = [key for key, _ in comparison.dimensions]
    fig = go.Figure()
    for assessed, dash_style, colour, fill in (
        (comparison.previous, "dash", "#505a5f", None),
        (comparison.latest, "solid", "#1d70b8", "toself"),
    ):
        if assessed is None:
            continue
        values = [assessed.scores.get(k) for k in keys]
        fig.add_trace(go.Scatterpolar(
            r=values + values[:1], theta=names + names[:1], name=chart_text(assessment_label(assessed.summary)),
            line={"color": colour, "dash": dash_style, "width": 3}, fill=fill,
            fillcolor="rgba(29,112,184,0.15)" if fill else None, mode="lines+markers",
            hovertemplate="%{theta}: %{r}<extra></extra>",
        ))
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5], "angle": 90, "tickangle": 90},
               "angularaxis": {"direction": "clockwise"}},
        height=500, margin={"l": 110, "r": 110, "t": 50, "b": 60}, font=CHART_FONT,
        legend={"orientation": "h", "y": -0.18}, paper_bgcolor="#ffffff",
    )
    return _figure(fig, graph_id, "Radar chart of the latest assessment against the previous one; the table "
                   "beside it gives the same scores.")


def radar_table(comparison: Comparison, table_id: str = "maturity-radar-table") -> dbc.Table:
    latest, previous = comparison.latest, comparison.previous
    heads = ["Dimension"]
    if previous:
        heads.append(f"Previous: {assessment_label(previous.summary)}")
    heads += [f"Latest: {assessment_label(latest.summary)}", "Change"] if latest else []
    rows = []
    for key, name in comparison.dimensions:
        now = latest.scores.get(key) if latest else None
        before = previous.scores.get(key) if previous else None
        cells = [html.Th(name, scope="row")]
        if previous:
            cells.append(html.Td(score_chip(previous, key)))
        if latest:
            cells.append(html.Td(score_chip(latest, key)))
            if now is None or before is None:
                change = "—"
            else:
                change = "No change" if now == before else (f"Up {now - before}" if now > before
                                                             else f"Down {before - now}")
            cells.append(html.Td(change))
        rows.append(html.Tr(cells))
    return table(heads, rows, table_id)


def trend_figure(trend: Trend, graph_id: str = "maturity-trend") -> html.Figure:
    """Small multiples: one small chart per dimension, on the same axes, so each dimension's change
    can be read on its own (eight lines on one chart could not be told apart)."""
    dims = trend.dimensions
    columns = 2 if len(dims) > 3 else 1
    rows = max(1, -(-len(dims) // columns))
    fig = make_subplots(rows=rows, cols=columns, shared_xaxes=True, shared_yaxes=True,
                        subplot_titles=[_wrap(name, 40) for _, name in dims],
                        vertical_spacing=min(0.12, 0.5 / rows), horizontal_spacing=0.06)
    dates = [a.summary.as_at.isoformat() for a in trend.assessments]
    for i, (key, name) in enumerate(dims):
        fig.add_trace(go.Scatter(
            x=dates, y=[a.scores.get(key) for a in trend.assessments], name=chart_text(name),
            mode="lines+markers+text", text=[str(a.scores.get(key) or "") for a in trend.assessments],
            textposition="top center", cliponaxis=False, showlegend=False,
            line={"color": "#1d70b8", "width": 2}, marker={"size": 8},
            hovertemplate=f"{chart_text(name)}<br>%{{x|%d/%m/%Y}}: level %{{y}}<extra></extra>",
        ), row=i // columns + 1, col=i % columns + 1)
    fig.update_yaxes(range=[0.5, 5.9], tickvals=[1, 2, 3, 4, 5], gridcolor="#dddddd")
    fig.update_xaxes(type="date", tickformat="%m/%Y", tickvals=dates)
    fig.update_annotations(font={"size": 12})
    fig.update_layout(height=60 + 170 * rows, margin={"l": 30, "r": 10, "t": 40, "b": 30}, font=CHART_FONT,
                      paper_bgcolor="#ffffff", plot_bgcolor="#ffffff")
    return _figure(fig, graph_id, "Small charts, one per dimension, of its level (1 to 5) at each assessment "
                   "date; the table gives the same scores.")


def trend_table(trend: Trend, table_id: str = "maturity-trend-table") -> dbc.Table:
    heads = ["Dimension"] + [assessment_label(a.summary) for a in trend.assessments]
    rows = [html.Tr([html.Th(name, scope="row")] + [html.Td(score_chip(a, key)) for a in trend.assessments])
            for key, name in trend.dimensions]
    return table(heads, rows, table_id, responsive=True)

