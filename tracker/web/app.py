"""Build the Dash app: settings, database, sign-in, security and the pages."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date
from pathlib import Path

import dash
import flask
import plotly.io.json
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect, generate_csrf
from sqlalchemy.engine import Engine

from tracker.config import PROJECT_ROOT, Settings
from tracker.db import database_ready, make_engine
from tracker.startup import prepare_database
from tracker.web import auth, callbacks, downloads, errors, pages, security
from tracker.web.request_slots import RequestSlots

_BOOTSTRAP_CSS = Path(importlib.import_module("flask_bootstrap").__file__).parent / "static/bootstrap5/css"


def import_pages() -> list[str]:
    """Import every module of tracker.web.pages (each registers its pages with dash.register_page and
    notes its callbacks); returns their names. Importing again is free: Python keeps the modules."""
    names = [f"{pages.__name__}.{info.name}" for info in pkgutil.iter_modules(pages.__path__)]
    for name in names:
        importlib.import_module(name)
    return names


def create_app(settings: Settings | None = None, engine: Engine | None = None, today: date | None = None) -> dash.Dash:
    settings = settings or Settings.from_env()
    settings.check_production()  # a production start without a strong secret key stops here
    engine = engine or make_engine(settings.database_url)
    prepare_database(engine, settings)
    # Dash encodes every callback answer with plotly's JSON helper, which picks orjson when it is installed.
    # A tree of components fails orjson's fast path and is then walked in pure Python before orjson
    # runs, so pages were 10-30% slower than with the standard library's encoder (docs/performance.md,
    # round 10). The answer is the same JSON either way; only non-ASCII text is escaped.
    plotly.io.json.config.default_engine = "json"

    prefix = settings.url_prefix
    server = flask.Flask("tracker")
    server.config.update(
        SECRET_KEY=settings.effective_secret_key(),
        TRACKER_ENGINE=engine,
        TRACKER_SETTINGS=settings,
        TRACKER_TODAY=today,
        WTF_CSRF_ENABLED=settings.csrf_enabled,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        MAX_CONTENT_LENGTH=settings.max_request_bytes,  # a larger body is answered 413
    )

    @server.route(f"{prefix}ready")
    def ready():
        # Readiness for the load balancer: /health says the process is up, this that it can serve.
        if database_ready(flask.current_app.config["TRACKER_ENGINE"]):
            return {"status": "ready", "database": "ok"}, 200
        return {"status": "unavailable", "database": "unreachable"}, 503

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
        on_error=errors.on_callback_error,  # logged with a reference, and a notice in the page
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

    errors.install(server)
    downloads.install(server, prefix)  # the plan's workbook as a file, not a callback answer

    import_pages()
    # Dash reads `layout` from modules in a pages folder only; ours live in a package, so hand it over.
    for page in dash.page_registry.values():
        page.setdefault("layout", page.get("supplied_layout") or importlib.import_module(page["module"]).layout)
    callbacks.register(app)  # this app's own copy of every page callback (app.callback)

    from tracker.web.layout import shell

    app.layout = shell
    # Dash finishes setting itself up on its first request (the page router's callback, the callback
    # map), and not thread-safely: two first requests at once in a threaded worker gave a 500 under
    # load ("dictionary changed size during iteration"). One request here, in this thread, does it
    # before anyone is served.
    server.test_client().get(f"{prefix}health")
    server.wsgi_app = RequestSlots(server.wsgi_app, settings.request_slots)  # a few pages at a time
    return app
