"""Pieces shared by the plan views: RAG charts, count tables, exception and action tables."""

from __future__ import annotations

import functools
from collections import Counter

import dash
import dash_bootstrap_components as dbc
import plotly.io as pio
from dash import dcc, html

from tracker.formatting import short_date, status_label
from tracker.services.plan import ActionRow
from tracker.services.reference import Rag
from tracker.web.components.rag import frozen_badge, rag_for
from tracker.web.components.slippage import slipped_text
from tracker.web.components.static_html import element


def action_href(action_id: int) -> str:
    return dash.get_relative_path(f"/action/{action_id}")


@functools.cache
def _template() -> dict:
    """The default Plotly template as plain JSON, made once: a go.Figure adds it to every figure."""
    return pio.templates[pio.templates.default].to_plotly_json()


def rag_bar_chart(scale: list[Rag], groups: dict[str, Counter], title: str, graph_id: str) -> html.Figure:
    """A stacked bar per group, one colour per RAG, with the count written on each bar segment.
    The figure is a plain dict, as plotly.js takes it: building a go.Figure validated every property
    and cost the overview more than the SQL behind it (docs/performance.md, round 3)."""
    labels = list(groups)
    traces = []
    for rag in scale:
        counts = [groups[g].get(rag.code, 0) for g in labels]
        if not any(counts):
            continue
        traces.append({
            "type": "bar", "y": labels, "x": counts, "orientation": "h", "name": f"{rag.symbol} {rag.label}",
            "marker": {"color": rag.colour, "line": {"color": "#0b0c0c", "width": 1}},
            "text": [str(c) if c else "" for c in counts], "textposition": "inside",
            "insidetextfont": {"color": rag.text_colour},
            "hovertemplate": f"%{{y}}: %{{x}} {rag.label}<extra></extra>",
        })
    xaxis = {"title": {"text": "Actions"}}
    if len(labels) < 3:
        xaxis["dtick"] = 1
    figure = {"data": traces, "layout": {
        "template": _template(), "barmode": "stack", "height": max(240, 90 + 42 * len(labels)), "margin": {"l": 10, "r": 10, "t": 40, "b": 40},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "normal"},
        "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff",
        "yaxis": {"autorange": "reversed", "automargin": True}, "xaxis": xaxis,
        "font": {"family": "system-ui, sans-serif", "size": 13, "color": "#0b0c0c"},
    }}
    return html.Figure([
        dcc.Graph(id=graph_id, figure=figure, config={"displayModeBar": False, "responsive": True}),
        html.Figcaption(title, className="visually-hidden"),
    ], className="mb-0")


def rag_count_table(
    scale: list[Rag], groups: dict[str, Counter], group_label: str, table_id: str,
    hrefs: dict[str, str] | None = None,
) -> html.Div:
    """The same figures as the chart, as a table: readable by screen readers and exact for the board.
    With `hrefs` (group name -> path), each group's name links to its page. On a narrow screen the
    table scrolls inside its own box (a Tab stop, so the keyboard can scroll it), not the page."""
    hrefs = hrefs or {}
    header = html.Thead(html.Tr(
        [html.Th(group_label, scope="col")]
        + [html.Th(frozen_badge(r), scope="col") for r in scale]
        + [html.Th("Total", scope="col")]
    ))
    # The rows are written as their JSON (static_html), and centred by the stylesheet
    # (.rag-count-table): the ×10 subgroup table is 40 rows of nine components.
    body = html.Tbody([
        element("Tr",
                [element("Th", element("A", name, href=hrefs[name]) if name in hrefs else name, scope="row")]
                + [element("Td", str(counts.get(r.code, 0))) for r in scale]
                + [element("Td", str(sum(counts.values())))])
        for name, counts in groups.items()
    ])
    table = dbc.Table([header, body], bordered=True, size="sm", className="bg-white rag-count-table", id=table_id)
    return html.Div(table, className="table-responsive mb-3", tabIndex="0", role="region",
                    **{"aria-label": f"Actions by RAG in each {group_label.lower()}"})


def exceptions_table(scale: dict[str, Rag], rows: list[ActionRow], table_id: str = "exceptions-table"):
    if not rows:
        return html.P("No exceptions: nothing is red, overdue, deteriorating or out of date.", id=table_id)
    return dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in
                            ("Action", "Subgroup", "Owner", "Due", "RAG", "Why it is here")])),
        html.Tbody([  # each row written as its JSON (static_html): nothing on it changes once sent
            element("Tr", [
                element("Td", element("A", f"{r.ref} {r.title}", href=action_href(r.id), className="exception-link")),
                element("Td", r.subgroup),
                element("Td", r.owner or "—"),
                element("Td", short_date(r.due_date)),
                element("Td", frozen_badge(rag_for(scale, r.rag, r.status))),
                element("Td", ", ".join(r.exceptions)),
            ], id={"type": "exception-row", "ref": r.ref})
            for r in rows
        ]),
    ], bordered=True, hover=True, responsive=True, size="sm", className="bg-white", id=table_id)


def actions_table(scale: dict[str, Rag], rows: list[ActionRow], table_id: str, show_subgroup: bool = True):
    """A plain, semantic table of actions (the subgroup page has the sortable grid)."""
    if not rows:
        return html.P("No actions yet.", id=table_id)
    headings = ["Action", *(["Subgroup"] if show_subgroup else []), "Owner", "Due", "Slippage", "Status", "RAG",
                "Progress"]
    return dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in headings])),
        html.Tbody([  # each row written as its JSON (static_html)
            element("Tr", [
                element("Td", element("A", f"{r.ref} {r.title}", href=action_href(r.id))),
                *([element("Td", r.subgroup)] if show_subgroup else []),
                element("Td", r.owner or "—"),
                element("Td", short_date(r.due_date)),
                element("Td", slipped_text(r.days_slipped, r.original_due_date)),  # against the original due date
                element("Td", status_label(r.status)),
                element("Td", frozen_badge(rag_for(scale, r.rag, r.status))),
                element("Td", f"{r.progress}%"),
            ])
            for r in rows
        ]),
    ], bordered=True, hover=True, responsive=True, size="sm", className="bg-white", id=table_id)
