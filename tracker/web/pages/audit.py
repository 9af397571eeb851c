"""The audit trail: every change in the partnership, who made it and when. Chair and admins only."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html

from tracker.services import audit_log
from tracker.services.errors import InvalidInput, PermissionDenied
from tracker.services.permissions import require_chair_or_admin
from tracker.web.callbacks import callback
from tracker.web.components.audit import audit_table
from tracker.web.components.forms import field, field_outputs, field_values, select, select_options
from tracker.web.context import signed_in, signed_in_page

dash.register_page(__name__, path="/audit", title="Audit trail – CDP Delivery Tracker", name="Audit trail",
                   nav={"order": 70, "label": "Audit trail", "roles": ("admin", "chair")})

FILTERS = {"person_id": "audit-person", "entity_type": "audit-type", "date_from": "audit-from", "date_to": "audit-to"}


def _filters(session, person) -> html.Div:
    people = audit_log.actors(session, person)
    types = [(t, audit_log.entity_label(t)) for t in audit_log.entity_types(session, person)]
    form = dbc.Form(dbc.Row([
        dbc.Col(field("Who made the change", select("audit-person", select_options(people, blank="Anyone"))), md=3),
        dbc.Col(field("Type of record", select("audit-type", select_options(types, blank="Any type"))), md=3),
        dbc.Col(field("From (date)", dbc.Input(id="audit-from", type="date", value="")), md=3),
        dbc.Col(field("To (date)", dbc.Input(id="audit-to", type="date", value="")), md=3),
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
    *field_outputs(FILTERS.values()),
    *(Input(component, "value") for component in FILTERS.values()),
    prevent_initial_call=True,
)
def apply_filters(person_id, entity_type, date_from, date_to):
    no_errors = field_values(FILTERS, {})
    try:
        with signed_in() as (session, person):
            log = audit_log.list_events(session, person, person_id=person_id or None,
                                        entity_type=entity_type or None, date_from=date_from or None,
                                        date_to=date_to or None)
            return [audit_table(log), *no_errors]
    except PermissionDenied as exc:
        return [dbc.Alert(str(exc), color="danger", id="audit-refused"), *no_errors]
    except InvalidInput as exc:
        return [dbc.Alert("Check the filters marked above.", color="danger"), *field_values(FILTERS, exc.errors)]
