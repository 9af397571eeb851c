"""The strategic themes of the plan, each with its actions counted by RAG and a link to its page."""

from __future__ import annotations

from collections import Counter

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.services import plan_counts, reference
from tracker.web.components.plan import rag_count_table
from tracker.web.components.rag import rag_badge, rag_legend
from tracker.web.components.tor import theme_href
from tracker.web.context import signed_in_page, today

dash.register_page(__name__, path="/themes", title="Themes – CDP Delivery Tracker", name="Themes",
                   nav={"order": 20, "label": "Themes"})


def theme_label(theme) -> str:
    return f"{theme.number}. {theme.name}"


def counts_in_words(scale, counts: Counter) -> html.Ul:
    """The theme's counts as a list: each RAG as word and symbol, with its number."""
    return html.Ul([
        html.Li([rag_badge(r, small=True), f" {counts.get(r.code, 0)}"], className="list-inline-item me-3")
        for r in scale
    ], className="list-inline mb-0")


@signed_in_page("Sign in to see the themes.")
def layout(session, person, **_):
    pid = person.partnership_id
    scale = reference.rag_scale(session, pid)
    themes = reference.themes(session, pid)
    counts: dict[str, Counter] = {}
    cards = []
    # Counted in SQL from the stored current status: one GROUP BY, not a row per action.
    figures = plan_counts.figures_by(session, pid, today(), "theme")
    for theme in themes:
        summary = figures.get(theme.id) or plan_counts.GroupFigures(Counter())
        counts[theme_label(theme)] = summary.by_rag
        cards.append(html.Section([
            html.H2(html.A(theme_label(theme), href=theme_href(theme.id), id=f"theme-link-{theme.id}"),
                    className="h5"),
            html.P(theme.description, className="user-text") if theme.description else None,
            html.P(f"{summary.total} action{'s' if summary.total != 1 else ''}, "
                   f"{summary.overdue} overdue, {summary.red} red.", className="mb-1"),
            counts_in_words(scale, summary.by_rag),
        ], className="card-section", id=f"theme-card-{theme.id}", **{"aria-label": theme_label(theme)}))
    hrefs = {theme_label(t): theme_href(t.id) for t in themes}
    return html.Div([
        html.H1("Strategic themes", className="h3"),
        html.P("The themes of the local delivery plan. Choose a theme to see its objectives, the "
               "subgroups working on it and its actions.", className="text-muted"),
        dbc.Row([
            dbc.Col([
                html.Section([
                    html.H2("Actions by RAG in each theme", className="h5"),
                    rag_count_table(scale, counts, "Theme", "table-themes", hrefs=hrefs)
                    if themes else html.P("No themes have been set up yet."),
                ], className="card-section"),
                *cards,
            ], lg=8),
            dbc.Col(rag_legend(scale), lg=4),
        ]),
    ])
