"""Search results: /search?q=... (the query is in the URL, so a search can be shared or refreshed)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.services import search as search_service
from tracker.web.context import signed_in_page

dash.register_page(__name__, path="/search", title="Search – CDP Delivery Tracker", name="Search")

HEADINGS = {"action": "Actions", "subgroup": "Subgroups", "person": "People", "indicator": "Indicators",
            "risk": "Risks"}


def search_form(value: str = "") -> html.Form:
    """A plain GET form, so it works from the keyboard and without a callback."""
    return html.Form([
        html.Label("Search the tracker", htmlFor="search-q", className="fw-semibold me-2"),
        html.Div([
            dbc.Input(id="search-q", name="q", type="search", value=value,
                      minLength=search_service.MIN_LENGTH, maxLength=search_service.MAX_LENGTH),
            html.Button("Search", type="submit", className="btn btn-primary"),
        ], className="input-group"),
    ], action=dash.get_relative_path("/search"), method="get", role="search", className="mb-3")


@signed_in_page("Sign in to search.")
def layout(session, person, q: str = "", **_):
    result = search_service.search(session, person.partnership_id, q)
    sections = []
    for kind, heading in HEADINGS.items():
        hits = result.of(kind)
        if not hits:
            continue
        sections.append(html.Section([
            html.H2(f"{heading} ({len(hits)})", className="h5"),
            html.Ul([html.Li([html.A(h.label, href=dash.get_relative_path(h.path)) if h.path else h.label,
                              html.Span(f" – {h.detail}", className="small text-muted") if h.detail else None])
                     for h in hits]),
        ], className="card-section", id=f"search-{kind}"))
    return html.Div([
        html.H1(f"Search: {result.query}" if result.query else "Search", className="h3"),
        search_form(result.query),
        html.P(result.message, id="search-message", role="status") if result.message else None,
        *sections,
    ])
