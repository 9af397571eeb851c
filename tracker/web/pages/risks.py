"""The risk register: heat map, the register, adding a risk, re-rating with a reason (kept as history),
and linking a risk to the contracts and grants it concerns."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from tracker.services import risks
from tracker.services.errors import InvalidInput
from tracker.services.permissions import is_admin, is_chair
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.forms import to_int
from tracker.web.components.notices import status_message
from tracker.web.components.risks import (
    ERROR_SUFFIX,
    LINK_FUNDING,
    NEW_FIELDS,
    NEW_FORM,
    NEW_FUNDING,
    NEW_LABELS,
    NEW_NAMES,
    add_risk_form,
    heat_map,
    history_list,
    link_form,
    register_table,
    rerate_form,
)
from tracker.web.context import run_service, signed_in_page, today

dash.register_page(__name__, path="/risks", title="Risk register – CDP Delivery Tracker", name="Risks",
                   nav={"order": 64, "label": "Risks"})

FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact", "review_date", "reason")


def _href(path: str) -> str:
    return dash.get_relative_path(path)


def _body(reg: risks.RiskRegister, person, choices: risks.FormChoices, chosen_id: int | None = None):
    chosen = next((r for r in reg.rows if r.id == chosen_id), reg.rows[0] if reg.rows else None)
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
                      *rerate_form(reg, chosen),
                      link_form(choices, chosen) if chosen and choices.funding else None],
                     className="card-section", id="risk-rerate-section")
        if may_rate else None,
    ]


@signed_in_page("Sign in to see the risk register.")
def layout(session, person, **_):
    reg = risks.register(session, person.partnership_id, today())
    choices = risks.form_choices(session, person.partnership_id)
    return html.Div([
        html.H1("Risk register", className="h3"),
        html.P("Risks to the delivery plan, scored likelihood × impact on a 5 × 5 scale: 1–4 Low, 5–9 Medium, "
               "10–14 High, 15–25 Very high. Inherent is before mitigation, residual after it."),
        dcc.Store(id="risk-refresh", data=0),
        html.Div(id="risk-message", **{"aria-live": "polite"}),
        add_risk_form(choices) if is_admin(person) or is_chair(person) else None,
        html.Div(_body(reg, person, choices), id="risk-body"),
    ])


@callback(
    Output("risk-message", "children"),
    Output("risk-refresh", "data"),
    Input("risk-rerate-save", "n_clicks"),
    State({"form": "risk-rerate", "field": ALL}, "value"),
    State({"form": "risk-rerate", "field": ALL}, "id"),
    State("risk-rerate-version", "data"),
    State("risk-refresh", "data"),
)
def save_rating(clicks, values, ids, version, refresh):
    if not clicks:  # the register re-rendered, with a new button: nobody clicked it
        return no_update, no_update
    form = {i.get("field"): v for i, v in zip(ids or [], values or [], strict=False) if isinstance(i, dict)}
    risk_id, version = to_int(form.get("risk")), to_int(version)
    if risk_id is None or version is None:
        return status_message("Choose a risk to re-rate.", ok=False), no_update
    data = {name: form.get(name) for name in FIELDS}
    data["review_date"] = data["review_date"] or None
    risk, error = run_service(lambda s, p: risks.rerate_risk(s, p, risk_id, version, data, today()))
    if error is not None:
        return dbc.Alert(str(error), color="danger", id="risk-error"), no_update
    return status_message(f"Saved the new rating of {risk.ref}.", message_id="risk-saved"), forms.bumped(refresh)


@callback(
    Output("risk-body", "children"),
    Input("risk-refresh", "data"),
    Input({"form": "risk-rerate", "field": "risk"}, "value"),
)
def refresh_register(_refresh, chosen):
    if ctx.triggered_id == "risk-refresh" or chosen is not None:
        body, error = run_service(lambda s, p: _body(risks.register(s, p.partnership_id, today()), p,
                                                     risks.form_choices(s, p.partnership_id), to_int(chosen)))
        return body if error is None else status_message(str(error), ok=False)
    return no_update


@callback(
    Output("risk-new-message", "children"),
    *forms.form_outputs(NEW_FORM, ERROR_SUFFIX),
    Output("risk-new-funding-error", "children"),
    forms.form_values_output(NEW_FORM),
    Output({"type": NEW_FUNDING, "index": ALL}, "value"),
    Output("risk-refresh", "data", allow_duplicate=True),
    Input("risk-new-submit", "n_clicks"),
    *forms.form_states(NEW_FORM),
    *forms.ticked_states(NEW_FUNDING),
    State("risk-refresh", "data"),
)
def add_risk(clicks, field_ids, field_values, box_ids, box_values, refresh):
    """Thin: read the form; risks.add_risk checks everything (permission included) again."""
    if not clicks:
        return (no_update,) * 7
    form = forms.read_form(field_ids, field_values, NEW_NAMES)
    data = {name: form.get(name) if isinstance(form.get(name), str) else "" for name in NEW_NAMES}
    for name in ("owner_id", "theme_id"):
        data[name] = to_int(data[name])  # "" (none chosen) is None
    data["review_date"] = data["review_date"] or None
    data["funding_ids"] = forms.ticked_ids(box_ids, box_values)
    created, error = run_service(lambda s, p: risks.add_risk(s, p, data, today()))
    if error is not None:
        errors = dict(error.errors) if isinstance(error, InvalidInput) else {}
        if "action_ids" in errors:
            errors.setdefault("action_refs", errors.pop("action_ids"))
        message = (forms.error_summary(errors, NEW_FIELDS, NEW_LABELS, "risk-new-error-summary") if errors
                   else dbc.Alert(str(error), color="danger", id="risk-new-denied"))
        return (message, *forms.form_feedback(NEW_FORM, errors, ERROR_SUFFIX), errors.get("funding_ids", ""),
                forms.form_unchanged(NEW_FORM), [no_update] * len(box_ids or []), no_update)
    message = status_message(f"Added risk {created.ref}: {created.title}. It is in the register below.",
                             message_id="risk-new-success")
    return (message, *forms.form_feedback(NEW_FORM, {}, ERROR_SUFFIX), "", forms.form_reset(NEW_FORM, {}),
            [False] * len(box_ids or []), forms.bumped(refresh))


@callback(
    Output("risk-message", "children", allow_duplicate=True),
    Output("risk-refresh", "data", allow_duplicate=True),
    Input("risk-link-save", "n_clicks"),
    State({"form": "risk-rerate", "field": "risk"}, "value"),
    *forms.ticked_states(LINK_FUNDING),
    State("risk-refresh", "data"),
)
def save_links(clicks, risk_value, box_ids, box_values, refresh):
    risk_id = to_int(risk_value)
    if not clicks or risk_id is None:
        return no_update, no_update
    funding_ids = forms.ticked_ids(box_ids, box_values)
    risk, error = run_service(lambda s, p: risks.link_funding(s, p, risk_id, funding_ids))
    if error is not None:
        return dbc.Alert(str(error), color="danger", id="risk-error"), no_update
    return (status_message(f"Saved the contracts and grants of {risk.ref}.", message_id="risk-links-saved"),
            forms.bumped(refresh))
