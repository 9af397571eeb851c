"""The risk register: heat map, the register, and re-rating with a reason (kept as history)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from tracker.services import risks
from tracker.services.permissions import is_admin, is_chair
from tracker.web.callbacks import callback
from tracker.web.components.forms import to_int
from tracker.web.components.notices import status_message
from tracker.web.components.risks import heat_map, history_list, register_table, rerate_form
from tracker.web.context import run_service, signed_in_page, today

dash.register_page(__name__, path="/risks", title="Risk register – CDP Delivery Tracker", name="Risks")

FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact", "review_date", "reason")


def _href(path: str) -> str:
    return dash.get_relative_path(path)


def _body(reg: risks.RiskRegister, person, chosen_id: int | None = None):
    chosen = next((r for r in reg.rows if r.id == chosen_id), None)
    may_rate = is_admin(person) or is_chair(person) or any(r.owner_id == person.id for r in reg.rows)
    summary = (f"{reg.open_count} open risk{'s' if reg.open_count != 1 else ''}; "
               f"{len(reg.overdue)} overdue for review.")
    return [
        html.P(summary, id="risk-summary"),
        html.Section([html.H2("Heat map: residual ratings", className="h5"), heat_map(reg)], className="card-section"),
        html.Section([html.H2("The register", className="h5"), register_table(reg, _href),
                      html.Div([history_list(r) for r in reg.rows])], className="card-section"),
        html.Section([html.H2("Re-rate a risk", className="h5"),
                      html.P("Each rating is kept with its reason; the owner, the chair or the partnership officer "
                             "can re-rate.", className="small text-muted"),
                      *rerate_form(reg, chosen)], className="card-section", id="risk-rerate-section")
        if may_rate else None,
    ]


@signed_in_page("Sign in to see the risk register.")
def layout(session, person, **_):
    reg = risks.register(session, person.partnership_id, today())
    return html.Div([
        html.H1("Risk register", className="h3"),
        html.P("Risks to the delivery plan, scored likelihood × impact on a 5 × 5 scale: 1–4 Low, 5–9 Medium, "
               "10–14 High, 15–25 Very high. Inherent is before mitigation, residual after it."),
        dcc.Store(id="risk-refresh", data=0),
        html.Div(id="risk-message", **{"aria-live": "polite"}),
        html.Div(_body(reg, person), id="risk-body"),
    ])


@callback(
    Output("risk-message", "children"),
    Output("risk-refresh", "data"),
    Input("risk-rerate-save", "n_clicks"),
    State({"form": "risk-rerate", "field": ALL}, "value"),
    State({"form": "risk-rerate", "field": ALL}, "id"),
    State("risk-rerate-version", "data"),
    State("risk-refresh", "data"),
    prevent_initial_call=True,
)
def save_rating(_clicks, values, ids, version, refresh):
    form = {i.get("field"): v for i, v in zip(ids or [], values or [], strict=False) if isinstance(i, dict)}
    risk_id, version = to_int(form.get("risk")), to_int(version)
    if risk_id is None or version is None:
        return status_message("Choose a risk to re-rate.", ok=False), no_update
    data = {name: form.get(name) for name in FIELDS}
    data["review_date"] = data["review_date"] or None
    risk, error = run_service(lambda s, p: risks.rerate_risk(s, p, risk_id, version, data, today()))
    if error is not None:
        return dbc.Alert(str(error), color="danger", id="risk-error"), no_update
    return status_message(f"Saved the new rating of {risk.ref}.", message_id="risk-saved"), (to_int(refresh) or 0) + 1


@callback(
    Output("risk-body", "children"),
    Input("risk-refresh", "data"),
    Input({"form": "risk-rerate", "field": "risk"}, "value"),
    prevent_initial_call=True,
)
def refresh_register(_refresh, chosen):
    if ctx.triggered_id == "risk-refresh" or chosen is not None:
        body, error = run_service(lambda s, p: _body(risks.register(s, p.partnership_id, today()), p, to_int(chosen)))
        return body if error is None else status_message(str(error), ok=False)
    return no_update
