"""The board cycle: the next deadline, the board calendar, the published packs (open, download,
compare any two) and, for the chair or an administrator, the calendar, the deadline setting and
locking a period after its board."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from tracker.formatting import long_date
from tracker.services.board import calendar, locks, packs
from tracker.services.permissions import is_admin, is_chair
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.board import calendar_table, comparison_table, deadline_callout, packs_table
from tracker.web.components.notices import status_message
from tracker.web.context import run_service, signed_in_page, today

dash.register_page(__name__, path="/board", title="Board calendar and packs – CDP Delivery Tracker", name="Board",
                   nav={"order": 62, "label": "Board"})

MEETING_FIELDS = {"meeting_date": "board-add-date", "title": "board-add-title", "location": "board-add-location"}
CHANGE_FORM = "board-change"  # each control's id is {"form": CHANGE_FORM, "field": <the service's field name>}
CHANGE_FIELDS = forms.form_fields(CHANGE_FORM, ("meeting_id", "meeting_date", "title", "location"))
CHANGE_LABELS = {"meeting_id": "Meeting", "meeting_date": "New date", "title": "New title", "location": "New place"}


def render(session, person) -> list:
    pid = person.partnership_id
    meetings = [calendar.deadline_for(session, m, today()) for m in calendar.list_meetings(session, pid)]
    until = locks.locked_until(session, pid)
    return [
        deadline_callout(calendar.next_meeting(session, pid, today())),
        html.P(f"Locked: everything dated up to {long_date(until)}." if until else "No period is locked.",
               id="board-locked-until"),
        html.Section([html.H2("Board calendar", className="h5"), calendar_table(meetings)], className="card-section"),
        html.Section([html.H2("Published board packs", className="h5"),
                      packs_table(packs.list_packs(session, pid))], className="card-section"),
    ]


def _meeting_options(session, pid, held_only=False) -> list[dict]:
    meetings = calendar.list_meetings(session, pid)
    if held_only:
        meetings = [m for m in meetings if m.meeting_date <= today()]
    return forms.select_options([(m.id, long_date(m.meeting_date)) for m in meetings], blank="Choose a meeting")


def compare_form(session, pid) -> html.Section:
    options = forms.select_options([(p.id, long_date(p.meeting_date)) for p in packs.list_packs(session, pid)],
                                   blank="Choose a pack")
    return html.Section([
        html.H2("Compare two packs", className="h5"),
        dbc.Row([
            dbc.Col(forms.field("First pack", forms.select("board-compare-first", options), error_suffix=None), md=4),
            dbc.Col(forms.field("Second pack", forms.select("board-compare-second", options), error_suffix=None), md=4),
            dbc.Col(dbc.Button("Compare", id="board-compare", color="secondary", className="mt-md-4"), md=2),
        ]),
        html.Div(id="board-compare-result", **{"aria-live": "polite"}),
    ], className="card-section")


def manage_forms(session, person) -> list:
    pid = person.partnership_id
    partnership_days = calendar.deadline_days(session, pid)
    return [
        forms.folded_form("Add a board meeting", "The chair or an administrator keeps the calendar.",
                          "board-add-message", [
            dbc.Row([
                dbc.Col(forms.field("Meeting date", dbc.Input(id="board-add-date", type="date")), md=3),
                dbc.Col(forms.field("Title", dbc.Input(id="board-add-title", value="Partnership board")), md=5),
                dbc.Col(forms.field("Where", dbc.Input(id="board-add-location")), md=4),
            ]),
            dbc.Button("Add the meeting", id="board-add", color="primary"),
        ], "board-add-summary", "board-add-section"),
        forms.folded_form("Change a meeting", "Give only what changes: a field left empty keeps its value. The "
                          "date of a meeting whose report is published cannot change.", "board-change-message", [
            forms.field(CHANGE_LABELS["meeting_id"], forms.select(CHANGE_FIELDS["meeting_id"], _meeting_options(session, pid))),
            dbc.Row([
                dbc.Col(forms.field(CHANGE_LABELS["meeting_date"], dbc.Input(id=CHANGE_FIELDS["meeting_date"], type="date")), md=3),
                dbc.Col(forms.field(CHANGE_LABELS["title"], dbc.Input(id=CHANGE_FIELDS["title"], maxLength=200)), md=5),
                dbc.Col(forms.field(CHANGE_LABELS["location"], dbc.Input(id=CHANGE_FIELDS["location"], maxLength=200)),
                        md=4),
            ]),
            dbc.Button("Save the change", id="board-change", color="primary"),
        ], "board-change-summary", "board-change-section"),
        forms.folded_form("Remove a meeting", "A meeting whose report is published cannot be removed.",
                          "board-remove-message", [
            forms.field("Meeting", forms.select("board-remove-meeting", _meeting_options(session, pid)),
                        error_suffix=None),
            dbc.Button("Remove the meeting", id="board-remove", color="danger"),
        ], "board-remove-summary", "board-remove-section"),
        forms.folded_form("Update deadline", calendar.BANK_HOLIDAY_NOTE, "board-days-message", [
            forms.field("Working days before each meeting that updates are due",
                        dbc.Input(id="board-days", type="number", min=0, max=60, value=partnership_days)),
            dbc.Button("Save the deadline", id="board-days-save", color="primary"),
        ], "board-days-summary", "board-days-section"),
        forms.folded_form("Lock a period", "After a board, lock everything dated up to it: later changes then "
                          "need an administrator, who must give a reason, and the next report lists them.",
                          "board-lock-message", [
            forms.field("Lock up to the board of", forms.select("board-lock-meeting",
                                                                _meeting_options(session, pid, held_only=True)),
                        error_suffix=None),
            dbc.Button("Lock the period", id="board-lock", color="danger"),
        ], "board-lock-summary", "board-lock-section"),
    ]


@signed_in_page("Sign in to see the board calendar.")
def layout(session, person, **_):
    may_manage = is_admin(person) or is_chair(person)
    return html.Div([
        html.H1("Board calendar and packs", className="h3"),
        dcc.Store(id="board-refresh", data=0),
        html.Div(render(session, person), id="board-content", **{"aria-live": "polite"}),
        compare_form(session, person.partnership_id),
        *(manage_forms(session, person) if may_manage else []),
    ])


@callback(Output("board-content", "children"), Input("board-refresh", "data"))
def refresh(_):
    content, error = run_service(render)
    return status_message(str(error), ok=False) if error else content


def _done(message: str, error, refresh_count):
    if error:
        return forms.refused(error, summary_id="board-error", fields=MEETING_FIELDS), no_update
    return status_message(message, message_id="board-done"), forms.bumped(refresh_count)


@callback(
    Output("board-add-message", "children"), Output("board-refresh", "data", allow_duplicate=True),
    Input("board-add", "n_clicks"),
    State("board-add-date", "value"), State("board-add-title", "value"), State("board-add-location", "value"),
    State("board-refresh", "data"),
)
def add_meeting(_clicks, day, title, location, count):
    data = {"meeting_date": day or "", "title": title or "", "location": location or ""}
    meeting, error = run_service(lambda s, p: calendar.add_meeting(s, p, p.partnership_id, data))
    return _done(f"Added the board of {long_date(meeting.meeting_date)}." if meeting else "", error, count)


@callback(
    Output("board-change-message", "children"),
    *forms.form_outputs(CHANGE_FORM),
    Output("board-refresh", "data", allow_duplicate=True),
    Input("board-change", "n_clicks"),
    *forms.form_states(CHANGE_FORM), State("board-refresh", "data"),
)
def change_meeting(_clicks, field_ids, field_values, count):
    """Thin: what was given, to calendar.change_meeting (chair or admin; it checks again)."""
    form = forms.read_form(field_ids, field_values, CHANGE_FIELDS)
    data = {name: value.strip() for name, value in form.items()
            if name != "meeting_id" and isinstance(value, str) and value.strip()}
    chosen = forms.to_int(form.get("meeting_id"))
    if chosen is None:
        errors = {"meeting_id": "Choose the meeting to change"}
        return (forms.error_summary(errors, CHANGE_FIELDS, CHANGE_LABELS, "board-change-error"),
                *forms.form_feedback(CHANGE_FORM, errors), no_update)
    meeting, error = run_service(lambda s, p: calendar.change_meeting(s, p, chosen, data))
    if error:
        return (forms.refused(error, "board-change-error", CHANGE_FIELDS, CHANGE_LABELS),
                *forms.form_feedback(CHANGE_FORM, getattr(error, "errors", None)), no_update)
    message = status_message(f"Saved: {meeting.title}, {long_date(meeting.meeting_date)}"
                             + (f", {meeting.location}" if meeting.location else "") + ".", message_id="board-change-done")
    return (message, *forms.form_feedback(CHANGE_FORM, {}), forms.bumped(count))


@callback(
    Output("board-remove-message", "children"), Output("board-refresh", "data", allow_duplicate=True),
    Input("board-remove", "n_clicks"), State("board-remove-meeting", "value"), State("board-refresh", "data"),
)
def remove_meeting(_clicks, meeting_id, count):
    _, error = run_service(lambda s, p: calendar.remove_meeting(s, p, forms.to_int(meeting_id)))
    return _done("Removed the meeting.", error, count)


@callback(
    Output("board-days-message", "children"), Output("board-refresh", "data", allow_duplicate=True),
    Input("board-days-save", "n_clicks"), State("board-days", "value"), State("board-refresh", "data"),
)
def save_days(_clicks, days, count):
    _, error = run_service(lambda s, p: calendar.set_deadline_days(
        s, p, p.partnership_id, {"update_deadline_working_days": days}))
    return _done(f"Updates are now due {days} working days before each board.", error, count)


@callback(
    Output("board-lock-message", "children"), Output("board-refresh", "data", allow_duplicate=True),
    Input("board-lock", "n_clicks"), State("board-lock-meeting", "value"), State("board-refresh", "data"),
)
def lock(_clicks, meeting_id, count):
    result, error = run_service(lambda s, p: locks.lock_period(s, p, {"meeting_id": forms.to_int(meeting_id)}, today()))
    return _done(f"Locked everything dated up to {long_date(result.locked_until)}." if result else "", error, count)


@callback(
    Output("board-compare-result", "children"),
    Input("board-compare", "n_clicks"), State("board-compare-first", "value"), State("board-compare-second", "value"),
)
def compare(_clicks, first, second):
    if not first or not second:
        return status_message("Choose two packs to compare.", ok=False)
    rows, error = run_service(lambda s, p: packs.compare_packs(s, p.partnership_id, first, second))
    if error:
        return status_message(str(error), ok=False)
    return comparison_table(rows, "First pack", "Second pack")
