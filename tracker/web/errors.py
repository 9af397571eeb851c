"""What the app does with an error nobody expected: log it, and tell the user in the page.

- `on_callback_error`: Dash's app-wide `on_error`. Logs the exception with a reference, and shows a
  short notice in the shell's alert region (NOTICE_ID) via `dash.set_props`. No output of the failed
  callback is written, so a form keeps what was typed. When the pages' router failed (a layout
  raised), the page shows the notice in place of its content.
- `database_unavailable(exc)`: whether the error is the database being unreachable (refused or lost
  connection, a pool timeout); those get DATABASE_UNAVAILABLE rather than "something went wrong".
- `install(server)`: the same for plain Flask requests (the index page, the sign-in guard): a 503 with
  the message, never a stack trace.
"""

from __future__ import annotations

import logging
import uuid

import dash
import flask
from dash import html
from sqlalchemy import exc as sa_exc

log = logging.getLogger("tracker.web")

NOTICE_ID = "app-notice"
DATABASE_UNAVAILABLE = ("The database is temporarily unavailable: your change was not saved. "
                        "Try again in a minute.")
PAGE_UNAVAILABLE = "The database is temporarily unavailable. Try again in a minute."
ROUTER_OUTPUT_ID = "_pages_content"  # dash.page_container's content, which the pages' router writes


def something_went_wrong(reference: str) -> str:
    return f"Something went wrong (reference {reference}). Nothing was saved unless a message says so."


def request_id() -> str:
    """A short reference for this request, the same in the log and in what the user is shown."""
    if flask.has_request_context():
        if "tracker_request_id" not in flask.g:
            flask.g.tracker_request_id = uuid.uuid4().hex[:8].upper()
        return flask.g.tracker_request_id
    return uuid.uuid4().hex[:8].upper()


def database_unavailable(exc: BaseException | None) -> bool:
    """True for a database that cannot be reached: OperationalError (connection refused, server gone,
    SQLite unable to open or locked), a DBAPIError whose connection was invalidated, or a pool
    timeout; also when one of these caused `exc`."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, sa_exc.TimeoutError | sa_exc.OperationalError):
            return True
        if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def log_error(exc: BaseException, where: str) -> str:
    """Log `exc` with the request's reference; returns the reference."""
    reference = request_id()
    if database_unavailable(exc):
        log.error("database unavailable in %s (reference %s): %s", where, reference, exc)
    else:
        log.error("unexpected error in %s (reference %s)", where, reference, exc_info=exc)
    return reference


def notice_text(exc: BaseException, reference: str) -> str:
    return DATABASE_UNAVAILABLE if database_unavailable(exc) else something_went_wrong(reference)


def notice(text: str, notice_id: str = "app-notice-text") -> html.Div:
    """The notice in the shell's alert region (the region itself has role="alert")."""
    return html.Div(text, className="alert alert-danger mb-3", id=notice_id)


def page_error(exc: BaseException, reference: str) -> html.Div:
    """What a page shows in place of its content when rendering it failed."""
    text = PAGE_UNAVAILABLE if database_unavailable(exc) else (
        f"This page could not be shown (reference {reference}). Try again in a minute.")
    return html.Div([html.H1("This page cannot be shown just now", className="h3"),
                     html.P(text, id="page-error")])


def _failed_outputs() -> list:
    outputs = dash.ctx.outputs_list if dash.ctx else []
    return outputs if isinstance(outputs, list) else [outputs]


def on_callback_error(exc: Exception):
    """Dash's app-wide callback error handler (Dash(on_error=...))."""
    where = "callback"
    try:
        outputs = _failed_outputs()
        first = outputs[0] if outputs else None
        if isinstance(first, dict):
            where = f"callback {dash.ctx.triggered_id!r} -> {first.get('id')}.{first.get('property')}"
    except Exception:  # noqa: BLE001 - the context is only for the log line
        outputs, first = [], None
    reference = log_error(exc, where)
    dash.set_props(NOTICE_ID, {"children": notice(notice_text(exc, reference))})
    if isinstance(first, dict) and first.get("id") == ROUTER_OUTPUT_ID:
        # A page's layout failed: show why in place of the page (outputs: content, then the title store).
        return [page_error(exc, reference), {"title": "Unavailable – CDP Delivery Tracker"}]
    return None  # no output written: whatever the user typed stays in the form


def install(server: flask.Flask) -> None:
    """A database that cannot be reached answers a plain request with 503 and the message."""

    def unavailable(exc):
        if not database_unavailable(exc):
            raise exc
        log_error(exc, f"request {flask.request.path}")
        if flask.request.path.endswith("_dash-update-component") or flask.request.is_json:
            return flask.jsonify({"message": DATABASE_UNAVAILABLE}), 503
        body = (f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Unavailable – CDP '
                f'Delivery Tracker</title></head><body><main><h1>The tracker is unavailable just now</h1>'
                f'<p role="alert" id="page-error">{PAGE_UNAVAILABLE}</p></main></body></html>')
        return flask.Response(body, status=503, mimetype="text/html", headers={"Retry-After": "60"})

    server.register_error_handler(sa_exc.OperationalError, unavailable)
    server.register_error_handler(sa_exc.DBAPIError, unavailable)
    server.register_error_handler(sa_exc.TimeoutError, unavailable)
