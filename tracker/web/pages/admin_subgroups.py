"""Admin: set up subgroups, change their name, description, status, lead and themes, and their members.

(Terms of reference are edited on each subgroup's own page.) Every callback calls a service that
checks again that the signed-in person may do it, and that each id belongs to the partnership.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from tracker.services import reference, subgroups
from tracker.services.errors import InvalidInput, ServiceError
from tracker.services.permissions import require_admin
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.notices import back_link, status_message
from tracker.web.context import admin_page, signed_in

dash.register_page(__name__, path="/admin/subgroups", title="Subgroups – Admin – CDP Delivery Tracker",
                   name="Subgroups (admin)")

NEW_FORM, EDIT_FORM = "sg-new", "sg-edit"  # each control's id is form_field(<form>, <the service's field name>)
NEW = forms.form_fields(NEW_FORM, ["code", "name", "description", "status", "lead_id"]) | {"theme_ids": "sg-new-themes"}
NEW_DEFAULTS = {"status": "active"}
LABELS = {"code": "Code", "name": "Name", "description": "Description", "status": "Status", "lead_id": "Lead",
          "theme_ids": "Themes it works on"}
EDIT = forms.form_fields(EDIT_FORM, ["name", "description", "status", "lead_id"]) | {"theme_ids": "sg-edit-themes"}
MEMBER = {"person_id": "sg-member-person", "role": "sg-member-role"}
MEMBER_LABELS = {"person_id": "Person to add", "role": "Their role"}
MEMBER_ROLES = [("member", "Member"), ("deputy", "Deputy lead"), ("lead", "Lead")]
STATUS_OPTIONS = [(s, s.capitalize()) for s in subgroups.SUBGROUP_STATUSES]


def _lead_options(session, partnership_id: int) -> list[dict]:
    people = [p for p in reference.people(session, partnership_id) if p.role != "viewer"]
    return forms.select_options([(p.id, f"{p.name} ({p.organisation})" if p.organisation else p.name) for p in people],
                          blank="No lead yet")


def _themes_fieldset(kind: str, themes, chosen: set[int]) -> html.Fieldset:
    """One checkbox per theme (native inputs: a Checklist fails axe), with a legend and an error line."""
    return html.Fieldset([
        html.Legend(LABELS["theme_ids"], className="form-label fs-6 mb-1"),
        *(dbc.Checkbox(id={"type": f"sg-{kind}-theme", "theme": t.id}, value=t.id in chosen,
                       label=f"{t.number}. {t.name}") for t in themes),
        html.Div(id=f"sg-{kind}-themes-feedback", className="field-error small"),
    ], className="mb-3", id=f"sg-{kind}-themes")  # the error summary's link for the themes goes here


def _chosen_themes(states: list[dict]) -> list[int]:
    chosen = []
    for state in states or []:
        if state.get("value") is True:
            try:
                chosen.append(int(state["id"]["theme"]))
            except (KeyError, TypeError, ValueError):
                continue
    return chosen


def _new_form(session, partnership_id: int) -> dbc.Form:
    return dbc.Form([
        dbc.Row([
            dbc.Col(forms.field(LABELS["code"], dbc.Input(id=NEW["code"], type="text", maxlength=6, autocomplete="off"),
                          hint="2 to 6 capital letters, used in action references (TR-04)."), md=3),
            dbc.Col(forms.field(LABELS["name"], dbc.Input(id=NEW["name"], type="text", maxlength=200)), md=5),
            dbc.Col(forms.field(LABELS["status"], forms.select(NEW["status"], forms.select_options(STATUS_OPTIONS), "active")), md=2),
            dbc.Col(forms.field(LABELS["lead_id"], forms.select(NEW["lead_id"], _lead_options(session, partnership_id))), md=2),
        ], className="g-2"),
        forms.field(LABELS["description"], dbc.Textarea(id=NEW["description"], rows=2, maxlength=5000)),
        _themes_fieldset("new", reference.themes(session, partnership_id), set()),
        dbc.Button("Set up subgroup", id="sg-new-submit", color="primary", type="button"),
    ], id="sg-new-form")


def _subgroup_options(session, partnership_id: int) -> list[dict]:
    return forms.select_options([(s.id, f"{s.code} – {s.name}") for s in reference.subgroups(session, partnership_id)])


def members_section(session, subgroup_id: int, partnership_id: int) -> html.Div:
    rows = subgroups.members(session, subgroup_id)
    member_ids = {r.person_id for r in rows}
    candidates = [p for p in reference.people(session, partnership_id) if p.id not in member_ids]
    table = dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Name", "Organisation", "Role in the subgroup", "")])),
        html.Tbody([
            html.Tr([
                html.Th(r.name, scope="row"),
                html.Td(r.organisation or "—"),
                html.Td(dict(MEMBER_ROLES).get(r.role, r.role)),
                html.Td(dbc.Button(["Remove", html.Span(f" {r.name}", className="visually-hidden")],
                                   id={"type": "sg-member-remove", "member": r.member_id}, size="sm",
                                   color="danger", outline=True, type="button")),
            ]) for r in rows
        ]),
    ], bordered=True, size="sm", className="bg-white align-middle", id="sg-members-table") if rows else html.P(
        "No members yet.", id="sg-members-table")
    return html.Div([
        html.H3(f"Members ({len(rows)})", className="h6"),
        table,
        dbc.Row([
            dbc.Col(forms.field(MEMBER_LABELS["person_id"], forms.select(MEMBER["person_id"], forms.select_options(
                [(p.id, p.name) for p in candidates], blank="Choose a person"))), md=5),
            dbc.Col(forms.field(MEMBER_LABELS["role"], forms.select(MEMBER["role"], forms.select_options(MEMBER_ROLES), "member")),
                    md=4),
            dbc.Col(dbc.Button("Add member", id="sg-member-add", color="secondary", type="button",
                               className="mt-md-4"), md=3),
        ], className="g-2 align-items-start"),
    ])


def edit_form(session, partnership_id: int, subgroup_id: int) -> html.Div:
    subgroup = reference.get_subgroup(session, partnership_id, subgroup_id)
    chosen = set(reference.subgroup_theme_ids(session, subgroup.id))
    return html.Div([
        dcc.Store(id="sg-edit-version", data={"subgroup_id": subgroup.id, "version": subgroup.version}),
        html.P(["Code ", html.Strong(subgroup.code), " (it cannot change: action references use it). ",
                html.A("Open the subgroup's page", href=dash.get_relative_path(f"/subgroup/{subgroup.id}")),
                " to edit its terms of reference."]),
        dbc.Row([
            dbc.Col(forms.field(LABELS["name"], dbc.Input(id=EDIT["name"], type="text", value=subgroup.name,
                                                    maxlength=200)), md=6),
            dbc.Col(forms.field(LABELS["status"], forms.select(EDIT["status"], forms.select_options(STATUS_OPTIONS), subgroup.status)),
                    md=3),
            dbc.Col(forms.field(LABELS["lead_id"], forms.select(EDIT["lead_id"], _lead_options(session, partnership_id),
                                                    subgroup.lead_id)), md=3),
        ], className="g-2"),
        forms.field(LABELS["description"], dbc.Textarea(id=EDIT["description"], value=subgroup.description, rows=3,
                                                  maxlength=5000)),
        _themes_fieldset("edit", reference.themes(session, partnership_id), chosen),
        dbc.Button("Save changes", id="sg-edit-submit", color="primary", type="button", className="mb-3"),
        html.Div(members_section(session, subgroup.id, partnership_id), id="sg-members"),
    ], id="sg-edit-form")


@admin_page("Sign in to manage subgroups.", "Only an administrator can set up and change subgroups.")
def layout(session, person, subgroup=None, **_):
    pid = person.partnership_id
    groups = reference.subgroups(session, pid)
    ids = {str(g.id) for g in groups}
    picked = str(subgroup) if subgroup and str(subgroup) in ids else (str(groups[0].id) if groups else "")
    return html.Div([
        back_link("Administration", "/admin"),
        html.H1("Subgroups", className="h3"),
        html.P("Set up the partnership's subgroups, their leads, status and themes, and who sits on them.",
               className="text-muted"),
        html.Div(id="subgroups-status", **{"aria-live": "polite"}),
        html.Section([html.H2("Change a subgroup", className="h5"),
                      forms.field("Subgroup", forms.select("sg-pick", _subgroup_options(session, pid), picked)),
                      html.Div(edit_form(session, pid, int(picked)) if picked else
                               html.P("No subgroups yet."), id="sg-edit")],
                     className="card-section"),
        html.Section([html.H2("Set up a subgroup", className="h5"), _new_form(session, pid)],
                     className="card-section"),
    ])


def _refusal(exc: ServiceError, fields: dict[str, str]):
    """A refused save: the summary of what to fix (each a link to its field), or the service's message."""
    if isinstance(exc, InvalidInput):
        return forms.error_summary(exc.errors, fields, LABELS, "subgroups-error")
    return status_message(str(exc), ok=False, message_id="subgroups-error")


