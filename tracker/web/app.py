"""Build the Dash app: settings, database, sign-in, security and the pages."""

from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path

import dash
import flask
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect, generate_csrf
from sqlalchemy.engine import Engine

from tracker.config import PROJECT_ROOT, Settings
from tracker.db import create_schema, make_engine
from tracker.seed import seed_database
from tracker.web import auth

PAGE_MODULES = [
    "tracker.web.pages.overview",
    "tracker.web.pages.theme",
    "tracker.web.pages.subgroup",
    "tracker.web.pages.action",
    "tracker.web.pages.not_found",
]

_BOOTSTRAP_CSS = Path(importlib.import_module("flask_bootstrap").__file__).parent / "static/bootstrap5/css"


def create_app(settings: Settings | None = None, engine: Engine | None = None, today: date | None = None) -> dash.Dash:
    settings = settings or Settings.from_env()
    engine = engine or make_engine(settings.database_url)
    create_schema(engine)
    if settings.seed_on_start:
        seed_database(engine, settings.seed_dir)

    prefix = settings.url_prefix
    server = flask.Flask("tracker")
    server.config.update(
        SECRET_KEY=settings.effective_secret_key(),
        TRACKER_ENGINE=engine,
        TRACKER_SETTINGS=settings,
        TRACKER_TODAY=today,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_ENABLED=settings.csrf_enabled,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )

    @server.route(f"{prefix}vendor/bootstrap.min.css")
    def bootstrap_css():
        # Served by the app itself: council intranets often have no internet access.
        return flask.send_from_directory(_BOOTSTRAP_CSS, "bootstrap.min.css", max_age=86400)

    app = dash.Dash(
        "tracker",
        server=server,
        use_pages=True,
        pages_folder="",
        url_base_pathname=prefix,
        assets_folder=str(PROJECT_ROOT / "assets"),
        external_stylesheets=[f"{prefix}vendor/bootstrap.min.css"],
        title="CDP Delivery Tracker",
        suppress_callback_exceptions=True,
        serve_locally=True,
        health_endpoint="health",
        # dash-renderer sends this cookie back in this header on every callback (Flask-WTF checks it)
        csrf_token_name="_csrf_token",
        csrf_header_name="X-CSRFToken",
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="en-GB">')

    auth.install(server, engine, prefix, settings.session_minutes)
    CSRFProtect(server)

    @server.before_request
    def require_sign_in():
        path = flask.request.path
        relative = path[len(prefix):] if path.startswith(prefix) else path.lstrip("/")
        if relative.startswith(auth.PUBLIC_PREFIXES) or current_user.is_authenticated:
            return None
        if relative.startswith("_dash"):
            return flask.jsonify({"message": "Your session has ended: sign in again."}), 401
        return flask.redirect(f"{prefix}login?next={flask.request.full_path.rstrip('?')}")

    @server.after_request
    def csrf_cookie(response):
        # Readable by the page's script on purpose: it is the token dash-renderer echoes in a header.
        if current_user.is_authenticated:
            response.set_cookie("_csrf_token", generate_csrf(), samesite="Lax",
                                secure=flask.request.is_secure, path=prefix)
        return response

    for module in PAGE_MODULES:
        importlib.import_module(module)
    # Dash reads `layout` from modules in a pages folder only; ours live in a package, so hand it over.
    for page in dash.page_registry.values():
        page.setdefault("layout", importlib.import_module(page["module"]).layout)

    from tracker.web.layout import shell

    app.layout = shell
    return app
