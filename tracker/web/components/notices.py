"""What a page says instead of its content, and the result of an action: refused, not found, done."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html


def status_message(message: str, ok: bool = True, message_id: str | None = None) -> dbc.Alert:
    """The result of an action, in words: green for done, red for refused."""
    return dbc.Alert(message, color="success" if ok else "danger", className="mb-3",
                     **({"id": message_id} if message_id else {}))


def refusal(message: str) -> html.Div:
    """What a page shows someone who may not use it."""
    return html.Div([
        html.H1("You cannot use this page", className="h3"),
        dbc.Alert(message, color="warning", id="access-refused"),
    ])


def back_link(words: str, path: str) -> html.P:
    """The link above a page's heading back to the page it comes under: "← Administration"."""
    return html.P(html.A(f"← {words}", href=dash.get_relative_path(path)), className="mb-1")


def not_found(heading: str, message: str, back_path: str, back_text: str, alert_id: str) -> html.Div:
    """What a page of one record shows when there is no such record: why, and where to go instead."""
    return html.Div([
        html.H1(heading, className="h3"),
        dbc.Alert([message, " ", html.A(back_text, href=dash.get_relative_path(back_path)), "."],
                  color="warning", id=alert_id),
    ])
