"""Admin: the people of the partnership, their roles and accounts.

Callbacks are thin: each reads the form, calls tracker.services.admin (which checks, again, that the
signed-in person is an administrator and that every id belongs to the partnership) and renders
the result. Every id and value arriving here is controlled by the browser.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html, no_update

from tracker.domain import SECTORS
from tracker.formatting import short_date
from tracker.models import ROLES
from tracker.services import people as admin
from tracker.services.errors import InvalidInput, PermissionDenied
from tracker.services.reference import as_id
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.notices import back_link, status_message
from tracker.web.context import admin_page, run_service

dash.register_page(__name__, path="/admin/people", title="People and roles – Admin – CDP Delivery Tracker",
                   name="People and roles")

NEW_FORM = "person-new"  # each field's control is form_field(NEW_FORM, <the service's field name>)
NEW = forms.form_fields(NEW_FORM, ["name", "email", "organisation", "job_title", "sector", "role", "password"])
NEW_LABELS = {
    "name": "Full name",
    "email": "Email address",
    "organisation": "Organisation",
    "job_title": "Job title",
    "sector": "Sector",
    "role": "Role",
    "password": "Initial password (optional)",
}
NEW_DEFAULTS = {"sector": "", "role": "member"}
RESET = {"person_id": "reset-person", "password": "reset-password"}
RESET_LABELS = {"person_id": "Person", "password": "New password"}

ROLE_OPTIONS = [(r, admin.ROLE_LABELS[r]) for r in ROLES]


def _new_person_form() -> dbc.Form:
    labels = NEW_LABELS
    return dbc.Form([
        dbc.Row([
            dbc.Col(forms.field(labels["name"], dbc.Input(id=NEW["name"], type="text", autocomplete="off",
                                                    maxlength=200)), md=6),
            dbc.Col(forms.field(labels["email"], dbc.Input(id=NEW["email"], type="email", autocomplete="off",
                                                     maxlength=254),
                          hint="Used to sign in; each person needs their own."), md=6),
            dbc.Col(forms.field(labels["organisation"], dbc.Input(id=NEW["organisation"], type="text", maxlength=200)),
                    md=6),
            dbc.Col(forms.field(labels["job_title"], dbc.Input(id=NEW["job_title"], type="text", maxlength=200)), md=6),
            dbc.Col(forms.field(labels["sector"], forms.select(NEW["sector"], forms.select_options(SECTORS.items(),
                                                                                 blank="Not stated"))), md=4),
            dbc.Col(forms.field(labels["role"], forms.select(NEW["role"], forms.select_options(ROLE_OPTIONS), "member"),
                          hint="Viewers only read; members edit what they lead or own."), md=4),
            dbc.Col(forms.field(labels["password"], dbc.Input(
                id=NEW["password"], type="password", autocomplete="new-password"),
                hint=f"At least {admin.MIN_PASSWORD} characters. Leave empty if they will sign in another way."),
                md=4),
        ], className="g-2"),
        dbc.Button("Add person", id="person-new-submit", color="primary", type="button"),
    ], id="person-new-form")


def _row_button(kind: str, text: str, person: admin.PersonRow, color: str) -> dbc.Button:
    """A button of one row of the people table, named for screen readers with the person's name."""
    return dbc.Button([text, html.Span(f" {person.name}", className="visually-hidden")],
                      id={"type": kind, "person": person.id}, size="sm", color=color, outline=True, type="button",
                      class_name="text-nowrap")


