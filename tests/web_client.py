"""Requests as a browser makes them, through Flask's test client: the app, signing in with the form's
CSRF token, the cookie dash-renderer echoes, the page router's callback body, the CSP's directives."""

from __future__ import annotations

import re

from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD, TODAY
from tracker.config import Settings
from tracker.web.app import create_app
from tracker.web.auth import PAGES_ROUTER_OUTPUT

PROXY = "10.1.2.3"
CLIENT = "192.168.50.7"


def make_app(engine, **overrides):
    settings = Settings(database_url="sqlite://", seed_on_start=False, secret_key="test", **overrides)
    return create_app(settings, engine=engine, today=TODAY)


def form_token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the page has no CSRF token field"
    return match.group(1)


def sign_in(client, prefix: str = "/", email: str = DEMO_EMAILS["chair"], password: str = DEMO_PASSWORD,
            next_url: str | None = None):
    token = form_token(client.get(f"{prefix}login").get_data(as_text=True))
    data = {"email": email, "password": password, "csrf_token": token, "next": next_url or prefix}
    # Over https Flask-WTF also checks the Referer, which a browser sends on a same-origin POST.
    referer = f"{prefix}login" if "://" in prefix else f"http://localhost{prefix}login"
    return client.post(f"{prefix}login", data=data, headers={"Referer": referer})


def cookie_header(response, name: str) -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no Set-Cookie for {name} in {response.headers.getlist('Set-Cookie')}")


def router_call(pathname: str, search: str = "") -> dict:
    """The body dash-renderer posts when the page router renders `pathname`."""
    return {
        "output": PAGES_ROUTER_OUTPUT,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def csrf_cookie(client, path: str = "/") -> str:
    cookie = client.get_cookie("_csrf_token", path=path)
    assert cookie is not None, "no _csrf_token cookie for dash-renderer to echo"
    return cookie.value


def links(tree) -> list[str]:
    """Every href and form action in a Dash component tree (JSON)."""
    found = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key in ("href", "action") and isinstance(value, str):
                found.append(value)
            else:
                found += links(value)
    elif isinstance(tree, list):
        for item in tree:
            found += links(item)
    return found


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives
