"""Admin: read-only embed tokens for intranet pages. Create one for a view with an expiry (the token is
shown once, with the iframe to paste), see them all, revoke one. The service (tracker.services.embeds)
is the one the command line uses too."""

from __future__ import annotations

from datetime import timedelta

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, ctx, html, no_update

from tracker.formatting import short_date
from tracker.rules.dates import parse_iso_date
from tracker.services import embeds
from tracker.services.errors import InvalidInput, ServiceError
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.notices import status_message
from tracker.web.context import admin_page, signed_in, today

dash.register_page(__name__, path="/admin/embeds", title="Embed tokens – Admin – CDP Delivery Tracker",
                   name="Embed tokens", nav={"order": 82, "label": "Embeds", "roles": ("admin",)})

FORM = "embed"  # each control's id is {"form": "embed", "field": <name>}
FIELDS = forms.form_fields(FORM, ("label", "scope", "expires_on"))
LABELS = {"label": "Where it will be used", "scope": "What it shows", "expires_on": "Last day it works"}
REVOKE = "embed-revoke"


def _scope_options(session, partnership_id: int) -> list[dict]:
    return forms.select_options(embeds.embeddable_views(session, partnership_id), blank="Choose a view")


def _scope_words(session, partnership_id: int) -> dict[str, str]:
    return {o["value"]: o["label"] for o in _scope_options(session, partnership_id) if o["value"]}


def token_table(session, person) -> html.Div:
    rows = embeds.embed_tokens(session, person)
    if not rows:
        return html.P("No embed tokens yet.", id="embed-none")
    words = _scope_words(session, person.partnership_id)
    now = today()

    def action(row):
        if row.revoked:
            return "—"
        return dbc.Button(["Revoke", html.Span(f" the token for {row.label}", className="visually-hidden")],
                          id={"type": REVOKE, "id": row.id}, color="danger", outline=True, size="sm")

    return dbc.Table([
        html.Caption("The partnership's embed tokens, newest first", className="caption-top"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Where it is used", "What it shows", "Created",
                                                              "Last day", "State", "Action")])),
        html.Tbody([html.Tr([
            html.Th(r.label, scope="row"), html.Td(words.get(r.scope, f"{r.scope} (no longer exists)")),
            html.Td(short_date(r.created_at.date())),
            html.Td(short_date(r.expires_on) if r.expires_on else "Until revoked"),
            html.Td(embeds.token_state(r, now).capitalize(), id=f"embed-state-{r.id}"), html.Td(action(r)),
        ], id=f"embed-row-{r.id}") for r in rows]),
    ], bordered=True, size="sm", responsive=True, className="bg-white", id="embed-table")


@admin_page()
def layout(session, person, **_):
    default_expiry = (today() + timedelta(days=365)).isoformat()
    return html.Div([
        html.H1("Embed tokens", className="h3"),
        html.P("A token lets an intranet page show one read-only view of the tracker to people without an "
               "account. It is shown once, when you create it; revoke it at any time, and it stops working the "
               "day after its last day.", className="text-muted"),
        html.Section([
            html.H2("Create a token", className="h5", id="embed-create-heading"),
            html.Div(id="embed-create-summary"),
            forms.field(LABELS["label"], dbc.Input(id=FIELDS["label"], type="text", maxLength=200),
                  "For example: Intranet, treatment and recovery page"),
            forms.field(LABELS["scope"], forms.select(FIELDS["scope"], _scope_options(session, person.partnership_id))),
            forms.field(LABELS["expires_on"], dbc.Input(id=FIELDS["expires_on"], type="date", value=default_expiry),
                  "Within three years. Leave empty for a token that works until it is revoked."),
            dbc.Button("Create the token", id="embed-create", color="primary"),
            html.Div(id="embed-created", className="mt-3", **{"aria-live": "polite"}),
        ], className="card-section", **{"aria-labelledby": "embed-create-heading"}),
        html.Section([
            html.H2("Tokens", className="h5", id="embed-list-heading"),
            html.Div(id="embed-list-message", **{"aria-live": "polite"}),
            html.Div(token_table(session, person), id="embed-list"),
        ], className="card-section", **{"aria-labelledby": "embed-list-heading"}),
    ])


@callback(
    Output("embed-create-summary", "children"),
    Output("embed-created", "children"),
    Output("embed-list", "children"),
    *forms.form_outputs(FORM),
    Input("embed-create", "n_clicks"),
    *forms.form_states(FORM),
)
def create_token(_clicks, field_ids, field_values):
    form = forms.read_form(field_ids, field_values, FIELDS)
    label, scope, expires = (form.get(name) for name in ("label", "scope", "expires_on"))
    try:
        expires_on = parse_iso_date(expires)
    except ValueError as exc:
        return _refused(InvalidInput({"expires_on": str(exc)}))
    try:
        with signed_in() as (session, person):
            row, plain = embeds.create_embed_token(session, person, str(scope or ""), str(label or ""),
                                                   expires_on, today())
            table = token_table(session, person)
            src = dash.get_relative_path(embeds.embed_path(row.scope, plain))
            until = f" It works until {short_date(row.expires_on)}." if row.expires_on else ""
    except ServiceError as exc:
        return _refused(exc)
    created = dbc.Alert([
        html.H3(f"Token created for {row.label}", className="h6 alert-heading"),
        html.P(f"Copy it now: it is not shown again.{until}", className="mb-1"),
        html.P("The token", className="fw-semibold mb-0"),
        html.Pre(plain, id="embed-token-value", className="bg-white p-2 mb-2", tabIndex=0),
        html.P("The iframe for the intranet page (put the tracker's address before the path)",
               className="fw-semibold mb-0"),
        html.Pre(f'<iframe src="{src}" title="{row.label}" width="100%" height="600"></iframe>',
                 id="embed-snippet", className="bg-white p-2 mb-0", tabIndex=0, style={"whiteSpace": "pre-wrap"}),
    ], color="success", id="embed-created-alert")
    return None, created, table, *forms.form_feedback(FORM, {})


def _refused(exc: ServiceError):
    errors = getattr(exc, "errors", None) or {}
    summary = (forms.error_summary(errors, FIELDS, LABELS, "embed-error") if errors
               else status_message(str(exc), ok=False, message_id="embed-error"))
    return summary, None, no_update, *forms.form_feedback(FORM, errors)


@callback(
    Output("embed-list", "children", allow_duplicate=True),
    Output("embed-list-message", "children"),
    Input({"type": REVOKE, "id": ALL}, "n_clicks"),
)
def revoke_token(clicks):
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not any(clicks or []) or not ctx.triggered[0].get("value"):
        return no_update, no_update  # the buttons were drawn again, not pressed
    try:
        with signed_in() as (session, person):
            row = embeds.revoke_embed_token(session, person, trigger.get("id"))
            table = token_table(session, person)
    except ServiceError as exc:
        return no_update, status_message(str(exc), ok=False, message_id="embed-revoke-message")
    return table, status_message(f"The token for {row.label} is revoked: the view it opened no longer shows.",
                                 message_id="embed-revoke-message")
