"""The maturity framework: everyone can read it; an admin edits it, which saves a new version."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from tracker.formatting import short_date
from tracker.services import maturity
from tracker.services.errors import NotFound
from tracker.web.callbacks import callback
from tracker.web.components.forms import field, refused
from tracker.web.components.maturity import framework_chip, href, success
from tracker.web.context import run_service, signed_in_page

dash.register_page(__name__, path="/maturity/framework", title="Maturity framework – CDP Delivery Tracker",
                   name="Maturity framework")


def _read_only(fw: maturity.FrameworkView) -> html.Div:
    return html.Div(dbc.Table([
        html.Caption(f"{fw.name}, version {fw.version}: what each level means on each dimension."),
        html.Thead(html.Tr([html.Th("Dimension", scope="col")]
                           + [html.Th(framework_chip(fw, n), scope="col")
                              for n in maturity.LEVELS])),
        html.Tbody([
            html.Tr([html.Th([dim.name, html.Div(dim.description, className="small fw-normal")], scope="row")]
                    + [html.Td(dim.descriptors.get(n, "")) for n in maturity.LEVELS])
            for dim in fw.dimensions
        ]),
    ], bordered=True, size="sm", className="bg-white framework-table mb-0", id="framework-table"),
        className="table-responsive", tabIndex="0", role="region",
        **{"aria-label": "The maturity framework (scrolls sideways)"})


def _input(component_id, label: str, value: str, textarea: bool = False, rows: int = 3) -> html.Div:
    control = (dbc.Textarea(id=component_id, value=value, rows=rows, maxLength=2000) if textarea
               else dbc.Input(id=component_id, value=value, maxLength=200))
    return field(label, control, error_suffix=None, class_name="mb-2")  # problems: in the summary (fw-errors)


def _edit_form(fw: maturity.FrameworkView) -> html.Section:
    levels = html.Fieldset([
        html.Legend("Level names", className="h6"),
        dbc.Row([dbc.Col(_input({"type": "fw-level", "level": n}, f"Level {n}", fw.level_name(n)), md=4, lg=2)
                 for n in maturity.LEVELS]),
    ], className="maturity-dimension")
    dims = [
        html.Fieldset([
            html.Legend(f"{dim.number}. {dim.name}"),
            _input({"type": "fw-name", "key": dim.key}, "Dimension name", dim.name),
            _input({"type": "fw-description", "key": dim.key}, "Description", dim.description, textarea=True, rows=2),
            *[_input({"type": "fw-descriptor", "key": dim.key, "level": n},
                     f"Level {n} ({fw.level_name(n)}): what it looks like", dim.descriptors.get(n, ""),
                     textarea=True, rows=2)
              for n in maturity.LEVELS],
        ], className="maturity-dimension")
        for dim in fw.dimensions
    ]
    return html.Section([
        html.H2("Edit the framework", className="h5", id="framework-edit-heading"),
        html.P(f"Saving creates version {fw.version + 1}. Assessments already made keep the version they "
               "were scored against; new rounds use the new version."),
        dcc.Store(id="fw-version", data=fw.version),
        _input("fw-framework-name", "Framework name", fw.name),
        levels,
        *dims,
        dbc.Button(f"Save as version {fw.version + 1}", id="fw-save", color="primary"),
    ], className="card-section", **{"aria-labelledby": "framework-edit-heading"})


def render(session, person) -> list:
    """The page's content from its view model (maturity.framework_page)."""
    try:
        page = maturity.framework_page(session, person)
    except NotFound as exc:
        return [html.P(str(exc))]
    fw = page.framework
    return [
        html.Section([
            html.H2(f"Version {fw.version} (current)", className="h5", id="framework-current"),
            _read_only(fw),
        ], className="card-section"),
        _edit_form(fw) if page.can_edit else None,
        html.Section([
            html.H2("Versions", className="h5"),
            html.Ul([html.Li(f"Version {v.version}: {v.name}, created {short_date(v.created_at)}"
                             + (" (current)" if v.is_current else "")) for v in page.versions],
                    id="framework-versions", className="mb-0"),
        ], className="card-section"),
    ]


@signed_in_page("Sign in to see the maturity framework.")
def layout(session, person, **_):
    return html.Div([
        html.P(html.A("← Maturity of all subgroups", href=href("/maturity"))),
        html.H1("Maturity framework", className="h3"),
        html.Div(id="fw-message", **{"aria-live": "polite"}),
        html.Div(render(session, person), id="fw-content"),
    ])


@callback(
    Output("fw-message", "children"),
    Output("fw-content", "children"),
    Input("fw-save", "n_clicks"),
    State("fw-version", "data"),
    State("fw-framework-name", "value"),
    State({"type": "fw-level", "level": ALL}, "id"),
    State({"type": "fw-level", "level": ALL}, "value"),
    State({"type": "fw-name", "key": ALL}, "id"),
    State({"type": "fw-name", "key": ALL}, "value"),
    State({"type": "fw-description", "key": ALL}, "value"),
    State({"type": "fw-descriptor", "key": ALL, "level": ALL}, "id"),
    State({"type": "fw-descriptor", "key": ALL, "level": ALL}, "value"),
)
def save(clicks, version, name, level_ids, level_names, dim_ids, dim_names, dim_descriptions, desc_ids, desc_texts):
    if not clicks:
        raise PreventUpdate
    dimensions: dict[str, dict] = {
        i["key"]: {"name": n, "description": d, "descriptors": {}}
        for i, n, d in zip(dim_ids, dim_names, dim_descriptions, strict=True)
    }
    for i, text in zip(desc_ids, desc_texts, strict=True):
        dimensions[i["key"]]["descriptors"][i["level"]] = text
    changes = {
        "based_on_version": version, "name": name,
        "levels": {i["level"]: n for i, n in zip(level_ids, level_names, strict=True)},
        "dimensions": dimensions,
    }
    fw, error = run_service(lambda session, person: maturity.update_framework(session, person, changes).version)
    if error:
        return refused(error, "fw-errors"), dash.no_update
    content, _ = run_service(render)
    return (success(f"Saved as version {fw}. New assessment rounds will use it.", "fw-saved"),
            dash.no_update if content is None else content)
