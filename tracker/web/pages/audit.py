"""The audit trail: every change in the partnership, who made it and when. Chair and admins only."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, ctx, html, no_update
from dash.exceptions import PreventUpdate

from tracker.services import audit_log, saved_views
from tracker.services.errors import InvalidInput, PermissionDenied
from tracker.services.permissions import require_chair_or_admin
from tracker.web.callbacks import callback
from tracker.web.components import url_filters
from tracker.web.components.audit import audit_table
from tracker.web.components.forms import (
    field,
    form_feedback,
    form_field,
    form_outputs,
    form_values_output,
    read_form,
    select,
    select_options,
)
from tracker.web.components.saved_views import saved_views_panel
from tracker.web.context import signed_in, signed_in_page

dash.register_page(__name__, path="/audit", title="Audit trail – CDP Delivery Tracker", name="Audit trail",
                   nav={"order": 70, "label": "Audit trail", "roles": ("admin", "chair")})

FILTER_FORM = "audit"  # each filter's control is form_field(FILTER_FORM, <the service's argument>)
FILTERS = ["person_id", "entity_type", "date_from", "date_to"]


def _filters(session, person, chosen: dict[str, str]) -> html.Div:
    people = audit_log.actors(session, person)
    types = [(t, audit_log.entity_label(t)) for t in audit_log.entity_types(session, person)]
    form = dbc.Form(dbc.Row([
        dbc.Col(field("Who made the change", select(form_field(FILTER_FORM, "person_id"), select_options(people, blank="Anyone"),
                                                            chosen["person_id"])), md=3),
        dbc.Col(field("Type of record", select(form_field(FILTER_FORM, "entity_type"), select_options(types, blank="Any type"),
                                                          chosen["entity_type"])), md=3),
        dbc.Col(field("From (date)", dbc.Input(id=form_field(FILTER_FORM, "date_from"), type="date",
                                                           value=chosen["date_from"])), md=3),
        dbc.Col(field("To (date)", dbc.Input(id=form_field(FILTER_FORM, "date_to"), type="date",
                                             value=chosen["date_to"])), md=3),
    ], className="g-2"), id="audit-filters")
    return html.Div(form, className="card-section", role="search", **{"aria-label": "Filter the audit trail"})


@signed_in_page("Sign in to see the audit trail.", allow=require_chair_or_admin,
                refused="Only the chair or an administrator can see the audit trail.")
def layout(session, person, **query):
    chosen = url_filters.from_search(url_filters.to_search(query), FILTERS)  # the address's filters
    try:
        results = audit_table(audit_log.list_events(session, person, **{n: chosen[n] or None for n in FILTERS}))
    except InvalidInput:
        chosen = dict.fromkeys(FILTERS, "")  # a mistyped address shows the whole trail
        results = audit_table(audit_log.list_events(session, person))
    filters = _filters(session, person, chosen)
    return html.Div([
        url_filters.location("audit"),
        html.H1("Audit trail", className="h3"),
        html.P("Every change made in the tracker: who made it, when (UK time) and the values before and "
               "after. Nothing here can be edited or deleted.", className="text-muted"),
        filters,
        saved_views_panel(saved_views.list_views(session, person, page="/audit")),
        html.Div(results, id="audit-results", **{"aria-live": "polite"}),
    ])


@callback(
    Output("audit-results", "children"),
    *form_outputs(FILTER_FORM),
    Output(url_filters.location_id("audit"), "search"),
    form_values_output(FILTER_FORM),
    Input(form_field(FILTER_FORM, ALL), "value"),
    Input(url_filters.location_id("audit"), "search"),
)
def apply_filters(_values, search):
    """A chosen filter goes into the address; an address changed by Back or Forward sets the filters."""
    sent = ctx.inputs_list[0] if ctx.inputs_list else []  # each filter's id with its value
    shown = read_form([i.get("id") for i in sent], [i.get("value") for i in sent], FILTERS)
    shown = {name: shown.get(name) or "" for name in FILTERS}
    order = [i.get("id", {}).get("field") if isinstance(i.get("id"), dict) else None for i in sent]
    if ctx.triggered_id == url_filters.location_id("audit"):
        chosen = url_filters.from_search(search, FILTERS)
        if chosen == shown:
            raise PreventUpdate  # the address already says what is shown (e.g. as the page loads)
        address, controls = no_update, [chosen.get(name, "") if name else no_update for name in order]
    else:
        chosen = shown
        address, controls = url_filters.to_search(shown), [no_update] * len(order)
    try:
        with signed_in() as (session, person):
            log = audit_log.list_events(session, person, **{name: chosen[name] or None for name in FILTERS})
            return [audit_table(log), *form_feedback(FILTER_FORM), address, controls]
    except PermissionDenied as exc:
        return [dbc.Alert(str(exc), color="danger", id="audit-refused"), *form_feedback(FILTER_FORM), no_update,
                controls]
    except InvalidInput as exc:
        return [dbc.Alert("Check the filters marked above.", color="danger"), *form_feedback(FILTER_FORM, exc.errors),
                address, controls]
