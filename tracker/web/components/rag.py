"""RAG shown as a word and a symbol with its colour, never colour alone, and the scale's key."""

from __future__ import annotations

import functools

import dash_bootstrap_components as dbc
from dash import html

from tracker.services.reference import Rag
from tracker.web.components.static_html import frozen

CANCELLED = Rag("cancelled", "Cancelled", "Stopped; no longer part of the plan.", "#ffffff", "#0b0c0c", "⊘", None)


def rag_badge(rag: Rag | None, small: bool = False) -> html.Span:
    if rag is None:
        return html.Span("No RAG", className="rag-badge rag-none")
    return html.Span(
        [html.Span(rag.symbol, className="rag-symbol", **{"aria-hidden": "true"}), rag.label],
        className=f"rag-badge rag-{rag.code}" + (" rag-small" if small else ""),
        style={"backgroundColor": rag.colour, "color": rag.text_colour},
        title=rag.definition,
    )


@functools.lru_cache(maxsize=256)
def frozen_badge(rag: Rag | None, small: bool = True) -> dict:
    """rag_badge as its JSON (static_html.frozen), for tables and keys: built and encoded once per RAG in
    the process, not once per row or per page. Dash builds and encodes each component in Python, and
    the overview alone shows five tables of badges. A Rag is a frozen value of every field the badge
    shows, so a partnership that rewords a colour gets a new badge, never the old wording. The dict is
    shared: it is only ever encoded, never changed."""
    return frozen(rag_badge(rag, small=small))


def rag_for(scale: dict[str, Rag], code: str, status: str | None = None) -> Rag | None:
    if status == "cancelled":
        return CANCELLED
    return scale.get(code)


def rag_legend(scale: list[Rag], heading_id: str = "rag-legend-heading", open: bool = False) -> html.Details:
    """The RAG key: one short line (each colour's symbol and word) that opens, as a disclosure, to what
    each colour means in the partnership's own words. Closed on the pages, so the first screen shows
    the figures; `open` where a RAG is being picked."""
    return html.Details(
        [
            html.Summary([
                html.Span("What the RAG colours mean", id=heading_id, className="fw-semibold me-2"),
                html.Span([frozen_badge(rag) for rag in scale], className="rag-key-line"),
            ], id=f"{heading_id}-summary"),
            html.Dl(
                [item for rag in scale for item in (
                    html.Dt(frozen_badge(rag)),
                    html.Dd(rag.definition, className="mb-1"),
                )],
                className="rag-legend mb-0 mt-2",
            ),
        ],
        className="rag-legend-box rag-key",
        open=open,
    )


def rag_counts(scale: list[Rag], counts: dict[str, int]) -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                html.Div([html.Div(str(counts.get(r.code, 0)), className="count"), frozen_badge(r)],
                         className="rag-count-tile", id=f"count-{r.code}"),
                xs=6, md=2,
            )
            for r in scale
        ],
        className="g-2",
    )
