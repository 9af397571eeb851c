"""The pieces of the "My actions" page: the next deadline, and one row per action with its figures and
an inline update form.

Every control of a row has a pattern-matching id, {"type": "myact-<field>", "action": <action id>},
so one callback (MATCH) serves every row. Labels point at the control through forms.dom_id (the id as
Dash writes a dict id in the page), and each label names its action for screen readers.
"""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.formatting import long_date, status_label
from tracker.services.board.calendar import BANK_HOLIDAY_NOTE, MeetingDeadline
from tracker.services.my_actions import MyActionRow, MyActions
from tracker.services.plan import ActionRow
from tracker.services.reference import Rag
from tracker.web.components import forms
from tracker.web.components.action_forms import rag_options
from tracker.web.components.rag import rag_badge, rag_for

# service field name -> the "type" of the row's control
ROW_FIELDS = {"update_date": "myact-date", "rag": "myact-rag", "progress": "myact-progress",
              "narrative": "myact-narrative"}
LABELS = {"update_date": "Date of the update", "rag": "RAG", "progress": "Progress (%)", "narrative": "Narrative"}
SAVE, MESSAGE, FIGURES, ROW = "myact-save", "myact-message", "myact-figures", "myact-row"


def row_id(kind: str, action_id: int) -> dict:
    return {"type": kind, "action": action_id}


def field_ids(action_id: int) -> dict[str, dict]:
    return {name: row_id(kind, action_id) for name, kind in ROW_FIELDS.items()}


def deadline_notice(meeting: MeetingDeadline | None, today: date) -> html.Section:
    if meeting is None:
        body = [html.P("No board meeting is planned yet, so there is no update deadline.", className="mb-0")]
    else:
        m = meeting.meeting
        days = meeting.days_to_deadline
        when = ("today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}" if days > 0
                else f"{-days} day{'s' if days != -1 else ''} ago: updates are now late")
        body = [
            html.P([html.Strong("Updates are due by "), html.Strong(long_date(meeting.deadline), id="myact-deadline"),
                    f" ({when})."], className="mb-1"),
            html.P([f"Next board: {long_date(m.meeting_date)}, {m.title}",
                    f", {m.location}" if m.location else "", "."], className="mb-1", id="myact-meeting"),
            html.P(f"The deadline is {meeting.working_days} working days before the board. {BANK_HOLIDAY_NOTE}",
                   className="small text-muted mb-0"),
        ]
    return html.Section([html.H2("Next board meeting", className="h5", id="myact-meeting-heading"), *body],
                        className="card-section", id="myact-meeting-section",
                        **{"aria-labelledby": "myact-meeting-heading"})


def ratings_waiting(view: MyActions) -> html.Section | None:
    if not view.awaiting_ratings:
        return None
    return html.Section([
        html.H2(f"Maturity ratings waiting for you ({len(view.awaiting_ratings)})", className="h5",
                id="myact-ratings-heading"),
        html.Ul([html.Li(html.A(f"{a.subgroup}: {a.title}", href=dash.get_relative_path(f"/maturity/assessment/{a.id}")))
                 for a in view.awaiting_ratings], className="mb-0", id="myact-ratings"),
    ], className="card-section", **{"aria-labelledby": "myact-ratings-heading"})


def figures(row: ActionRow, due_update: bool, scale: dict[str, Rag]) -> list:
    """The row's figures: refreshed after each update it records."""
    last = long_date(row.last_update) if row.last_update else "never"
    flags = []
    if due_update:
        flags.append(html.Span("Due an update", className="badge text-bg-warning myact-due"))
    if row.overdue:
        flags.append(html.Span("Overdue", className="badge text-bg-danger"))
    return [
        html.Dl([
            html.Dt("Subgroup"), html.Dd(row.subgroup),
            html.Dt("Due date"), html.Dd(long_date(row.due_date)),
            html.Dt("Last RAG"), html.Dd(rag_badge(rag_for(scale, row.rag, row.status), small=True),
                                         className="myact-rag-now"),
            html.Dt("Progress"), html.Dd(f"{row.progress}%", className="myact-progress-now"),
            html.Dt("Last update"), html.Dd(last, className="myact-last-update"),
            html.Dt("Status"), html.Dd(status_label(row.status)),
        ], className="myact-figures mb-1"),
        html.Div(flags or html.Span("Up to date for this board", className="badge text-bg-light border myact-ok"),
                 className="d-flex gap-2"),
    ]


def _label(text: str, ref: str) -> list:
    return [text, html.Span(f" for {ref}", className="visually-hidden")]


def update_form(item: MyActionRow, scale: list[Rag], today: date) -> html.Div:
    row, ids = item.row, field_ids(item.id)
    message = row_id(MESSAGE, item.id)

    def field(name: str, control, **kwargs):
        return forms.field(_label(LABELS[name], row.ref), control, error_id=message, class_name="mb-2", **kwargs)

    updated = row.last_update is not None or row.status == "complete"
    return html.Div([
        dbc.Row([
            dbc.Col(field("update_date", dbc.Input(id=ids["update_date"], type="date", value=today.isoformat(),
                                                    max=today.isoformat())), md=3),
            dbc.Col(field("rag", forms.select(ids["rag"], rag_options(scale), row.rag if updated else "")), md=6),
            dbc.Col(field("progress", dbc.Input(id=ids["progress"], type="number", min=0, max=100, step=1,
                                                inputmode="numeric", value=row.progress if updated else None)),
                    md=3),
        ], className="g-2"),
        field("narrative", dbc.Textarea(id=ids["narrative"], rows=2, maxLength=5000, value=item.last_narrative),
              hint="Required for any RAG other than Green."),
        dbc.Button(["Save", html.Span(f" the update of {row.ref}", className="visually-hidden")],
                   id=row_id(SAVE, item.id), color="primary", n_clicks=0, className="myact-save"),
        html.Div(id=message, className="mt-2", **{"aria-live": "polite"}),
    ], className="myact-form")


def action_row(item: MyActionRow, scale: list[Rag], by_code: dict[str, Rag], today: date,
               may_update: bool) -> html.Section:
    row = item.row
    heading = row_id("myact-heading", item.id)
    why = " and ".join(w for w, yes in (("you own it", item.owned), ("you lead its subgroup", item.led)) if yes)
    return html.Section([
        html.H3(html.A(f"{row.ref} {row.title}", href=dash.get_relative_path(f"/action/{row.id}")),
                className="h6 mb-1", id=heading),
        html.P(f"Owner: {row.owner or 'no owner'} ({why}).", className="small text-muted mb-1"),
        dbc.Row([
            dbc.Col(html.Div(figures(row, item.due_update, by_code), id=row_id(FIGURES, item.id)), lg=4),
            dbc.Col(update_form(item, scale, today) if may_update else html.P(
                "You cannot record updates on this action.", className="mb-0"), lg=8),
        ], className="g-3"),
    ], className="card-section myact-row", id=row_id(ROW, item.id),
        **{"aria-labelledby": forms.dom_id(heading)})
