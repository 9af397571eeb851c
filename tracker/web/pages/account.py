"""Your account: who you are signed in as, and changing your own password.

The current password is asked for (a wrong one counts towards the sign-in lockout); the new one must
pass the password policy (tracker.services.auth.password_problem) and be typed twice. Changing it
ends every other session you have; this one goes on.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, html
from flask_login import current_user

from tracker.services import auth as accounts
from tracker.services.errors import InvalidInput, ServiceError
from tracker.web import auth as web_auth
from tracker.web.callbacks import callback
from tracker.web.components.forms import error_summary, field, field_outputs, field_values
from tracker.web.components.notices import status_message
from tracker.web.context import engine, signed_in_page

dash.register_page(__name__, path="/account", title="Your account – CDP Delivery Tracker", name="Your account")

FIELDS = {"current": "account-current", "new": "account-new", "confirm": "account-confirm"}
LABELS = {"current": "Current password", "new": "New password", "confirm": "New password again"}
AUTOCOMPLETE = {"current": "current-password", "new": "new-password", "confirm": "new-password"}
HINTS = {
    "new": f"At least {accounts.MIN_PASSWORD} characters, and not a common or breached password. "
           "Three or four unrelated words make a good one.",
}


def password_form() -> html.Div:
    return html.Div([
        html.H2("Change your password", className="h5"),
        html.P("Changing it signs you out everywhere else (other browsers and devices); you stay signed in "
               "here.", className="text-muted small"),
        html.Div(id="account-message", **{"aria-live": "polite"}),
        *(field(LABELS[name], dbc.Input(id=control_id, type="password", autocomplete=AUTOCOMPLETE[name],
                                        maxlength=accounts.MAX_PASSWORD), HINTS.get(name))
          for name, control_id in FIELDS.items()),
        dbc.Button("Change my password", id="account-save", color="primary", n_clicks=0),
    ], className="card-section", style={"maxWidth": "32rem"})


@signed_in_page("Sign in to see your account.")
def layout(session, person, **_):
    return html.Div([
        html.H1("Your account", className="h3"),
        html.P([f"You are signed in as {person.name} ", html.Span(f"<{person.email}>", className="text-muted"),
                "."], id="account-who"),
        password_form(),
    ])


@callback(
    Output("account-message", "children"),
    *field_outputs(FIELDS.values()),
    Input("account-save", "n_clicks"),
    State(FIELDS["current"], "value"),
    State(FIELDS["new"], "value"),
    State(FIELDS["confirm"], "value"),
)
def change_password(n_clicks, current, new, confirm):
    if not n_clicks:
        raise dash.exceptions.PreventUpdate
    if not current_user.is_authenticated:
        return status_message(web_auth.SESSION_ENDED, ok=False), *field_values(FIELDS, {})
    try:
        epoch = accounts.change_own_password(engine(), int(current_user.get_id()), current, new, confirm,
                                             address=flask.request.remote_addr or "")
    except InvalidInput as exc:
        return error_summary(exc.errors, FIELDS, LABELS, "account-errors"), *field_values(FIELDS, exc.errors)
    except ServiceError as exc:
        return status_message(str(exc), ok=False), *field_values(FIELDS, {})
    web_auth.keep_session(epoch)
    done = "Your password has been changed. Use the new one next time you sign in."
    return status_message(done, message_id="account-done"), *field_values(FIELDS, {})