def people_table(rows: list[admin.PersonRow], actor_id: int) -> html.Div:
    body = []
    for p in rows:
        role_id = {"type": "person-role", "person": p.id}
        is_self = p.id == actor_id
        if is_self:
            role_cell = [html.Span(p.role_label), html.Div("(your own role: another administrator can change it)",
                                                           className="small text-muted")]
            active_cell = html.Span("Active (you)")
        else:
            role_cell = [html.Div([
                dbc.Label(f"Role of {p.name}", html_for=forms.dom_id(role_id), className="visually-hidden"),
                dbc.Select(id=role_id, value=p.role, options=forms.select_options(ROLE_OPTIONS), size="sm",
                           className="me-2", style={"maxWidth": "12rem"}),
                _row_button("person-role-save", "Change role", p, "secondary"),
            ], className="d-flex flex-wrap align-items-center gap-1")]
            state, button = (("Active", _row_button("person-deactivate", "Deactivate", p, "danger")) if p.is_active
                             else ("Deactivated", _row_button("person-reactivate", "Reactivate", p, "primary")))
            active_cell = html.Div([html.Span(state, className="me-2" + ("" if p.is_active else " fw-semibold")),
                                    button], className="d-flex flex-wrap align-items-center gap-1")
        # A lead's account role is "Member": say what they do in the partnership's subgroups as well.
        role_cell += [html.Div(part, className="small") for part in p.subgroup_roles]
        body.append(html.Tr([
            html.Th([html.Div(p.name), html.Div(p.email, className="small text-muted")], scope="row"),
            html.Td([html.Div(p.organisation or "—"), html.Div(p.job_title, className="small")]),
            html.Td(p.sector_label or "—"),
            html.Td(role_cell),
            html.Td(active_cell),
            html.Td("Yes" if p.can_sign_in else "No password yet"),
            html.Td(short_date(p.created_at)),
        ], id={"type": "person-row", "person": p.id}, className="" if p.is_active else "table-secondary"))
    return dbc.Table([
        html.Caption(f"{len(rows)} people; {sum(1 for r in rows if not r.is_active)} deactivated",
                     className="caption-top"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in (
            "Name", "Organisation", "Sector", "Role", "Account", "Password set", "Added")])),
        html.Tbody(body),
    ], bordered=True, responsive=True, size="sm", className="bg-white align-middle", id="people-table-grid")


def _person_options(rows: list[admin.PersonRow]) -> list[dict]:
    return forms.select_options([(p.id, f"{p.name} ({p.email})") for p in rows], blank="Choose a person")


def _reset_form(rows: list[admin.PersonRow]) -> dbc.Form:
    return dbc.Form([
        dbc.Row([
            dbc.Col(forms.field(RESET_LABELS["person_id"], forms.select(RESET["person_id"], _person_options(rows))), md=6),
            dbc.Col(forms.field(RESET_LABELS["password"],
                          dbc.Input(id=RESET["password"], type="password", autocomplete="new-password"),
                          hint=f"At least {admin.MIN_PASSWORD} characters. Tell them in person or by phone."), md=6),
        ], className="g-2"),
        dbc.Button("Set new password", id="reset-submit", color="primary", type="button"),
    ], id="reset-form")


@admin_page("Sign in to manage people.", "Only an administrator can manage people and roles.")
def layout(session, person, **_):
    rows = admin.list_people(session, person)
    return html.Div([
        back_link("Administration", "/admin"),
        html.H1("People and roles", className="h3"),
        html.P("Add the people of the partnership, give them a role, and deactivate anyone who leaves: their "
               "history stays, but they can no longer sign in. You cannot change your own role or deactivate "
               "yourself, so the partnership always keeps an administrator.", className="text-muted"),
        html.Div(id="people-status", **{"aria-live": "polite"}),
        html.Section([html.H2("Add a person", className="h5"), _new_person_form()], className="card-section"),
        html.Section([
            html.H2("Everyone in the partnership", className="h5"),
            html.Div(people_table(rows, person.id), id="people-table"),
        ], className="card-section"),
        html.Section([html.H2("Reset a password", className="h5"),
                      html.Div(_reset_form(rows), id="reset-form-box")], className="card-section"),
    ])


def _refresh(session, person):
    """The table and the reset form's list, as they are now (or nothing if the reader lost the right)."""
    try:
        rows = admin.list_people(session, person)
    except PermissionDenied:
        return no_update, no_update
    return people_table(rows, person.id), _person_options(rows)


