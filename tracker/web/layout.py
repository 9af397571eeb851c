"""The frame around every page: skip link, navigation with who is signed in, the page itself."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from flask_wtf.csrf import generate_csrf

from tracker.web.auth import embedded_request
from tracker.web.context import current_person, db


def nav_link(label: str, path: str) -> dbc.NavItem:
    return dbc.NavItem(dbc.NavLink(label, href=dash.get_relative_path(path), active="exact"))


def sign_out_form() -> html.Form:
    # Signing out is a POST with the CSRF token, like every other change.
    return html.Form([
        dbc.Input(type="hidden", name="csrf_token", value=generate_csrf(), id="sign-out-csrf"),
        html.Button("Sign out", type="submit", className="btn btn-sm btn-light", id="sign-out"),
    ], method="post", action=dash.get_relative_path("/logout"), className="mb-0")


def embed_shell() -> html.Main:
    """An embedded view (/embed/...): the page alone, no navigation, sized by its iframe."""
    return html.Main(dbc.Container(dash.page_container, fluid=True, className="py-2"), id="main",
                     className="embed-body")


def shell():
    if embedded_request():
        return embed_shell()
    with db() as session:
        person = current_person(session)
        name = f"{person.name} ({person.role})" if person else ""
        role = person.role if person and person.is_active else ""
    return html.Div([
        html.A("Skip to main content", href="#main", className="skip-link"),
        html.Nav(dbc.Navbar(
            dbc.Container([
                dbc.NavbarBrand("CDP Delivery Tracker", href=dash.get_relative_path("/")),
                dbc.Nav([
                    nav_link("Overview", "/"),
                    *([nav_link("My actions", "/my-actions")] if role in ("admin", "chair", "member") else []),
                    nav_link("Themes", "/themes"),
                    nav_link("Subgroups", "/subgroups"),
                    nav_link("Maturity", "/maturity"),
                    nav_link("Indicators", "/indicators"),
                    nav_link("Progress against goals", "/golden-thread"),
                    nav_link("Board", "/board"),
                    # Shown only to the roles that may use them (the pages and services refuse others too).
                    *([nav_link("Audit trail", "/audit")] if role in ("admin", "chair") else []),
                    *([nav_link("Admin", "/admin")] if role == "admin" else []),
                ], navbar=True, className="me-auto"),
                html.Span(name, className="text-white me-3 small", id="signed-in-as"),
                sign_out_form() if person else None,
            ], fluid=True),
            className="tracker-navbar mb-3", color="#1d2d44", dark=True, tag="div",
        ), **{"aria-label": "Main"}),
        html.Main(dbc.Container(dash.page_container, fluid=True), id="main", tabIndex="-1"),
    ])
