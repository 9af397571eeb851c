"""Maturity across the partnership: the heatmap, the lowest-scoring dimensions, rounds in progress.

The layout gets one view model (maturity.overview_page) and renders it; nothing here queries."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.services import maturity
from tracker.web.components.maturity import (
    heatmap_table,
    href,
    level_legend,
    lowest_table,
    round_list,
    rounds_href,
)
from tracker.web.context import signed_in_page

dash.register_page(__name__, path="/maturity", title="Maturity – CDP Delivery Tracker", name="Maturity",
                   nav={"order": 40, "label": "Maturity"})


def render(page: maturity.OverviewPage) -> html.Div:
    heading = html.H1("Maturity of the subgroups", className="h3")
    framework = page.framework
    if framework is None:
        return html.Div([heading, html.P(page.missing)])
    return html.Div([
        heading,
        html.P([
            "Each subgroup assesses itself against the partnership's maturity framework "
            f"({framework.name}, version {framework.version}): members score each dimension on their own, "
            "the subgroup agrees its scores, and the chair moderates and signs them off. ",
            html.A("See the framework", href=href("/maturity/framework")), ".",
        ]),
        dbc.Row([
            dbc.Col(html.Section([
                html.H2("Your ratings to give", className="h5"),
                round_list(page.awaiting_me, "maturity-my-ratings", "You have no ratings waiting.",
                           page.awaiting_me_more, rounds_href("mine"), "see all your ratings to give"),
            ], className="card-section"), lg=6),
            dbc.Col(html.Section([
                html.H2("Rounds in progress", className="h5"),
                round_list(page.in_progress, "maturity-in-progress", "No round is in progress.",
                           page.in_progress_more, rounds_href("in-progress"), "see every round in progress"),
            ], className="card-section"), lg=6),
        ]),
        html.Section([
            html.H2("Heatmap: subgroups by dimension", className="h5"),
            dbc.Row([dbc.Col(level_legend(framework.levels), className="mb-2")]),
            heatmap_table(page.heatmap),
        ], className="card-section"),
        html.Section([
            html.H2("Lowest-scoring dimensions and their improvements", className="h5"),
            html.P("From each subgroup's latest agreed or signed-off assessment, lowest first.",
                   className="small"),
            lowest_table(page.lowest),
        ], className="card-section"),
    ])


@signed_in_page("Sign in to see the maturity of the subgroups.")
def layout(session, person, **_):
    return render(maturity.overview_page(session, person))
