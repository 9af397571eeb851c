"""One action of the delivery plan: its details, the history of its status updates, a RAG-over-time
chart, and (for those allowed) forms to record an update and to edit the action.

The page's view model is tracker.services.actions.action_page; the parts are pure functions of it
(tracker.web.components.action_view, .action_forms). A save answers its form (message, each field's
flag and message) and bumps the refresh Store; the refresh callback then re-renders the details and
the history from the database.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from tracker.formatting import long_date
from tracker.services import action_views, actions
from tracker.services.errors import Conflict, InvalidInput, NotFound
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.action_forms import (
    EDIT_FIELDS,
    EDIT_FORM,
    EDIT_LABELS,
    EDIT_NAMES,
    ERROR_SUFFIX,
    LATE_REASON,
    OUTCOME_CHECKBOX,
    UPDATE_FIELDS,
    UPDATE_FORM,
    UPDATE_LABELS,
    UPDATE_NAMES,
    action_details,
    edit_form,
    edit_id,
    update_form,
)
from tracker.web.components.action_view import render_details, render_history, who_can_update
from tracker.web.components.notices import not_found
from tracker.web.components.slippage import due_dates_section
from tracker.web.context import page_title, run_service, signed_in_page, today


def _describe(session, person, action_id=None, **_) -> str:
    action = action_views.get_action(session, person.partnership_id, forms.to_int(action_id) or -1)
    return f"{action.ref} {action.title}"


dash.register_page(__name__, path_template="/action/<action_id>",
                   title=page_title("Action – CDP Delivery Tracker", _describe), name="Action")


@signed_in_page("Sign in to see this action.")
def layout(session, person, action_id=None, **_):
    try:
        page = action_views.action_page(session, person, forms.to_int(action_id) or -1, today())
    except NotFound:
        return not_found("Action not found", "There is no action with this address.", "/", "Go back to the overview",
                         "action-not-found")
    detail = page.detail
    return html.Div([
        dcc.Store(id="action-id", data=detail.action.id),
        dcc.Store(id="edit-version", data=detail.action.version),
        dcc.Store(id="action-refresh", data=0),
        html.Div(render_details(detail), id="action-details", className="card-section"),
        html.Section(render_due_dates(detail), id="action-due-dates", className="card-section",
                     **{"aria-labelledby": "due-dates-heading"}),
        edit_form(detail.action, page.edit, [o.id for o in detail.outcomes], admin=page.may_change_locked)
        if page.may_edit else None,
        update_form(detail.scale, today(), admin=page.may_change_locked) if page.may_update else who_can_update(page),
        html.Section(render_history(detail), id="action-history", className="card-section",
                     **{"aria-live": "polite"}),
    ])


def render_due_dates(detail: action_views.ActionDetail) -> list:
    return due_dates_section(detail.row.original_due_date, detail.row.due_date, detail.row.days_slipped,
                             detail.due_changes)


def _late_reason_errors(errors: dict) -> dict:
    """The lock's message for a missing reason (its field "reason") belongs to the late-reason field."""
    errors = dict(errors)
    if "reason" in errors:
        errors[LATE_REASON] = errors.pop("reason")
    return errors


@callback(
    Output("action-details", "children"),
    Output("action-due-dates", "children"),
    Output("action-history", "children"),
    Input("action-refresh", "data"),
    State("action-id", "data"),
)
def refresh(_count, action_id):
    """After a save: the details and the history as they now are."""
    detail, error = run_service(lambda session, person: action_views.action_detail(
        session, person.partnership_id, forms.to_int(action_id) or -1, today()))
    if error:
        return no_update, no_update, no_update
    return render_details(detail), render_due_dates(detail), render_history(detail)


def _edit_values(reset: bool) -> list:
    """The edit form's values output (an allow_duplicate output, so found by its id): after a save the
    two reasons are emptied, each being for one change; every other field is left as it is."""
    group = next((g for g in ctx.outputs_list or [] if isinstance(g, list) and g
                  and g[0]["id"].get("form") == EDIT_FORM and g[0]["property"].startswith("value")), [])
    emptied = ("due_date_reason", LATE_REASON) if reset else ()
    return ["" if o["id"].get("field") in emptied else no_update for o in group]



# --- Record an update -----------------------------------------------------------------------