@callback(
    Output("sg-edit", "children"),
    Input("sg-pick", "value"),
)
def pick_subgroup(subgroup_id):
    try:
        with signed_in() as (session, person):
            require_admin(person)
            return edit_form(session, person.partnership_id, int(subgroup_id))
    except (TypeError, ValueError):
        return html.P("Choose a subgroup.")
    except ServiceError as exc:
        return status_message(str(exc), ok=False, message_id="subgroups-error")


_NEW_FIELDS = [k for k in NEW if k != "theme_ids"]


@callback(
    Output("subgroups-status", "children", allow_duplicate=True),
    Output("sg-pick", "options", allow_duplicate=True),
    *forms.form_outputs(NEW_FORM),
    Output("sg-new-themes-feedback", "children"),
    forms.form_values_output(NEW_FORM),
    Input("sg-new-submit", "n_clicks"),
    *forms.form_states(NEW_FORM),
    State({"type": "sg-new-theme", "theme": ALL}, "value"),
)
def create_subgroup(n_clicks, field_ids, field_values, _themes):
    values = forms.read_form(field_ids, field_values, _NEW_FIELDS)
    data = {k: (values.get(k) or "") for k in _NEW_FIELDS}
    data["theme_ids"] = _chosen_themes(ctx.states_list[-1] if ctx.states_list else [])
    try:
        with signed_in() as (session, person):
            created = subgroups.create_subgroup(session, person, data)
            options = _subgroup_options(session, person.partnership_id)
    except ServiceError as exc:
        errors = exc.errors if isinstance(exc, InvalidInput) else {}
        return (_refusal(exc, NEW), no_update, *forms.form_feedback(NEW_FORM, errors), errors.get("theme_ids", ""),
                forms.form_unchanged(NEW_FORM))
    return (status_message(f"Subgroup {created.code} {created.name} was set up.", message_id="subgroups-done"),
            options, *forms.form_feedback(NEW_FORM), "", forms.form_reset(NEW_FORM, NEW_DEFAULTS))


