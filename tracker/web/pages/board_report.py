"""The board report for one meeting, ready to print (assets/print.css), with its Word and PDF files
and, for the chair or an administrator, the button that publishes it. A published meeting shows its
pack exactly as published."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from tracker.formatting import long_date, short_date, uk_time
from tracker.services.board import calendar, packs
from tracker.services.errors import NotFound, PermissionDenied, ServiceError
from tracker.services.permissions import is_admin, is_chair
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.board_report import report_body
from tracker.web.components.notices import not_found, status_message
from tracker.web.context import page_title, run_service, signed_in_page, today


def _describe(session, person, meeting_id=None, **_) -> str:
    meeting = calendar.get_meeting(session, person.partnership_id, forms.record_id(meeting_id, "board meeting"))
    return f"Board report, {long_date(meeting.meeting_date)}"


dash.register_page(__name__, path_template="/board/<meeting_id>/report",
                   title=page_title("Board report – CDP Delivery Tracker", _describe), name="Board report")


def status_line(pack: packs.PackSummary | None) -> html.P:
    if pack is None:
        return html.P("Draft: today's figures. Publishing freezes them as the board's pack.",
                      id="board-report-status", className="mb-2")
    return html.P(f"Published by {pack.published_by} on {short_date(pack.published_at)} at {uk_time(pack.published_at)}: "
                  "this is the pack exactly as the board saw it.", id="board-report-status", className="mb-2")


def controls(person, meeting_id: int, pack: packs.PackSummary | None) -> html.Div:
    may_publish = pack is None and (is_admin(person) or is_chair(person))
    return html.Div([
        status_line(pack),
        html.Div([
            dbc.Button("Download Word (.docx)", id="board-download-docx", color="primary", className="me-2 mb-2"),
            dbc.Button("Download PDF", id="board-download-pdf", color="primary", className="me-2 mb-2"),
            dbc.Button("Publish this report", id="board-publish", color="danger", className="me-2 mb-2")
            if may_publish else None,
            html.A("Back to the board calendar", href=dash.get_relative_path("/board"), className="ms-2"),
        ]),
        html.P("To print, use your browser's Print: the page prints on A4 without the navigation.",
               className="small text-muted mb-1"),
        html.Div(id="board-report-message", **{"aria-live": "polite"}),
        dcc.Download(id="board-report-download"),
        dcc.Store(id="board-report-meeting", data=meeting_id),
    ], className="card-section no-print")


@signed_in_page("Sign in to see the board report.")
def layout(session, person, meeting_id=None, **_):
    try:
        number = forms.record_id(meeting_id, "board meeting")
        shown = packs.meeting_report(session, person, number, today())
    except NotFound as exc:
        return not_found("Board meeting not found", str(exc), "/board", "See the board calendar", "board-not-found")
    return html.Div([controls(person, number, shown.pack), report_body(shown.report)])


@callback(
    Output("board-report-download", "data"),
    Output("board-report-message", "children", allow_duplicate=True),
    Input("board-download-docx", "n_clicks"),
    Input("board-download-pdf", "n_clicks"),
    State("board-report-meeting", "data"),
)
def download(_docx, _pdf, meeting_id):
    kind = "docx" if dash.ctx.triggered_id == "board-download-docx" else "pdf"
    # It only reads: a read-only unit of work, so a long render never holds SQLite's write lock.
    file, error = run_service(lambda s, p: packs.meeting_file(s, p, forms.to_int(meeting_id), kind, today()),
                              write=False)
    if error:
        return no_update, status_message(str(error), ok=False)
    return dcc.send_bytes(file.content, file.filename, type=file.media_type), None


@callback(
    Output("board-report-message", "children"),
    Output("board-report-status", "children"),
    Input("board-publish", "n_clicks"),
    State("board-report-meeting", "data"),
)
def publish(_clicks, meeting_id):
    def act(session, person):
        pack = packs.publish(session, person, {"meeting_id": meeting_id}, today())
        return f"Published the board report for {long_date(pack.meeting_date)}. It will not change from now on."

    message, error = run_service(act)
    if isinstance(error, (PermissionDenied, ServiceError)):
        return status_message(str(error), ok=False, message_id="board-publish-result"), no_update
    return (status_message(message, message_id="board-publish-result"),
            "Published: this is the pack exactly as the board saw it.")
