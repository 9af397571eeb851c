"""My actions: a lead's and an owner's own page. The actions they own and, for a subgroup lead, every
open action of their subgroups, those due an update first; the next board and its deadline at the
top; an inline update form on every row (the action page's service, so the same rules), saved row by
row without a page load; the maturity ratings waiting for them."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, ctx, html

from tracker.formatting import long_date
from tracker.services import actions, my_actions, permissions, reference
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.my_actions import (
    FIGURES,
    LABELS,
    MESSAGE,
    ROW_FIELDS,
    SAVE,
    action_row,
    deadline_notice,
    field_ids,
    figures,
    ratings_waiting,
)
from tracker.web.context import signed_in, signed_in_page, today

dash.register_page(__name__, path="/my-actions", title="My actions – CDP Delivery Tracker", name="My actions",
                   nav={"order": 15, "label": "My actions", "roles": ("admin", "chair", "member")})


def _intro(view: my_actions.MyActions) -> html.P:
    if not view.rows:
        return html.P("You own no actions and lead no subgroup, so there is nothing for you to update.",
                      id="myact-empty")
    since = (f" since the last board on {long_date(view.period.start)}" if view.period.start else "")
    return html.P([
        html.Strong(f"{view.due_count} of {len(view.rows)}", id="myact-due-count"),
        f" {'is' if view.due_count == 1 else 'are'} due an update: open, with no update{since}. "
        "They are listed first. Save each update on its row; the page stays where it is.",
    ], id="myact-intro")


@signed_in_page("Sign in to see your actions.")
def layout(session, person, **_):
    view = my_actions.my_actions(session, person, today())
    pid = person.partnership_id
    scale = reference.rag_scale(session, pid)
    by_code = {r.code: r for r in scale}
    chair_link = None
    if permissions.is_admin(person) or permissions.is_chair(person):
        chair_link = html.P(html.A("See everyone's outstanding updates", href=dash.get_relative_path("/reminders"),
                                   id="myact-reminders-link"))
    rows = [action_row(item, scale, by_code, today(), person.role != "viewer") for item in view.rows]
    return html.Div([
        html.H1("My actions", className="h3", id="myact-heading"),
        chair_link,
        deadline_notice(view.next_meeting, today()),
        ratings_waiting(view),
        html.Section([
            html.H2(f"Your actions ({len(view.rows)})", className="h5", id="myact-list-heading"),
            _intro(view),
            html.Div(rows, id="myact-rows"),
        ], **{"aria-labelledby": "myact-list-heading"}),
    ])


def _summary(errors: dict[str, str], action_id: int) -> dbc.Alert:
    return forms.error_summary(errors, field_ids(action_id), LABELS, summary_id=f"myact-errors-{action_id}")


@callback(
    Output({"type": MESSAGE, "action": MATCH}, "children"),
    Output({"type": FIGURES, "action": MATCH}, "children"),
    *[Output({"type": kind, "action": MATCH}, "invalid") for kind in ROW_FIELDS.values()],
    Input({"type": SAVE, "action": MATCH}, "n_clicks"),
    *[State({"type": kind, "action": MATCH}, "value") for kind in ROW_FIELDS.values()],
)
def save_row(_clicks, update_date, rag, progress, narrative):
    """Record one row's update with the action page's service; show the outcome beside that row."""
    unchanged = [dash.no_update] * (1 + len(ROW_FIELDS))
    trigger = ctx.triggered_id
    action_id = forms.to_int(trigger.get("action")) if isinstance(trigger, dict) else None
    if action_id is None:
        return [dbc.Alert("This row is not an action: reload the page.", color="danger"), *unchanged]
    data = {
        "update_date": update_date or "",
        "rag": rag or "",
        "progress": "" if progress is None else progress,
        "narrative": narrative or "",
    }
    try:
        with signed_in() as (session, person):
            update = actions.record_status_update(session, person, action_id, data, today())
            session.flush()
            item = my_actions.my_action_row(session, person, action_id, today())
            row = item.row if item else actions.action_detail(session, person.partnership_id, action_id, today()).row
            scale = reference.rag_by_code(session, person.partnership_id)
            message = dbc.Alert(
                f"Saved: {scale[update.rag].label}, {update.progress}% on {long_date(update.update_date)}.",
                color="success", className="myact-success py-2 mb-0")
            return [message, figures(row, bool(item and item.due_update), scale), *[False] * len(ROW_FIELDS)]
    except InvalidInput as exc:
        return [_summary(exc.errors, action_id), dash.no_update, *[name in exc.errors for name in ROW_FIELDS]]
    except (PermissionDenied, NotFound) as exc:
        return [dbc.Alert(str(exc), color="danger", className="myact-refused py-2 mb-0"), *unchanged]