_EDIT_FIELDS = [k for k in EDIT if k != "theme_ids"]


@callback(
    Output("subgroups-status", "children", allow_duplicate=True),
    Output("sg-pick", "options", allow_duplicate=True),
    Output("sg-edit-version", "data"),
    *forms.form_outputs(EDIT_FORM),
    Output("sg-edit-themes-feedback", "children"),
    Input("sg-edit-submit", "n_clicks"),
    State("sg-edit-version", "data"),
    *forms.form_states(EDIT_FORM),
    State({"type": "sg-edit-theme", "theme": ALL}, "value"),
)
def save_subgroup(n_clicks, loaded, field_ids, field_values, _themes):
    if not n_clicks:
        raise PreventUpdate
    values = forms.read_form(field_ids, field_values, _EDIT_FIELDS)
    data = {k: (values.get(k) or "") for k in _EDIT_FIELDS}
    data["theme_ids"] = _chosen_themes(ctx.states_list[-1] if ctx.states_list else [])
    try:
        with signed_in() as (session, person):
            try:
                subgroup_id, version = int(loaded["subgroup_id"]), int(loaded["version"])
            except (TypeError, KeyError, ValueError):
                require_admin(person)
                raise InvalidInput({"": "Choose a subgroup to change, then try again."}) from None
            saved = subgroups.edit_subgroup(session, person, subgroup_id, version, data)
            options = _subgroup_options(session, person.partnership_id)
    except ServiceError as exc:
        errors = exc.errors if isinstance(exc, InvalidInput) else {}
        return (_refusal(exc, EDIT), no_update, no_update, *forms.form_feedback(EDIT_FORM, errors),
                errors.get("theme_ids", ""))
    return (status_message(f"{saved.name} was saved.", message_id="subgroups-done"), options,
            {"subgroup_id": saved.id, "version": saved.version}, *forms.form_feedback(EDIT_FORM), "")


@callback(
    Output("sg-members", "children"),
    Output("subgroups-status", "children", allow_duplicate=True),
    Input("sg-member-add", "n_clicks"),
    Input({"type": "sg-member-remove", "member": ALL}, "n_clicks"),
    State("sg-edit-version", "data"),
    State(MEMBER["person_id"], "value"),
    State(MEMBER["role"], "value"),
)
def change_members(_add, _removes, loaded, person_id, role):
    trigger = ctx.triggered_id
    if trigger is None or not (ctx.triggered and ctx.triggered[0].get("value")):
        return no_update, no_update  # the table was redrawn, nobody clicked
    try:
        with signed_in() as (session, person):
            require_admin(person)
            try:
                subgroup_id = int((loaded or {})["subgroup_id"])
            except (TypeError, KeyError, ValueError):
                raise InvalidInput({"": "Choose a subgroup first."}) from None
            if isinstance(trigger, dict) and trigger.get("type") == "sg-member-remove":
                try:
                    member_id = int(trigger.get("member"))
                except (TypeError, ValueError):
                    raise InvalidInput({"member_id": "Choose a member from the table."}) from None
                subgroups.remove_member(session, person, subgroup_id, member_id)
                done = "The member was removed."
            else:
                if not person_id:
                    raise InvalidInput({"person_id": "Choose the person to add."})
                try:
                    new_person = int(person_id)
                except (TypeError, ValueError):
                    raise InvalidInput({"person_id": "Choose a person from the list."}) from None
                member = subgroups.add_member(session, person, subgroup_id, new_person, str(role or "member"))
                who = reference.get_person(session, person.partnership_id, member.person_id)
                done = f"{who.name} was added as {dict(MEMBER_ROLES).get(member.role, member.role).lower()}."
            section = members_section(session, subgroup_id, person.partnership_id)
    except ServiceError as exc:
        text = " ".join(exc.errors.values()) if isinstance(exc, InvalidInput) else str(exc)
        return no_update, status_message(text, ok=False, message_id="subgroups-error")
    return section, status_message(done, message_id="subgroups-done")
