"""The frame around every page: skip link, navigation with who is signed in, the alert region for
errors, the page itself.

The navigation bar comes from dash.page_registry: a page registered with
`nav={"order": 10, "label": "Overview"}` gets a link, in that order; with `"roles": ("admin",)` only
those roles see it (the pages and services refuse everyone else too).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from flask_wtf.csrf import generate_csrf

from tracker.web import errors
from tracker.web.auth import embedded_request
from tracker.web.context import signed_in_person_or_none


def nav_link(label: str, path: str) -> dbc.NavItem:
    return dbc.NavItem(dbc.NavLink(label, href=dash.get_relative_path(path), active="exact"))


def nav_pages(role: str) -> list[dict]:
    """The registered pages with a `nav` entry that `role` may see, in their order."""
    pages = []
    for page in dash.page_registry.values():
        nav = page.get("nav")
        if not nav:
            continue
        roles = nav.get("roles")
        if roles is not None and role not in roles:
            continue
        pages.append(page)
    return sorted(pages, key=lambda p: (p["nav"].get("order", 1000), p["path"]))


def nav_links(role: str) -> list[dbc.NavItem]:
    return [nav_link(page["nav"].get("label") or page["name"], page["path"]) for page in nav_pages(role)]


def sign_out_form() -> html.Form:
    # Signing out is a POST with the CSRF token, like every other change.
    return html.Form([
        dbc.Input(type="hidden", name="csrf_token", value=generate_csrf(), id="sign-out-csrf"),
        html.Button("Sign out", type="submit", className="btn btn-sm btn-light", id="sign-out"),
    ], method="post", action=dash.get_relative_path("/logout"), className="mb-0")


def notice_region(text: str | None = None) -> html.Div:
    """Where an unexpected error is announced (tracker.web.errors writes into it with set_props)."""
    return html.Div(errors.notice(text) if text else None, id=errors.NOTICE_ID, role="alert",
                    className="app-notice")


MENU_ID = "nav-menu"


def menu_button() -> html.Button:
    """Below the lg breakpoint the links fold behind this button (assets/nav.js opens and closes the
    menu, keeps aria-expanded true to it and closes it on Escape), so a phone's first screen is the page."""
    return html.Button([html.Span(className="navbar-toggler-icon", **{"aria-hidden": "true"}), " Menu"],
                       type="button", id="nav-toggle", className="navbar-toggler tracker-menu-button",
                       **{"aria-expanded": "false", "aria-controls": MENU_ID})


def embed_shell() -> html.Main:
    """An embedded view (/embed/...): the page alone, no navigation, sized by its iframe."""
    return html.Main(dbc.Container([notice_region(), dash.page_container], fluid=True, className="py-2"),
                     id="main", className="embed-body")


def shell():
    if embedded_request():
        return embed_shell()
    person, failure = signed_in_person_or_none()
    name = f"{person.name} ({person.role})" if person else ""
    role = person.role if person and person.is_active else ""
    return html.Div([
        html.A("Skip to main content", href="#main", className="skip-link"),
        html.Nav(dbc.Navbar(
            dbc.Container([
                dbc.NavbarBrand("CDP Delivery Tracker", href=dash.get_relative_path("/")),
                menu_button(),
                html.Div([
                    dbc.Nav(nav_links(role), navbar=True, className="me-auto"),
                    html.Span(name, className="text-white me-3 small", id="signed-in-as"),
                    html.A("Your account", href=dash.get_relative_path("/account"),
                           className="btn btn-sm btn-light me-2", id="account-link") if person else None,
                    sign_out_form() if person else None,
                ], className="collapse navbar-collapse", id=MENU_ID),
            ], fluid=True),
            className="tracker-navbar mb-3", color="#1d2d44", dark=True, tag="div", expand="lg",
        ), **{"aria-label": "Main"}),
        html.Main(dbc.Container([
            notice_region(failure),
            dash.page_container,
        ], fluid=True), id="main", tabIndex="-1"),
    ])
