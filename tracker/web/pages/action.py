"""One action of the delivery plan: its details, the history of its status updates, a RAG-over-time
chart, and (for those allowed) forms to record an update and to edit the action."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import ALL, Input, Output, State, dcc, html, no_update

from tracker.formatting import long_date, status_label
from tracker.services import actions, permissions, reference, subgroups
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tracker.services.reference import Rag
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.action_forms import (
    EDIT_FIELDS,
    EDIT_LABELS,
    ERROR_SUFFIX,
    OUTCOME_CHECKBOX,
    UPDATE_FIELDS,
    UPDATE_LABELS,
    edit_form,
    update_form,
)
from tracker.web.components.notices import not_found
from tracker.web.components.rag import rag_badge, rag_for
from tracker.web.context import page_title, signed_in, signed_in_page, today


def _describe(session, person, action_id=None, **_) -> str:
    action = actions.get_action(session, person.partnership_id, forms.to_int(action_id) or -1)
    return f"{action.ref} {action.title}"


dash.register_page(__name__, path_template="/action/<action_id>",
                   title=page_title("Action – CDP Delivery Tracker", _describe), name="Action")


def _href(path: str) -> str:
    return dash.get_relative_path(path)


# --- Details --------------------------------------------------------------------------------


def _flags(detail: actions.ActionDetail, by_code: dict[str, Rag], stale_days: int) -> html.Div:
    row = detail.row
    flags = []
    if row.overdue:
        flags.append(f"Overdue: it was due on {long_date(row.due_date)} and is not complete.")
    if row.stale:
        last = long_date(row.last_update) if row.last_update else "never"
        flags.append(f"Not updated: no update in the last {stale_days} days (last update: {last}).")
    if row.deteriorated:
        was = by_code.get(row.previous_rag)
        now = by_code.get(row.rag)
        flags.append(f"Deteriorating: the RAG went from {was.label if was else row.previous_rag} "
                     f"to {now.label if now else row.rag} at the last update.")
    if not flags:
        return html.P("No exceptions: not overdue, not deteriorating and updated recently.",
                      id="action-flags", className="mb-0")
    return html.Div([
        html.H2("Needs attention", className="h6 mb-1"),
        html.Ul([html.Li(html.Strong(text)) for text in flags], className="mb-0"),
    ], id="action-flags", className="alert alert-warning mb-0")


def _dl_row(term: str, value) -> list:
    return [html.Dt(term, className="col-sm-4 col-lg-3"), html.Dd(value, className="col-sm-8 col-lg-9")]


def render_details(session, detail: actions.ActionDetail) -> list:
    action, row = detail.action, detail.row
    pid = action.partnership_id
    scale = reference.rag_by_code(session, pid)
    stale_days = reference.get_partnership(session, pid).stale_after_days
    current = rag_for(scale, row.rag, row.status)
    outcomes = html.Ul([html.Li(f"{o.code} {o.name} ({o.kind})") for o in detail.outcomes],
                       className="mb-0 ps-3", id="action-outcomes") if detail.outcomes else "None linked"
    indicators = html.Ul([
        html.Li(f"{i.code} {i.name}" + (f" ({i.source})" if i.source else "")) for i in detail.indicators
    ], className="mb-0 ps-3", id="action-indicators") if detail.indicators else "None linked"
    theme = (html.A(row.theme, href=_href(f"/theme/{row.theme_id}")) if row.theme_id else "—")
    return [
        html.P([html.A(detail.subgroup.name, href=_href(f"/subgroup/{detail.subgroup.id}")), " › action"],
               className="small mb-1"),
        html.H1(f"{action.ref} {action.title}", className="h3", id="action-heading"),
        dbc.Alert(
            "Illustrative data: this action and its updates were made up to show how the tracker works; "
            "they are not the partnership's real plan.",
            color="info", id="illustrative-note", className="py-2",
        ) if action.illustrative else None,
        html.Div([
            html.Span("Current RAG: ", className="fw-semibold"),
            html.Span(rag_badge(current), id="action-current-rag"),
            html.Span(" Progress: ", className="fw-semibold ms-3"),
            html.Span(f"{row.progress}%", id="action-progress"),
            html.Span(  # a picture of the figure just given, so hidden from screen readers
                html.Span(style={"display": "block", "height": "100%", "width": f"{row.progress}%",
                                 "background": "#1d70b8"}),
                style={"display": "inline-block", "width": "8rem", "height": "0.7rem",
                       "border": "1px solid #505a5f", "background": "#ffffff"},
                className="ms-1", **{"aria-hidden": "true"}),
            html.Span(" Status: ", className="fw-semibold ms-3"),
            html.Span(status_label(action.status), id="action-status"),
        ], className="mb-2 d-flex flex-wrap align-items-center gap-1"),
        _flags(detail, scale, stale_days),
        html.Dl([
            *_dl_row("Subgroup", html.A(detail.subgroup.name, href=_href(f"/subgroup/{detail.subgroup.id}"),
                                        id="action-subgroup-link")),
            *_dl_row("Theme", theme),
            *_dl_row("Objective", row.objective or "—"),
            *_dl_row("Owner", html.Span(row.owner or "No owner", id="action-owner")),
            *_dl_row("Lead organisation", action.lead_organisation or "—"),
            *_dl_row("Start date", html.Span(long_date(action.start_date), id="action-start")),
            *_dl_row("Due date", html.Span(long_date(action.due_date), id="action-due")),
            *_dl_row("Source", action.source or "—"),
            *_dl_row("Linked outcomes", outcomes),
            *_dl_row("Linked indicators", indicators),
        ], className="row mt-3 mb-0"),
        html.Div([
            html.H2("Description", className="h6"),
            html.P(action.description, className="user-text mb-0", id="action-description"),
        ], className="mt-2") if action.description else None,
    ]


# --- History and the RAG-over-time chart -----------------------------------------------------


def _chart(entries: list[actions.HistoryEntry], scale: dict[str, Rag]) -> html.Figure:
    oldest_first = list(reversed(entries))
    rags = [scale.get(e.update.rag) for e in oldest_first]
    words = [r.label if r else e.update.rag for r, e in zip(rags, oldest_first, strict=True)]
    fig = go.Figure(go.Scatter(
        x=[e.update.update_date.isoformat() for e in oldest_first],
        y=[e.update.progress for e in oldest_first],
        mode="lines+markers+text",
        line={"shape": "hv", "color": "#505a5f", "width": 2},
        marker={"size": 14, "color": [r.colour if r else "#ffffff" for r in rags],
                "line": {"color": "#0b0c0c", "width": 1.5}},
        text=[f"{r.symbol} {w}" if r else w for r, w in zip(rags, words, strict=True)],
        textposition="top center",
        textfont={"color": "#0b0c0c"},
        customdata=[[long_date(e.update.update_date), w] for e, w in zip(oldest_first, words, strict=True)],
        hovertemplate="%{customdata[0]}<br>RAG: %{customdata[1]}<br>Progress: %{y}%<extra></extra>",
        showlegend=False,
    ))
    fig.update_layout(
        height=280, margin={"l": 10, "r": 20, "t": 30, "b": 30},
        plot_bgcolor="#ffffff", paper_bgcolor="#ffffff",
        yaxis={"range": [0, 110], "title": "Progress (%)", "tickvals": [0, 25, 50, 75, 100],
               "gridcolor": "#dddddd"},
        xaxis={"title": "", "tickformat": "%d %b %Y", "gridcolor": "#eeeeee"},
        font={"family": "system-ui, sans-serif", "size": 13, "color": "#0b0c0c"},
    )
    return fig


def _chart_summary(entries: list[actions.HistoryEntry], scale: dict[str, Rag]) -> str:
    oldest, newest = entries[-1].update, entries[0].update

    def word(code: str) -> str:
        return scale[code].label if code in scale else code

    if len(entries) == 1:
        return (f"One update, on {long_date(newest.update_date)}: {word(newest.rag)}, "
                f"{newest.progress}% progress.")
    path = ", ".join(f"{word(e.update.rag)} ({e.update.progress}%)" for e in reversed(entries))
    rags = {e.update.rag for e in entries}
    rag_story = (f"the RAG was {word(newest.rag)} throughout" if len(rags) == 1
                 else f"the RAG went from {word(oldest.rag)} to {word(newest.rag)}")
    progress_story = (f"progress stayed at {newest.progress}%" if oldest.progress == newest.progress
                      else f"progress went from {oldest.progress}% to {newest.progress}%")
    return (f"{len(entries)} updates from {long_date(oldest.update_date)} to {long_date(newest.update_date)}: "
            f"{progress_story}; {rag_story}. In order: {path}.")


def _timeline(entries: list[actions.HistoryEntry], scale: dict[str, Rag]) -> html.Ol:
    items = []
    for entry in entries:
        u = entry.update

        def part(label: str, text: str, name: str, u=u):
            if not text:
                return None
            return html.Div([html.H4(label, className="h6 mb-0 mt-2"),
                             html.P(text, className="user-text mb-0", id=f"history-{u.id}-{name}")])

        items.append(html.Li([
            html.H3([
                html.Span(long_date(u.update_date), className="history-date"), " ",
                rag_badge(scale.get(u.rag), small=True), " ",
                html.Span(f"{u.progress}%", className="history-progress"),
            ], className="h6 mb-1 d-flex flex-wrap gap-2 align-items-center"),
            html.P(f"Recorded by {entry.author}" + (" (illustrative data)" if u.illustrative else ""),
                   className="text-muted small mb-0 history-author"),
            part("Narrative", u.narrative, "narrative"),
            part("Next steps", u.next_steps, "next-steps"),
            part("Blockers", u.blockers, "blockers"),
        ], className="history-entry", id=f"history-{u.id}"))
    return html.Ol(items, className="timeline", id="history-list", **{"aria-label": "Updates, newest first"})


def render_history(session, detail: actions.ActionDetail) -> list:
    scale = reference.rag_by_code(session, detail.action.partnership_id)
    entries = detail.history
    if not entries:
        return [html.H2("History of updates", className="h5"),
                html.P("No updates have been recorded yet.", id="history-empty")]
    return [
        html.H2(f"History of updates ({len(entries)})", className="h5", id="history-heading"),
        html.Figure([
            dcc.Graph(id="rag-chart", figure=_chart(entries, scale),
                      config={"displayModeBar": False, "responsive": True}),
            html.Figcaption(_chart_summary(entries, scale), className="small text-muted", id="rag-chart-summary"),
        ], className="mb-3"),
        _timeline(entries, scale),
    ]


# --- Who may update -------------------------------------------------------------------------


def _who_can_update(session, detail: actions.ActionDetail) -> html.P:
    leads = [m.name for m in subgroups.members(session, detail.subgroup.id) if m.role in ("lead", "deputy")]
    owner = detail.row.owner
    parts = [f"its owner ({owner})" if owner else None,
             f"a lead of the {detail.subgroup.name}" + (f" ({', '.join(leads)})" if leads else ""),
             "an administrator"]
    text = ", ".join(p for p in parts[:-1] if p) + " or " + parts[-1]
    return html.P(f"Updates to this action are recorded by {text}. You can read its history here.",
                  id="update-not-allowed", className="card-section")


# --- The page -------------------------------------------------------------------------------


@signed_in_page("Sign in to see this action.")
def layout(session, person, action_id=None, **_):
    try:
        detail = actions.action_detail(session, person.partnership_id, forms.to_int(action_id) or -1, today())
    except NotFound:
        return not_found("Action not found", "There is no action with this address.", "/", "Go back to the overview",
                         "action-not-found")
    action = detail.action
    pid = person.partnership_id
    may_update = permissions.can_update_action(session, person, action)
    may_edit = permissions.can_edit_action(session, person, action)
    editing = None
    if may_edit:
        editing = edit_form(action, reference.objectives(session, pid),
                            _owner_choices(session, pid, action.owner_id),
                            reference.outcomes(session, pid), [o.id for o in detail.outcomes])
    return html.Div([
        dcc.Store(id="action-id", data=action.id),
        dcc.Store(id="edit-version", data=action.version),
        html.Div(render_details(session, detail), id="action-details", className="card-section"),
        editing,
        (update_form(reference.rag_scale(session, pid), today()) if may_update
         else _who_can_update(session, detail)),
        html.Section(render_history(session, detail), id="action-history", className="card-section",
                     **{"aria-live": "polite"}),
    ])


def _owner_choices(session, partnership_id: int, owner_id: int | None):
    people = reference.people(session, partnership_id)
    if owner_id is not None and all(p.id != owner_id for p in people):
        try:  # keep a former member who still owns the action visible, so the form tells the truth
            people.append(reference.get_person(session, partnership_id, owner_id))
        except NotFound:
            pass
    return people


# --- Record an update -----------------------------------------------------------------------


@callback(
    Output("update-message", "children"),
    *forms.field_outputs(UPDATE_FIELDS.values(), ERROR_SUFFIX),
    Output("update-date", "value"),
    Output("update-rag", "value"),
    Output("update-progress", "value"),
    Output("update-narrative", "value"),
    Output("update-next-steps", "value"),
    Output("update-blockers", "value"),
    Output("action-details", "children"),
    Output("action-history", "children"),
    Output("edit-version", "data"),
    Input("update-submit", "n_clicks"),
    State("action-id", "data"),
    State("update-date", "value"),
    State("update-rag", "value"),
    State("update-progress", "value"),
    State("update-narrative", "value"),
    State("update-next-steps", "value"),
    State("update-blockers", "value"),
    prevent_initial_call=True,
)
def record_update(_clicks, action_id, update_date, rag, progress, narrative, next_steps, blockers):
    unchanged = [no_update] * 9  # the six field values, the details, the history, the version
    no_errors = forms.field_values(UPDATE_FIELDS, {})
    data = {
        "update_date": update_date or "",
        "rag": rag or "",
        # A number field the browser finds invalid (e.g. 150 above its maximum) arrives empty.
        "progress": "" if progress is None else progress,
        "narrative": narrative or "",
        "next_steps": next_steps or "",
        "blockers": blockers or "",
    }
    try:
        with signed_in() as (session, person):
            update = actions.record_status_update(session, person, forms.to_int(action_id) or -1, data, today())
            session.flush()
            detail = actions.action_detail(session, person.partnership_id, update.action_id, today())
            rag_word = reference.rag_by_code(session, person.partnership_id)[update.rag].label
            message = dbc.Alert(
                f"Update recorded: {rag_word}, {update.progress}% on {long_date(update.update_date)}. "
                "It is now at the top of the history.",
                color="success", id="update-success",
            )
            return [
                message, *no_errors,
                today().isoformat(), "", None, "", "", "",
                render_details(session, detail), render_history(session, detail), detail.action.version,
            ]
    except InvalidInput as exc:
        summary = forms.error_summary(exc.errors, UPDATE_FIELDS, UPDATE_LABELS, "update-error-summary")
        return [summary, *forms.field_values(UPDATE_FIELDS, exc.errors), *unchanged]
    except (PermissionDenied, NotFound) as exc:
        return [dbc.Alert(str(exc), color="danger", id="update-denied"), *no_errors, *unchanged]


@callback(
    Output("edit-status", "value"),
    Input("edit-version", "data"),
    State("action-id", "data"),
    prevent_initial_call=True,
)
def follow_status(_version, action_id):
    """An update can change the action's status (Blue completes it): keep the edit form in step,
    so saving the form does not quietly put the old status back."""
    try:
        with signed_in() as (session, person):
            return actions.get_action(session, person.partnership_id, forms.to_int(action_id) or -1).status
    except (PermissionDenied, NotFound):
        return no_update


# --- Edit the action ------------------------------------------------------------------------


@callback(
    Output("edit-message", "children"),
    *forms.field_outputs(EDIT_FIELDS.values(), ERROR_SUFFIX),
    Output("edit-outcomes-error", "children"),
    Output("action-details", "children", allow_duplicate=True),
    Output("edit-version", "data", allow_duplicate=True),
    Input("edit-submit", "n_clicks"),
    State("action-id", "data"),
    State("edit-version", "data"),
    State("edit-title", "value"),
    State("edit-description", "value"),
    State("edit-objective", "value"),
    State("edit-owner", "value"),
    State("edit-lead-organisation", "value"),
    State("edit-start", "value"),
    State("edit-due", "value"),
    State("edit-status", "value"),
    State({"type": OUTCOME_CHECKBOX, "index": ALL}, "value"),
    State({"type": OUTCOME_CHECKBOX, "index": ALL}, "id"),
    prevent_initial_call=True,
)
def save_edit(_clicks, action_id, version, title, description, objective, owner, lead_org, start, due, status,
              outcome_checked, outcome_ids):
    unchanged = [no_update, no_update]
    no_errors = [*forms.field_values(EDIT_FIELDS, {}), ""]
    try:
        with signed_in() as (session, person):
            action = actions.get_action(session, person.partnership_id, forms.to_int(action_id) or -1)
            data = {
                # Not on this form: the service keeps the subgroup, source, flag and indicators as they are.
                "title": title or "",
                "description": description or "",
                "objective_id": forms.to_int(objective),
                "owner_id": forms.to_int(owner),
                "lead_organisation": lead_org or "",
                "start_date": start or None,
                "due_date": due or None,
                "status": status or "",
                "outcome_ids": [i["index"] for i, checked in zip(outcome_ids, outcome_checked, strict=False)
                                if checked and isinstance(i, dict)],
            }
            expected = forms.to_int(version)
            saved = actions.edit_action(session, person, action.id, expected if expected is not None else -1, data)
            detail = actions.action_detail(session, person.partnership_id, saved.id, today())
            return [
                dbc.Alert(f"Saved the changes to {saved.ref}.", color="success", id="edit-success"),
                *no_errors, render_details(session, detail), saved.version,
            ]
    except InvalidInput as exc:
        summary = forms.error_summary(exc.errors, EDIT_FIELDS | {"outcome_ids": "edit-outcomes-error"},
                                      EDIT_LABELS, "edit-error-summary")
        return [summary, *forms.field_values(EDIT_FIELDS, exc.errors), exc.errors.get("outcome_ids", ""),
                *unchanged]
    except Conflict as exc:
        return [dbc.Alert([
            html.Strong("Not saved. "), str(exc), " ",
            html.A("Reload this action", href=_href(f"/action/{action_id}"), className="alert-link"),
        ], color="danger", id="edit-conflict"), *no_errors, *unchanged]
    except (PermissionDenied, NotFound) as exc:
        return [dbc.Alert(str(exc), color="danger", id="edit-denied"), *no_errors, *unchanged]
