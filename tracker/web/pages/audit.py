"""The audit trail: every change in the partnership, who made it and when. Chair and admins only."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, ctx, html

from tracker.services import audit_log
from tracker.services.errors import InvalidInput, PermissionDenied
from tracker.services.permissions import require_chair_or_admin
from tracker.web.callbacks import callback
from tracker.web.components.audit import audit_table
from tracker.web.components.forms import (
    field,
    form_feedback,
    form_field,
    form_outputs,
    read_form,
    select,
    select_options,
)
from tracker.web.context import signed_in, signed_in_page

dash.register_page(__name__, path="/audit", title="Audit trail – CDP Delivery Tracker", name="Audit trail",
                   nav={"order": 70, "label": "Audit trail", "roles": ("admin", "chair")})

FILTER_FORM = "audit"  # each filter's control is form_field(FILTER_FORM, <the service's argument>)
FILTERS = ["person_id", "entity_type", "date_from", "date_to"]


def _filters(session, person) -> html.Div:
    people = audit_log.actors(session, person)
    types = [(t, audit_log.entity_label(t)) for t in audit_log.entity_types(session, person)]
    form = dbc.Form(dbc.Row([
        dbc.Col(field("Who made the change", select(form_field(FILTER_FORM, "person_id"), select_options(people, blank="Anyone"))), md=3),
        dbc.Col(field("Type of record", select(form_field(FILTER_FORM, "entity_type"), select_options(types, blank="Any type"))), md=3),
        dbc.Col(field("From (date)", dbc.Input(id=form_field(FILTER_FORM, "date_from"), type="date", value="")), md=3),
        dbc.Col(field("To (date)", dbc.Input(id=form_field(FILTER_FORM, "date_to"), type="date", value="")), md=3),
    ], className="g-2"), id="audit-filters")
    return html.Div(form, className="card-section", role="search", **{"aria-label": "Filter the audit trail"})


@signed_in_page("Sign in to see the audit trail.", allow=require_chair_or_admin,
                refused="Only the chair or an administrator can see the audit trail.")
def layout(session, person, **_):
    log = audit_log.list_events(session, person)
    filters = _filters(session, person)
    return html.Div([
        html.H1("Audit trail", className="h3"),
        html.P("Every change made in the tracker: who made it, when (UK time) and the values before and "
               "after. Nothing here can be edited or deleted.", className="text-muted"),
        filters,
        html.Div(audit_table(log), id="audit-results", **{"aria-live": "polite"}),
    ])


@callback(
    Output("audit-results", "children"),
    *form_outputs(FILTER_FORM),
    Input(form_field(FILTER_FORM, ALL), "value"),
    prevent_initial_call=True,
)
def apply_filters(_values):
    sent = ctx.inputs_list[0] if ctx.inputs_list else []  # each filter's id with its value
    chosen = read_form([i.get("id") for i in sent], [i.get("value") for i in sent], FILTERS)
    try:
        with signed_in() as (session, person):
            log = audit_log.list_events(session, person, **{name: chosen.get(name) or None for name in FILTERS})
            return [audit_table(log), *form_feedback(FILTER_FORM)]
    except PermissionDenied as exc:
        return [dbc.Alert(str(exc), color="danger", id="audit-refused"), *form_feedback(FILTER_FORM)]
    except InvalidInput as exc:
        return [dbc.Alert("Check the filters marked above.", color="danger"), *form_feedback(FILTER_FORM, exc.errors)]
