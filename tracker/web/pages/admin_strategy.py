"""Admin: the strategic themes and their local objectives: add, rename, retire and restore (nothing is
deleted: a retired one keeps its actions and history). The rules, the audit and the check that nobody
else changed a record since the page opened are in tracker.services.strategy_admin."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, ctx, dcc, html, no_update

from tracker.services import strategy_admin as service
from tracker.services.errors import ServiceError
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.notices import status_message
from tracker.web.context import admin_page, signed_in

dash.register_page(__name__, path="/admin/strategy", title="Themes and objectives – Admin – CDP Delivery Tracker",
                   name="Themes and objectives", nav={"order": 81, "label": "Strategy", "roles": ("admin",)})

# The add forms' controls are {"form": THEME_FORM or OBJECTIVE_FORM, "field": <the service's field name>}.
THEME_FORM, OBJECTIVE_FORM = "new-theme", "new-objective"
THEME_FIELDS = forms.form_fields(THEME_FORM, ("number", "name"))
THEME_LABELS = {"number": "Number", "name": "Name"}
OBJECTIVE_FIELDS = forms.form_fields(OBJECTIVE_FORM, ("theme_id", "code", "title"))
OBJECTIVE_LABELS = {"theme_id": "Theme", "code": "Code", "title": "Title"}


def _id(kind: str, record_id) -> dict:
    return {"type": kind, "id": record_id}


def _retire_button(kind: str, record_id: int, retired: bool, what: str) -> dbc.Button:
    return dbc.Button([("Restore" if retired else "Retire"), html.Span(f" {what}", className="visually-hidden")],
                      id=_id(f"{kind}-retire", record_id), color="secondary", outline=True, size="sm")


def _theme_section(theme, objectives, counts: dict[int, int]) -> html.Section:
    state = " (retired)" if theme.retired else ""
    heading_id = f"theme-heading-{theme.id}"
    name_id = _id("theme-name", theme.id)
    return html.Section([
        html.H2(f"Theme {theme.number}: {theme.name}{state}", className="h5", id=heading_id),
        dbc.Row([
            dbc.Col([
                dbc.Label(f"Name of theme {theme.number}", html_for=forms.dom_id(name_id), className="fw-semibold mb-1"),
                dbc.Input(id=name_id, type="text", value=theme.name, maxLength=200),
            ], md=7),
            dbc.Col([
                dbc.Button(["Save", html.Span(f" the name of theme {theme.number}", className="visually-hidden")],
                           id=_id("theme-save", theme.id), color="primary", size="sm", className="me-2"),
                _retire_button("theme", theme.id, theme.retired, f"theme {theme.number}"),
            ], md=5, className="align-self-end mt-2"),
        ], className="g-2 mb-2"),
        html.Div(id=_id("theme-msg", theme.id), **{"aria-live": "polite"}),
        dcc.Store(id=_id("theme-loaded", theme.id), data=service.loaded(theme)),
        _objectives_table(theme, objectives, counts),
    ], className="card-section", id=f"theme-section-{theme.id}", **{"aria-labelledby": heading_id})


def _objectives_table(theme, objectives, counts: dict[int, int]):
    if not objectives:
        return html.P("No objectives under this theme yet.", className="small mb-0")
    rows = []
    for o in objectives:
        title_id = _id("objective-title", o.id)
        rows.append(html.Tr([
            html.Th(o.code, scope="row"),
            html.Td([dbc.Label(f"Title of objective {o.code}", html_for=forms.dom_id(title_id), className="visually-hidden"),
                     dbc.Input(id=title_id, type="text", value=o.title, maxLength=300, size="sm"),
                     html.Div(id=_id("objective-msg", o.id), **{"aria-live": "polite"}),
                     dcc.Store(id=_id("objective-loaded", o.id), data=service.loaded(o))]),
            html.Td(str(counts.get(o.id, 0))),
            html.Td("Retired" if o.retired else "Current"),
            html.Td([dbc.Button(["Save", html.Span(f" objective {o.code}", className="visually-hidden")],
                                id=_id("objective-save", o.id), color="primary", size="sm", className="me-2 mb-1"),
                     _retire_button("objective", o.id, o.retired, f"objective {o.code}")]),
        ], id=f"objective-row-{o.id}"))
    return dbc.Table([
        html.Caption(f"The objectives of theme {theme.number}", className="caption-top"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Code", "Title", "Actions", "State", "Change")])),
        html.Tbody(rows),
    ], bordered=True, size="sm", responsive=True, className="bg-white mb-0")


def strategy_list(session, person) -> list:
    counts = service.action_counts(session, person.partnership_id)
    return [_theme_section(t, objectives, counts)
            for t, objectives in service.themes_with_objectives(session, person)]


def _theme_options(session, person) -> list[dict]:
    return forms.select_options(((t.id, f"Theme {t.number}: {t.name}") for t, _ in
                           service.themes_with_objectives(session, person) if not t.retired), blank="Choose a theme")


@admin_page()
def layout(session, person, **_):
    return html.Div([
        html.H1("Themes and objectives", className="h3"),
        html.P("The strategic themes of the delivery plan and the local objectives under each. Retiring one keeps "
               "its actions and history; it is no longer offered for new work. Every change is audited.",
               className="text-muted"),
        html.Div(id="strategy-message", **{"aria-live": "polite"}),
        html.Div(strategy_list(session, person), id="strategy-list"),
        html.Section([
            html.H2("Add a theme", className="h5", id="add-theme-heading"),
            html.Div(id="add-theme-summary"),
            dbc.Row([
                dbc.Col(forms.field(THEME_LABELS["number"], dbc.Input(id=THEME_FIELDS["number"], type="number", min=1,
                                                                max=99, step=1)), md=3),
                dbc.Col(forms.field(THEME_LABELS["name"], dbc.Input(id=THEME_FIELDS["name"], type="text", maxLength=200)),
                        md=9),
            ], className="g-2"),
            dbc.Button("Add the theme", id="add-theme", color="primary"),
        ], className="card-section", **{"aria-labelledby": "add-theme-heading"}),
        html.Section([
            html.H2("Add an objective", className="h5", id="add-objective-heading"),
            html.Div(id="add-objective-summary"),
            forms.field(OBJECTIVE_LABELS["theme_id"], forms.select(OBJECTIVE_FIELDS["theme_id"], _theme_options(session, person))),
            dbc.Row([
                dbc.Col(forms.field(OBJECTIVE_LABELS["code"], dbc.Input(id=OBJECTIVE_FIELDS["code"], type="text",
                                                                  maxLength=20), "For example T2.4"), md=3),
                dbc.Col(forms.field(OBJECTIVE_LABELS["title"], dbc.Input(id=OBJECTIVE_FIELDS["title"], type="text",
                                                                   maxLength=300)), md=9),
            ], className="g-2"),
            dbc.Button("Add the objective", id="add-objective", color="primary"),
        ], className="card-section", **{"aria-labelledby": "add-objective-heading"}),
    ])


# --- Renaming a theme or an objective: one row each, in place ------------------------------------


def _rename(kind: str, record_id, value, loaded):
    try:
        with signed_in() as (session, person):
            if kind == "theme":
                record = service.edit_theme(session, person, record_id, {
                    "name": value or "", "description": (loaded or {}).get("description", "")}, loaded)
                words = f"Theme {record.number} saved."
            else:
                record = service.edit_objective(session, person, record_id, {
                    "title": value or "", "description": (loaded or {}).get("description", "")}, loaded)
                words = f"Objective {record.code} saved."
            fresh = service.loaded(record)
    except ServiceError as exc:
        errors = getattr(exc, "errors", None) or {}
        message = next(iter(errors.values()), str(exc))
        return status_message(message, ok=False), no_update, bool(errors)
    return status_message(words), fresh, False


def _rename_callback(kind: str, field: str):
    """One rename callback per kind of record: the theme's name or the objective's title, saved in its row."""
    @callback(
        Output(_id(f"{kind}-msg", MATCH), "children"),
        Output(_id(f"{kind}-loaded", MATCH), "data"),
        Output(_id(f"{kind}-{field}", MATCH), "invalid"),
        Input(_id(f"{kind}-save", MATCH), "n_clicks"),
        State(_id(f"{kind}-{field}", MATCH), "value"),
        State(_id(f"{kind}-loaded", MATCH), "data"),
    )
    def rename(clicks, value, loaded):
        if not clicks or not isinstance(ctx.triggered_id, dict):
            return no_update, no_update, no_update
        return _rename(kind, forms.to_int(ctx.triggered_id.get("id")), value, loaded if isinstance(loaded, dict) else None)

    rename.__name__ = f"rename_{kind}"
    return rename


rename_theme = _rename_callback("theme", "name")
rename_objective = _rename_callback("objective", "title")


# --- Retiring and restoring, adding: the list is drawn again -------------------------------------


@callback(
    Output("strategy-list", "children"),
    Output("strategy-message", "children"),
    Input(_id("theme-retire", ALL), "n_clicks"),
    Input(_id("objective-retire", ALL), "n_clicks"),
    State(_id("theme-loaded", ALL), "data"),
    State(_id("objective-loaded", ALL), "data"),
)
def retire_or_restore(_themes, _objectives, theme_loaded, objective_loaded):
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered[0].get("value"):
        return no_update, no_update  # the buttons were drawn again, not pressed
    record_id = forms.to_int(trigger.get("id"))
    is_theme = trigger.get("type") == "theme-retire"
    seen = [d for d in (theme_loaded if is_theme else objective_loaded) or []
            if isinstance(d, dict) and d.get("id") == record_id]
    expected = seen[0] if seen else None
    retire = not (expected or {}).get("retired", False)
    try:
        with signed_in() as (session, person):
            change = service.set_theme_retired if is_theme else service.set_objective_retired
            record = change(session, person, record_id, retire, expected)
            listing = strategy_list(session, person)
    except ServiceError as exc:
        errors = getattr(exc, "errors", None) or {}
        return no_update, status_message(next(iter(errors.values()), str(exc)), ok=False, message_id="strategy-error")
    what = f"Theme {record.number}" if is_theme else f"Objective {record.code}"
    words = "retired: it is no longer offered for new work" if record.retired else "restored"
    return listing, status_message(f"{what} {words}.", message_id="strategy-done")


def _refused(exc: ServiceError, form: str, fields: dict, labels: dict, summary_id: str):
    errors = getattr(exc, "errors", None) or {}
    summary = (forms.error_summary(errors, fields, labels, summary_id) if errors
               else status_message(str(exc), ok=False, message_id=summary_id))
    return summary, forms.form_unchanged(form), *forms.form_feedback(form, errors)


@callback(
    Output("strategy-list", "children", allow_duplicate=True),
    Output(forms.form_field(OBJECTIVE_FORM, "theme_id"), "options"),
    Output("add-theme-summary", "children"),
    forms.form_values_output(THEME_FORM),
    *forms.form_outputs(THEME_FORM),
    Input("add-theme", "n_clicks"),
    *forms.form_states(THEME_FORM),
)
def add_theme(_clicks, field_ids, field_values):
    form = forms.read_form(field_ids, field_values, THEME_FIELDS)
    try:
        with signed_in() as (session, person):
            theme = service.add_theme(session, person, {"number": form.get("number"), "name": form.get("name") or ""})
            listing, options = strategy_list(session, person), _theme_options(session, person)
    except ServiceError as exc:
        return no_update, no_update, *_refused(exc, THEME_FORM, THEME_FIELDS, THEME_LABELS, "add-theme-error")
    return (listing, options, status_message(f"Theme {theme.number} added: {theme.name}.", message_id="add-theme-done"),
            forms.form_reset(THEME_FORM, {"name": ""}, keep_others=True), *forms.form_feedback(THEME_FORM, {}))


@callback(
    Output("strategy-list", "children", allow_duplicate=True),
    Output("add-objective-summary", "children"),
    forms.form_values_output(OBJECTIVE_FORM),
    *forms.form_outputs(OBJECTIVE_FORM),
    Input("add-objective", "n_clicks"),
    *forms.form_states(OBJECTIVE_FORM),
)
def add_objective(_clicks, field_ids, field_values):
    form = forms.read_form(field_ids, field_values, OBJECTIVE_FIELDS)
    try:
        with signed_in() as (session, person):
            objective = service.add_objective(session, person, {
                "theme_id": forms.to_int(form.get("theme_id")), "code": form.get("code") or "",
                "title": form.get("title") or ""})
            listing = strategy_list(session, person)
    except ServiceError as exc:
        return no_update, *_refused(exc, OBJECTIVE_FORM, OBJECTIVE_FIELDS, OBJECTIVE_LABELS, "add-objective-error")
    return (listing, status_message(f"Objective {objective.code} added: {objective.title}.",
                                    message_id="add-objective-done"),
            forms.form_reset(OBJECTIVE_FORM, {"title": ""}, keep_others=True), *forms.form_feedback(OBJECTIVE_FORM, {}))
