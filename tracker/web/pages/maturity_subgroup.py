"""One subgroup's maturity: radar (latest against previous), change over time, lowest-scoring
dimensions, every assessment it has had, and (for its leads) opening a new round."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from tracker.formatting import financial_year
from tracker.services import maturity, permissions, reference
from tracker.services.errors import NotFound
from tracker.web.callbacks import callback
from tracker.web.components.forms import field, refused, to_int
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
from tracker.web.context import run_service, signed_in_page, today

dash.register_page(__name__, path_template="/maturity/subgroup/<subgroup_id>",
                   title="Subgroup maturity – CDP Delivery Tracker", name="Subgroup maturity")


def open_round_form(session, person, subgroup, in_progress: list[maturity.AssessmentSummary]):
    if not permissions.can_edit_subgroup(session, person, subgroup):
        return None
    if in_progress:
        current = in_progress[0]
        return html.Section([
            html.H2("Open a new assessment round", className="h5"),
            html.P(["A round is in progress: ", html.A(current.title, href=assessment_href(current.id)),
                    ". Finish it and have it signed off before opening another."]),
        ], className="card-section")
    people = maturity.eligible_raters(session, person.partnership_id, subgroup.id)
    title_id = "open-round-title"
    return html.Section([
        html.H2("Open a new assessment round", className="h5", id="open-round-heading"),
        html.P("Each member you invite scores every dimension on their own; you then agree the scores "
               "with the subgroup and the chair signs them off."),
        field("Title of the round", dbc.Input(id=title_id, value=f"{financial_year(today())} self-assessment",
                                              maxLength=200), error_suffix=None, class_name="mb-2"),
        html.Fieldset([
            html.Legend("Invite these members to rate", className="h6"),
            *[dbc.Checkbox(id={"type": "open-round-rater", "person": p.id}, value=True,
                           label=f"{p.name} ({p.organisation})" if p.organisation else p.name,
                           className="mb-1")
              for p in people],
        ], className="mb-3"),
        dbc.Button("Open the round", id="open-round-submit", color="primary"),
    ], className="card-section maturity-form", **{"aria-labelledby": "open-round-heading"})


@signed_in_page("Sign in to see the maturity of this subgroup.")
def layout(session, person, subgroup_id=None, **_):
    pid = person.partnership_id
    try:
        subgroup = reference.get_subgroup(session, pid, to_int(subgroup_id) or 0)
    except NotFound as exc:
        return not_found("Subgroup not found", str(exc), "/maturity", "See the maturity of all subgroups",
                         "subgroup-not-found")
    comparison = maturity.latest_and_previous(session, pid, subgroup.id)
    trend = maturity.change_over_time(session, pid, subgroup.id)
    history = maturity.assessment_history(session, pid, subgroup.id)
    in_progress = [h for h in history if h.status != "signed_off"]
    if comparison.latest:
        radar = dbc.Row([
            dbc.Col(radar_figure(comparison), lg=6),
            dbc.Col(radar_table(comparison), lg=6),
        ])
    else:
        radar = html.P("No assessment has been agreed yet.", id="maturity-radar-empty")
    return html.Div([
        dcc.Store(id="maturity-subgroup-id", data=subgroup.id),
        dcc.Location(id="maturity-subgroup-nav", refresh="callback-nav"),
        html.P(html.A("← Maturity of all subgroups", href=href("/maturity"))),
        html.H1(f"Maturity: {subgroup.name}", className="h3"),
        html.Div(id="open-round-message", **{"aria-live": "polite"}),
        open_round_form(session, person, subgroup, in_progress),
        html.Section([
            html.H2("Latest assessment against the previous one", className="h5"),
            radar,
        ], className="card-section"),
        html.Section([
            html.H2("Change over time", className="h5"),
            dbc.Row([dbc.Col(trend_figure(trend), lg=6), dbc.Col(trend_table(trend), lg=6)])
            if trend.assessments else html.P("No assessment has been agreed yet."),
        ], className="card-section"),
        html.Section([
            html.H2("Lowest-scoring dimensions and their improvements", className="h5"),
            lowest_table(maturity.lowest_scoring(session, pid, subgroup.id, limit=5), show_subgroup=False),
        ], className="card-section"),
        html.Section([
            html.H2("Every assessment", className="h5"),
            history_table(history),
        ], className="card-section"),
    ])


@callback(
    Output("open-round-message", "children"),
    Output("maturity-subgroup-nav", "pathname"),
    Input("open-round-submit", "n_clicks"),
    State("open-round-title", "value"),
    State({"type": "open-round-rater", "person": ALL}, "value"),
    State({"type": "open-round-rater", "person": ALL}, "id"),
    State("maturity-subgroup-id", "data"),
    prevent_initial_call=True,
)
def open_round(n_clicks, title, ticks, ids, subgroup_id):
    if not n_clicks:
        raise PreventUpdate
    rater_ids = [i["person"] for i, ticked in zip(ids, ticks, strict=True) if ticked]
    assessment_id, error = run_service(lambda session, person: maturity.open_assessment(
        session, person, to_int(subgroup_id) or 0, {"title": title or "", "rater_ids": rater_ids}, today()).id)
    if error:
        return refused(error, "open-round-errors"), dash.no_update
    return dash.no_update, dash.get_relative_path(f"/maturity/assessment/{assessment_id}")
