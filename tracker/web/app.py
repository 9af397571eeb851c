"""Build the Dash app: settings, database, sign-in, security and the pages."""

from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path

import dash
import flask
from dash import _callback
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect, generate_csrf
from sqlalchemy.engine import Engine

from tracker.config import PROJECT_ROOT, Settings
from tracker.db import create_schema, make_engine, startup_lock
from tracker.seed import seed_database
from tracker.web import auth, security

PAGE_MODULES = [
    "tracker.web.pages.overview",
    "tracker.web.pages.themes_index",
    "tracker.web.pages.theme",
    "tracker.web.pages.subgroups_index",
    "tracker.web.pages.subgroup",
    "tracker.web.pages.action",
    "tracker.web.pages.not_found",
    "tracker.web.pages.audit",
    "tracker.web.pages.admin",
    "tracker.web.pages.admin_people",
    "tracker.web.pages.admin_subgroups",
    "tracker.web.pages.admin_rag",
    "tracker.web.pages.indicators",
    "tracker.web.pages.indicator",
    "tracker.web.pages.golden_thread",
    "tracker.web.pages.maturity",
    "tracker.web.pages.maturity_subgroup",
    "tracker.web.pages.maturity_assessment",
    "tracker.web.pages.maturity_framework",
    "tracker.web.pages.plan_transfer",
    "tracker.web.pages.account",
]

# Pages that are not navigation pages of the app (kept apart from the list above, which grows).
EXTRA_PAGE_MODULES = ["tracker.web.pages.embed"]

_BOOTSTRAP_CSS = Path(importlib.import_module("flask_bootstrap").__file__).parent / "static/bootstrap5/css"

# Callbacks declared with `dash.callback` land in Dash's global registry, and the first app to serve
# a request takes them all from it; every app made later (each test makes its own) would then have
# none. So they are kept here once, and each app gets its own copy.
_PAGE_CALLBACK_MAP: dict[str, dict] = {}
_PAGE_CALLBACK_LIST: dict[str, dict] = {}
_PAGE_INLINE_SCRIPTS: list[str] = []


def _adopt_page_callbacks(app: dash.Dash) -> None:
    _PAGE_CALLBACK_MAP.update(_callback.GLOBAL_CALLBACK_MAP)
    _callback.GLOBAL_CALLBACK_MAP.clear()
    for spec in _callback.GLOBAL_CALLBACK_LIST:
        _PAGE_CALLBACK_LIST[spec["output"]] = spec
    _callback.GLOBAL_CALLBACK_LIST.clear()
    for script in _callback.GLOBAL_INLINE_SCRIPTS:
        if script not in _PAGE_INLINE_SCRIPTS:
            _PAGE_INLINE_SCRIPTS.append(script)
    _callback.GLOBAL_INLINE_SCRIPTS.clear()
    app.callback_map.update({key: dict(value) for key, value in _PAGE_CALLBACK_MAP.items()})
    app._callback_list.extend(dict(spec) for spec in _PAGE_CALLBACK_LIST.values())
    app._inline_scripts.extend(_PAGE_INLINE_SCRIPTS)


def create_app(settings: Settings | None = None, engine: Engine | None = None, today: date | None = None) -> dash.Dash:
    settings = settings or Settings.from_env()
    engine = engine or make_engine(settings.database_url)
    with startup_lock(engine):  # several workers may boot at once on one PostgreSQL
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

    # Order matters: the sign-in guard runs before the CSRF check, so a callback from a page whose
    # session has ended is told so (401) rather than refused as a forgery (400).
    security.install(app, settings)
    auth.install(server, engine, settings)
    CSRFProtect(server)

    @server.after_request
    def csrf_cookie(response):
        # Readable by the page's script on purpose: it is the token dash-renderer echoes in a header.
        if current_user.is_authenticated or flask.session.get("embed"):
            security.set_readable_cookie(response, "_csrf_token", generate_csrf(), settings, prefix)
        return response

    for module in PAGE_MODULES + EXTRA_PAGE_MODULES:
        importlib.import_module(module)
    # Dash reads `layout` from modules in a pages folder only; ours live in a package, so hand it over.
    for page in dash.page_registry.values():
        page.setdefault("layout", page.get("supplied_layout") or importlib.import_module(page["module"]).layout)
    _adopt_page_callbacks(app)

    from tracker.web.layout import shell

    app.layout = shell
    return app
