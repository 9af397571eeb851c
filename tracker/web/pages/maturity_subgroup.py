"""One subgroup's maturity: radar (latest against previous), change over time, lowest-scoring
dimensions, every assessment it has had, and (for its leads) opening a new round.

The layout gets one view model (maturity.subgroup_page) and renders it; nothing here queries."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from tracker.services import maturity, reference
from tracker.services.errors import NotFound
from tracker.web.callbacks import callback
from tracker.web.components.forms import field, refused, ticked_ids, ticked_states, to_int
from tracker.web.components.maturity import (
    assessment_href,
    history_table,
    href,
    lowest_table,
    radar_figure,
    radar_table,
    trend_figure,
    trend_table,
)
from tracker.web.components.notices import not_found
from tracker.web.context import page_title, run_service, signed_in_page, today


def _describe(session, person, subgroup_id=None, **_) -> str:
    """The browser title names the subgroup, as the page's heading does."""
    try:
        return maturity.subgroup_heading(reference.get_subgroup(session, person.partnership_id, to_int(subgroup_id) or 0))
    except NotFound:
        return "Subgroup not found"


dash.register_page(__name__, path_template="/maturity/subgroup/<subgroup_id>",
                   title=page_title("Subgroup maturity – CDP Delivery Tracker", _describe), name="Subgroup maturity")


def open_round_form(page: maturity.SubgroupPage):
    if not page.can_open:
        return None
    if page.in_progress:
        current = page.in_progress
        return html.Section([
            html.H2("Open a new assessment round", className="h5"),
            html.P(["A round is in progress: ", html.A(current.title, href=assessment_href(current.id)),
                    ". Finish it and have it signed off before opening another."]),
        ], className="card-section")
    return html.Section([
        html.H2("Open a new assessment round", className="h5", id="open-round-heading"),
        html.P("Each member you invite scores every dimension on their own; you then agree the scores "
               "with the subgroup and the chair signs them off."),
        field("Title of the round", dbc.Input(id="open-round-title", value=page.suggested_title, maxLength=200),
              error_suffix=None, class_name="mb-2"),
        html.Fieldset([
            html.Legend("Invite these members to rate", className="h6"),
            *[dbc.Checkbox(id={"type": "open-round-rater", "person": p.id}, value=True,
                           label=f"{p.name} ({p.organisation})" if p.organisation else p.name,
                           className="mb-1")
              for p in page.eligible],
        ], className="mb-3"),
        dbc.Button("Open the round", id="open-round-submit", color="primary"),
    ], className="card-section maturity-form", **{"aria-labelledby": "open-round-heading"})


def _section(heading: str, *content) -> html.Section:
    return html.Section([html.H2(heading, className="h5"), *content], className="card-section")


def render(page: maturity.SubgroupPage) -> html.Div:
    comparison, trend = page.comparison, page.trend
    if comparison.latest:
        radar = dbc.Row([dbc.Col(radar_figure(comparison), lg=6), dbc.Col(radar_table(comparison), lg=6)])
    else:
        radar = html.P("No assessment has been agreed yet.", id="maturity-radar-empty")
    return html.Div([
        dcc.Store(id="maturity-subgroup-id", data=page.subgroup.id),
        dcc.Location(id="maturity-subgroup-nav", refresh="callback-nav"),
        html.P(html.A("← Maturity of all subgroups", href=href("/maturity"))),
        html.H1(page.heading, className="h3"),
        html.Div(id="open-round-message", **{"aria-live": "polite"}),
        open_round_form(page),
        _section("Latest assessment against the previous one", radar),
        _section("Change over time",
                 dbc.Row([dbc.Col(trend_figure(trend), lg=6), dbc.Col(trend_table(trend), lg=6)])
                 if trend.assessments else html.P("No assessment has been agreed yet.")),
        _section("Lowest-scoring dimensions and their improvements", lowest_table(page.lowest, show_subgroup=False)),
        _section("Every assessment", history_table(page.history)),
    ])


@signed_in_page("Sign in to see the maturity of this subgroup.")
def layout(session, person, subgroup_id=None, **_):
    try:
        page = maturity.subgroup_page(session, person, to_int(subgroup_id) or 0, today())
    except NotFound as exc:
        return not_found("Subgroup not found", str(exc), "/maturity", "See the maturity of all subgroups",
                         "subgroup-not-found")
    return render(page)


@callback(
    Output("open-round-message", "children"),
    Output("maturity-subgroup-nav", "pathname"),
    Input("open-round-submit", "n_clicks"),
    State("open-round-title", "value"),
    *ticked_states("open-round-rater", "person"),
    State("maturity-subgroup-id", "data"),
)
def open_round(n_clicks, title, ids, ticks, subgroup_id):
    if not n_clicks:
        raise PreventUpdate
    rater_ids = ticked_ids(ids, ticks, "person")
    assessment_id, error = run_service(lambda session, person: maturity.open_assessment(
        session, person, to_int(subgroup_id) or 0, {"title": title or "", "rater_ids": rater_ids}, today()).id)
    if error:
        return refused(error, "open-round-errors"), dash.no_update
    return dash.no_update, dash.get_relative_path(f"/maturity/assessment/{assessment_id}")
