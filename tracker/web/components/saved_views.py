"""A "Saved views" panel on a filtered page (the overview, the audit trail, a subgroup's plan): save
the page as its address now says (path and filters) under a name, open a saved view, delete one. The
panel lists the signed-in person's views of this page only. The address is read from the page's
filter location (url_filters.location or grid_location). Thin: tracker.services.saved_views checks it all."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from tracker.services import saved_views
from tracker.services.errors import InvalidInput
from tracker.web.callbacks import callback
from tracker.web.components import url_filters
from tracker.web.context import run_service

DELETE = "saved-view-delete"


def _listing(views) -> html.Ul | html.P:
    if not views:
        return html.P("No saved views yet.", className="small text-muted mb-0")
    return html.Ul([html.Li([html.A(v.name, href=dash.get_relative_path(v.path)), " ",
                             html.Button("Delete", type="button", className="btn btn-link btn-sm p-0 ms-1",
                                         id={"type": DELETE, "view": v.id},
                                         **{"aria-label": f"Delete the saved view {v.name}"})])
                    for v in views], className="mb-0 ps-3", id="saved-views-list")


def saved_views_panel(views) -> html.Details:
    """The panel, from the signed-in person's saved views (saved_views.list_views)."""
    return html.Details([
        html.Summary("Saved views", className="small"),
        html.Div(_listing(views), id="saved-views-listing"),
        dbc.Label("Name for this view", html_for="saved-view-name", className="small mb-0 mt-2"),
        dbc.InputGroup([dbc.Input(id="saved-view-name", maxLength=80, size="sm"),
                        dbc.Button("Save this view", id="saved-view-save", size="sm", color="primary")]),
        html.Div(id="saved-view-message", role="status", className="small"),
    ], className="card-section", id="saved-views")


def _first_text(values) -> str:
    """The first non-empty text of an ALL state's values (the page's one location), else ""."""
    return next((v for v in (values if isinstance(values, list) else []) if isinstance(v, str) and v), "")


def _in_app(pathname: str) -> str:
    """The path as the tracker names its pages: without the prefix the app is served under."""
    prefix = dash.get_relative_path("/").rstrip("/")
    return (pathname[len(prefix):] or "/") if prefix and pathname.startswith(prefix) else pathname


@callback(
    Output("saved-views-listing", "children"),
    Output("saved-view-message", "children"),
    Output("saved-view-name", "value"),
    Input("saved-view-save", "n_clicks"),
    Input({"type": DELETE, "view": ALL}, "n_clicks"),
    State("saved-view-name", "value"),
    State(url_filters.location_id(ALL), "pathname"),
    State(url_filters.location_id(ALL), "search"),
    State(url_filters.grid_location_id(ALL), "pathname"),
    State(url_filters.grid_location_id(ALL), "search"),
)
def save_or_delete(_save, deletes, name, page_paths, page_searches, grid_paths, grid_searches):
    trigger = ctx.triggered_id
    path = _in_app(_first_text(page_paths) or _first_text(grid_paths))
    search = _first_text(page_searches) or _first_text(grid_searches)
    name_value = no_update
    if isinstance(trigger, dict):
        if not any(isinstance(n, int) and n > 0 for n in (deletes or [])):
            raise PreventUpdate  # a list redrawn, not a click
        view_id = trigger.get("view")
        _, error = run_service(lambda s, p: saved_views.delete_view(s, p, view_id))
        message = str(error) if error else "View deleted."
    else:
        _, error = run_service(lambda s, p: saved_views.save_view(s, p, name, f"{path}{search}"))
        if isinstance(error, InvalidInput):
            message = " ".join(error.errors.values())
        else:
            message, name_value = (str(error), no_update) if error else ("View saved.", "")
    listing, problem = run_service(lambda s, p: _listing(saved_views.list_views(s, p, page=path)))
    return (no_update if problem else listing), message, name_value
