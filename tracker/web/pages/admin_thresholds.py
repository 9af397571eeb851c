"""Admin: the partnership's thresholds: when an action counts as "not updated", and how many working
days before a board meeting updates are due. The indicators' "at risk" margin is shown beside them; it is
a rule of the tracker, not a setting. Also whether embedded subgroup views list the members."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from tracker.services import embeds
from tracker.services import thresholds as service
from tracker.services.errors import ServiceError
from tracker.web.callbacks import callback
from tracker.web.components.forms import error_summary, field, field_outputs, field_values
from tracker.web.components.notices import status_message
from tracker.web.context import admin_page, run_service, signed_in

dash.register_page(__name__, path="/admin/thresholds", title="Thresholds – Admin – CDP Delivery Tracker",
                   name="Thresholds", nav={"order": 83, "label": "Thresholds", "roles": ("admin",)})

FIELDS = {name: f"threshold-{name.replace('_', '-')}" for name in service.FIELDS}
HINTS = {
    "stale_after_days": "From 7 to 730. The overview, the exceptions and the Excel export count an open, started "
                        "action with no update for longer as not updated.",
    "update_deadline_working_days": "From 0 to 60 working days (Monday to Friday). Owners are reminded, and the "
                                    "chair sees who has not updated, by this deadline.",
}


@admin_page()
def layout(session, person, **_):
    current = service.thresholds(session, person)
    return html.Div([
        html.H1("Thresholds", className="h3"),
        html.P("The partnership's own limits for reporting. A change applies to every page at once and is "
               "recorded in the audit trail.", className="text-muted"),
        html.Section([
            html.Div(id="thresholds-summary"),
            *(field(service.LABELS[name], dbc.Input(id=FIELDS[name], type="number", step=1, inputmode="numeric",
                                                    value=current[name]), HINTS[name])
              for name in service.FIELDS),
            dbc.Button("Save the thresholds", id="thresholds-save", color="primary"),
            dcc.Store(id="thresholds-loaded", data={k: current[k] for k in service.FIELDS}),
        ], className="card-section", id="thresholds-form"),
        embed_section(embeds.shows_members(session, person.partnership_id)),
        html.Section([
            html.H2("Indicators", className="h5"),
            html.P(f"An indicator is at risk when it is worse than its trajectory by no more than "
                   f"{current['at_risk_margin']:.0%} of the distance from baseline to target, and off track beyond "
                   "that. This margin is a rule of the tracker, the same for every partnership.",
                   className="mb-0", id="thresholds-indicator-rule"),
        ], className="card-section"),
    ])


@callback(
    Output("thresholds-summary", "children"),
    Output("thresholds-loaded", "data"),
    *field_outputs(FIELDS.values()),
    Input("thresholds-save", "n_clicks"),
    *(State(FIELDS[name], "value") for name in service.FIELDS),
    State("thresholds-loaded", "data"),
)
def save_thresholds(_clicks, stale, deadline, loaded):
    data = {"stale_after_days": stale, "update_deadline_working_days": deadline}
    try:
        with signed_in() as (session, person):
            partnership = service.update_thresholds(session, person, data, loaded if isinstance(loaded, dict) else None)
            saved = {k: getattr(partnership, k) for k in service.FIELDS}
    except ServiceError as exc:
        errors = getattr(exc, "errors", None) or {}
        summary = (error_summary(errors, FIELDS, service.LABELS, "thresholds-error") if errors
                   else status_message(str(exc), ok=False, message_id="thresholds-error"))
        return summary, no_update, *field_values(service.FIELDS, errors)
    return (status_message("Thresholds saved.", message_id="thresholds-saved"), saved,
            *field_values(service.FIELDS, {}))


def embed_section(show_members: bool) -> html.Section:
    return html.Section([
        html.H2("Embedded views", className="h5", id="embed-settings-heading"),
        html.P("An embedded subgroup view is read on an intranet page by people without an account. It shows the "
               "subgroup's RAG counts and plan; its member list only if you choose so here.", className="small"),
        html.Div(id="embed-settings-message", **{"aria-live": "polite"}),
        dbc.Checkbox(id="embed-show-members", value=show_members, label=embeds.SHOW_MEMBERS_LABEL,
                     className="mb-2"),
        dbc.Button("Save the embed setting", id="embed-settings-save", color="primary"),
    ], className="card-section", id="embed-settings", **{"aria-labelledby": "embed-settings-heading"})


@callback(
    Output("embed-settings-message", "children"),
    Input("embed-settings-save", "n_clicks"),
    State("embed-show-members", "value"),
)
def save_embed_setting(_clicks, show):
    shown, error = run_service(lambda session, person: embeds.set_show_members(session, person, show)
                               .embed_show_members)
    if error is not None:
        errors = getattr(error, "errors", None) or {}
        return status_message(next(iter(errors.values()), str(error)), ok=False, message_id="embed-settings-error")
    words = ("Saved: embedded subgroup views list the members." if shown else
             "Saved: embedded subgroup views do not list the members.")
    return status_message(words, message_id="embed-settings-saved")