@callback(
    Output("people-table", "children", allow_duplicate=True),
    Output("reset-person", "options", allow_duplicate=True),
    Output("people-status", "children", allow_duplicate=True),
    *forms.form_outputs(NEW_FORM),
    forms.form_values_output(NEW_FORM),
    Input("person-new-submit", "n_clicks"),
    *forms.form_states(NEW_FORM),
)
def create_person(n_clicks, field_ids, field_values_):
    values = forms.read_form(field_ids, field_values_, NEW)
    data = {name: (values.get(name) or "") for name in NEW}
    done, error = run_service(lambda session, person: (
        admin.create_person(session, person, data), *_refresh(session, person)))
    if isinstance(error, InvalidInput):
        return (no_update, no_update, forms.error_summary(error.errors, NEW, NEW_LABELS, "people-error"),
                *forms.form_feedback(NEW_FORM, error.errors), forms.form_unchanged(NEW_FORM))
    if error is not None:
        return (no_update, no_update, status_message(str(error), ok=False, message_id="people-error"),
                *forms.form_feedback(NEW_FORM), forms.form_unchanged(NEW_FORM))
    created, table, options = done
    message = f"{created.name} was added as {admin.ROLE_LABELS[created.role].lower()}."
    if not created.password_hash:
        message += " They cannot sign in until a password is set."
    return (table, options, status_message(message, message_id="people-done"), *forms.form_feedback(NEW_FORM),
            forms.form_reset(NEW_FORM, NEW_DEFAULTS))


@callback(
    Output("people-table", "children", allow_duplicate=True),
    Output("reset-person", "options", allow_duplicate=True),
    Output("people-status", "children", allow_duplicate=True),
    Input({"type": "person-role-save", "person": ALL}, "n_clicks"),
    Input({"type": "person-deactivate", "person": ALL}, "n_clicks"),
    Input({"type": "person-reactivate", "person": ALL}, "n_clicks"),
    State({"type": "person-role", "person": ALL}, "value"),
)
def row_action(_role_clicks, _deactivate_clicks, _reactivate_clicks, _roles):
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not (ctx.triggered and ctx.triggered[0].get("value")):
        return no_update, no_update, no_update  # a row was (re)drawn, nobody clicked
    kind, person_id = trigger.get("type"), trigger.get("person")
    if kind not in ("person-role-save", "person-deactivate", "person-reactivate"):
        return no_update, no_update, no_update
    target = as_id(person_id)
    if target is None:
        return no_update, no_update, status_message("Choose a person from the table.", ok=False,
                                                     message_id="people-error")
    chosen = next((s["value"] for s in ctx.states_list[0] if s["id"].get("person") == person_id), None)

    def change(session, person):
        if kind == "person-role-save":
            changed = admin.change_role(session, person, target, str(chosen or ""))
            message = f"{changed.name} is now {admin.ROLE_LABELS[changed.role].lower()}."
        elif kind == "person-reactivate":
            changed = admin.set_active(session, person, target, True)
            message = f"{changed.name} was reactivated and can sign in again."
        else:
            changed = admin.set_active(session, person, target, False)
            message = f"{changed.name} was deactivated: they can no longer sign in. Their history stays."
        return message, *_refresh(session, person)

    done, error = run_service(change)
    if error is not None:
        text = " ".join(error.errors.values()) if isinstance(error, InvalidInput) else str(error)
        return no_update, no_update, status_message(text, ok=False, message_id="people-error")
    message, table, options = done
    return table, options, status_message(message, message_id="people-done")


@callback(
    Output("people-table", "children", allow_duplicate=True),
    Output("people-status", "children", allow_duplicate=True),
    *forms.field_outputs(RESET.values()),
    Output("reset-password", "value"),
    Input("reset-submit", "n_clicks"),
    State("reset-person", "value"),
    State("reset-password", "value"),
)
def reset_password(n_clicks, person_id, password):
    def reset(session, person):
        if not person_id:
            raise InvalidInput({"person_id": "Choose whose password to reset"})
        target = as_id(person_id)
        if target is None:
            raise InvalidInput({"person_id": "Choose a person from the list"})
        changed = admin.reset_password(session, person, target, password or "")
        return changed.name, _refresh(session, person)[0]

    done, error = run_service(reset)
    if isinstance(error, InvalidInput):
        return (no_update, forms.error_summary(error.errors, RESET, RESET_LABELS, "people-error"),
                *forms.field_values(RESET, error.errors), no_update)
    if error is not None:
        return (no_update, status_message(str(error), ok=False, message_id="people-error"),
                *forms.field_values(RESET, {}), no_update)
    name, table = done
    return (table, status_message(f"The password of {name} was changed.", message_id="people-done"),
            *forms.field_values(RESET, {}), "")
