"""The frame around every page: skip link, navigation with who is signed in, the page itself."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.web.context import current_person, db


def nav_link(label: str, path: str) -> dbc.NavItem:
    return dbc.NavItem(dbc.NavLink(label, href=dash.get_relative_path(path), active="exact"))


def shell():
    with db() as session:
        person = current_person(session)
        name = f"{person.name} ({person.role})" if person else ""
    return html.Div([
        html.A("Skip to main content", href="#main", className="skip-link"),
        html.Nav(dbc.Navbar(
            dbc.Container([
                dbc.NavbarBrand("CDP Delivery Tracker", href=dash.get_relative_path("/")),
                dbc.Nav([
                    nav_link("Overview", "/"),
                    nav_link("Themes", "/themes"),
                    nav_link("Subgroups", "/subgroups"),
                ], navbar=True, className="me-auto"),
                html.Span(name, className="text-white me-3 small", id="signed-in-as"),
                html.A("Sign out", href=dash.get_relative_path("/logout"), className="btn btn-sm btn-light"),
            ], fluid=True),
            className="tracker-navbar mb-3", dark=True, tag="div",
        ), **{"aria-label": "Main"}),
        html.Main(dbc.Container(dash.page_container, fluid=True), id="main", tabIndex="-1"),
    ])