@callback(
    Output("update-message", "children"),
    *forms.form_outputs(UPDATE_FORM, ERROR_SUFFIX),
    forms.form_values_output(UPDATE_FORM),
    Output("edit-version", "data"),
    Output("action-refresh", "data"),
    Input("update-submit", "n_clicks"),
    State("action-id", "data"),
    *forms.form_states(UPDATE_FORM),
    State("action-refresh", "data"),
)
def record_update(_clicks, action_id, field_ids, field_values, refresh_count):
    values = forms.read_form(field_ids, field_values, [*UPDATE_NAMES, LATE_REASON])
    data = {name: values.get(name) or "" for name in UPDATE_NAMES}
    # A number field the browser finds invalid (e.g. 150 above its maximum) arrives empty.
    data["progress"] = "" if values.get("progress") is None else values["progress"]
    recorded, error = run_service(lambda session, person: actions.record_update(
        session, person, forms.to_int(action_id) or -1, data, today(), late_reason=values.get(LATE_REASON) or None))
    if error:
        errors = _late_reason_errors(error.errors) if isinstance(error, InvalidInput) else {}
        message = (forms.error_summary(errors, UPDATE_FIELDS, UPDATE_LABELS, "update-error-summary") if errors
                   else dbc.Alert(str(error), color="danger", id="update-denied"))
        return (message, *forms.form_feedback(UPDATE_FORM, errors, ERROR_SUFFIX), forms.form_unchanged(UPDATE_FORM),
                no_update, no_update)
    update = recorded.update
    message = dbc.Alert(
        f"Update recorded: {recorded.rag_label}, {update.progress}% on {long_date(update.update_date)}. "
        "It is now at the top of the history.",
        color="success", id="update-success",
    )
    emptied = forms.form_reset(UPDATE_FORM, {"update_date": today().isoformat(), "progress": None})
    return (message, *forms.form_feedback(UPDATE_FORM, {}, ERROR_SUFFIX), emptied, recorded.action_version,
            forms.bumped(refresh_count))


@callback(
    Output(edit_id("status"), "value"),
    Input("edit-version", "data"),
    State("action-id", "data"),
)
def follow_status(_version, action_id):
    """An update can change the action's status (Blue completes it): keep the edit form in step,
    so saving the form does not quietly put the old status back."""
    status, error = run_service(lambda session, person: action_views.get_action(
        session, person.partnership_id, forms.to_int(action_id) or -1).status)
    return no_update if error else status


# --- Edit the action ------------------------------------------------------------------------


@callback(
    Output("edit-message", "children"),
    *forms.form_outputs(EDIT_FORM, ERROR_SUFFIX),
    # The status field is also kept in step by follow_status, hence allow_duplicate.
    Output(forms.form_field(EDIT_FORM, ALL), "value", allow_duplicate=True),
    Output("edit-outcomes-error", "children"),
    Output("edit-version", "data", allow_duplicate=True),
    Output("action-refresh", "data", allow_duplicate=True),
    Input("edit-submit", "n_clicks"),
    State("action-id", "data"),
    State("edit-version", "data"),
    *forms.form_states(EDIT_FORM),
    *forms.ticked_states(OUTCOME_CHECKBOX),
    State("action-refresh", "data"),
)
def save_edit(_clicks, action_id, version, field_ids, field_values, outcome_ids, outcome_checked, refresh_count):
    values = forms.read_form(field_ids, field_values, [*EDIT_NAMES, LATE_REASON])
    data = {
        # Not on this form: the service keeps the subgroup, source, flag and indicators as they are.
        **action_details(values),
        "status": values.get("status") or "",
        "due_date_reason": values.get("due_date_reason") or "",
        "outcome_ids": forms.ticked_ids(outcome_ids, outcome_checked),
    }
    expected = forms.to_int(version)
    saved, error = run_service(lambda session, person: actions.edit_action(
        session, person, forms.to_int(action_id) or -1, expected if expected is not None else -1, data,
        late_reason=values.get(LATE_REASON) or None))
    if isinstance(error, InvalidInput):
        errors = _late_reason_errors(error.errors)
        summary = forms.error_summary(errors, EDIT_FIELDS | {"outcome_ids": "edit-outcomes-error"},
                                      EDIT_LABELS, "edit-error-summary")
        return (summary, *forms.form_feedback(EDIT_FORM, errors, ERROR_SUFFIX),
                _edit_values(reset=False), errors.get("outcome_ids", ""), no_update, no_update)
    if isinstance(error, Conflict):
        message = dbc.Alert([
            html.Strong("Not saved. "), str(error), " ",
            html.A("Reload this action", href=dash.get_relative_path(f"/action/{action_id}"), className="alert-link"),
        ], color="danger", id="edit-conflict")
    elif error:
        message = dbc.Alert(str(error), color="danger", id="edit-denied")
    else:
        message = dbc.Alert(f"Saved the changes to {saved.ref}.", color="success", id="edit-success")
    done = error is None
    # After a save the reasons are emptied: each is for one change.
    return (message, *forms.form_feedback(EDIT_FORM, {}, ERROR_SUFFIX), _edit_values(reset=done), "",
            saved.version if done else no_update, forms.bumped(refresh_count) if done else no_update)
