"""The two forms of the action page: record a status update, and edit the action's details.

Native controls only (dbc.Input, dbc.Select, dbc.Textarea, dbc.Checkbox), each a forms.field: a
dbc.Label tied to it, and the place beside it where the service's message for that field goes. Each
control's id is forms.form_field(UPDATE_FORM or EDIT_FORM, <the service's field name>), so one
callback reads and answers the whole form (tracker.web.pages.action).
"""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import html

from tracker.formatting import status_label
from tracker.models import ACTION_STATUSES, Action
from tracker.services.action_views import EditChoices
from tracker.services.reference import Rag
from tracker.web.components import forms
from tracker.web.components.rag import rag_legend

UPDATE_FORM = "update"
EDIT_FORM = "edit"
ERROR_SUFFIX = "error"  # each field's message goes to {"form": "<form>-error", "field": <name>}
UPDATE_NAMES = ["update_date", "rag", "progress", "narrative", "next_steps", "blockers"]
EDIT_NAMES = ["title", "description", "objective_id", "owner_id", "lead_organisation", "start_date", "due_date",
              "status", "due_date_reason"]
LATE_REASON = "late_reason"  # on both forms, for administrators only (tracker.services.board.locks)
# service field name -> component id (error_summary's links)
UPDATE_FIELDS = forms.form_fields(UPDATE_FORM, [*UPDATE_NAMES, LATE_REASON])
EDIT_FIELDS = forms.form_fields(EDIT_FORM, [*EDIT_NAMES, LATE_REASON])
OUTCOME_CHECKBOX = "edit-outcome"


def action_details(values: dict) -> dict:
    """The details the add and the edit form both have, from their values (forms.read_form), as
    actions.create_action and actions.edit_action take them: the service checks each one."""
    return {
        "title": values.get("title") or "",
        "description": values.get("description") or "",
        "objective_id": forms.to_int(values.get("objective_id")),
        "owner_id": forms.to_int(values.get("owner_id")),
        "lead_organisation": values.get("lead_organisation") or "",
        "start_date": values.get("start_date") or None,
        "due_date": values.get("due_date") or None,
    }


def update_id(name: str) -> dict:
    return forms.form_field(UPDATE_FORM, name)


def edit_id(name: str) -> dict:
    return forms.form_field(EDIT_FORM, name)


UPDATE_LABELS = {
    "update_date": "Date of the update", "rag": "RAG", "progress": "Progress (%)", "narrative": "Narrative",
    "next_steps": "Next steps", "blockers": "Blockers",
    LATE_REASON: "Reason for changing a locked period (administrators)",
}
EDIT_LABELS = {
    "title": "Title", "description": "Description", "objective_id": "Objective", "owner_id": "Owner",
    "lead_organisation": "Lead organisation", "start_date": "Start date", "due_date": "Due date",
    "status": "Status", "outcome_ids": "Linked outcomes", "subgroup_id": "Subgroup",
    "indicator_ids": "Linked indicators",
    "due_date_reason": "Reason for changing the due date",
    LATE_REASON: "Reason for changing a locked period (administrators)",
}
LATE_HINT = ("Only needed when this change is dated in a period locked after its board. It is audited and "
             "the next board report flags the change.")


def field(label: str, control, hint: str | None = None) -> html.Div:
    return forms.field(label, control, hint, error_suffix=ERROR_SUFFIX)


def rag_options(scale: list[Rag]) -> list[dict]:
    """Word, symbol and the partnership's definition in each option: never colour alone. The word comes
    first so that typing its first letter in the closed select picks it ("A" for Amber)."""
    return [{"label": "Choose a RAG", "value": ""}] + [
        {"label": f"{r.label} {r.symbol} — {r.definition}", "value": r.code} for r in scale
    ]


def late_reason_field(form: str, labels: dict) -> html.Div:
    """The reason an administrator gives for changing a locked period (shown to administrators only)."""
    return field(labels[LATE_REASON],
                 dbc.Textarea(id=forms.form_field(form, LATE_REASON), rows=2, maxLength=2000, value=""),
                 hint=LATE_HINT)


def update_form(scale: list[Rag], today: date, admin: bool = False) -> html.Section:
    return html.Section([
        html.H2("Record an update", className="h5", id="update-heading"),
        html.P("Each update is added to the history; earlier updates are never changed.",
               className="text-muted small"),
        html.Div(id="update-message", **{"aria-live": "polite"}),
        dbc.Row([
            dbc.Col([
                dbc.Row([
                    dbc.Col(field(UPDATE_LABELS["update_date"],
                                  dbc.Input(id=update_id("update_date"), type="date", value=today.isoformat(),
                                            max=today.isoformat())), md=3),
                    dbc.Col(field(UPDATE_LABELS["rag"],
                                  forms.select(update_id("rag"), rag_options(scale), "")), md=6),
                    dbc.Col(field(UPDATE_LABELS["progress"],
                                  dbc.Input(id=update_id("progress"), type="number", min=0, max=100, step=1,
                                            inputmode="numeric")), md=3),
                ], className="g-2"),
                field(UPDATE_LABELS["narrative"],
                      dbc.Textarea(id=update_id("narrative"), rows=4, maxLength=5000, value=""),
                      hint="Required for any RAG other than Green: what has happened and why."),
                field(UPDATE_LABELS["next_steps"],
                      dbc.Textarea(id=update_id("next_steps"), rows=2, maxLength=5000, value="")),
                field(UPDATE_LABELS["blockers"],
                      dbc.Textarea(id=update_id("blockers"), rows=2, maxLength=5000, value="")),
                late_reason_field(UPDATE_FORM, UPDATE_LABELS) if admin else None,
                dbc.Button("Record the update", id="update-submit", color="primary", n_clicks=0),
            ], lg=8),
            dbc.Col(rag_legend(scale, heading_id="update-rag-legend-heading", open=True), lg=4, className="mt-3 mt-lg-0"),
        ]),
    ], className="card-section", id="update-section", **{"aria-labelledby": "update-heading"})


def edit_form(action: Action, choices: EditChoices, linked_outcome_ids: list[int], admin: bool = False) -> html.Details:
    objectives, people, outcomes = choices.objectives, choices.owners, choices.outcomes
    owners = forms.select_options([
        (p.id, f"{p.name}{', ' + p.organisation if p.organisation else ''}"
               f"{'' if p.is_active else ' (no longer active)'}")
        for p in people
    ], blank="No owner")
    linked = set(linked_outcome_ids)
    return forms.folded_form("Edit the action's details", (
        "Saving is refused if someone else has changed the action since you opened this page, so nobody's "
        "change is overwritten."), "edit-message", [
        field(EDIT_LABELS["title"], dbc.Input(id=edit_id("title"), value=action.title, maxLength=300)),
        field(EDIT_LABELS["description"],
              dbc.Textarea(id=edit_id("description"), value=action.description, rows=3, maxLength=5000)),
        dbc.Row([
            dbc.Col(field(EDIT_LABELS["objective_id"], forms.select(
                edit_id("objective_id"), forms.select_options([(o.id, f"{o.code} {o.title}") for o in objectives],
                                                       blank="No objective"),
                action.objective_id,
            )), md=6),
            dbc.Col(field(EDIT_LABELS["owner_id"], forms.select(edit_id("owner_id"), owners, action.owner_id)), md=6),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(field(EDIT_LABELS["lead_organisation"],
                          dbc.Input(id=edit_id("lead_organisation"), value=action.lead_organisation,
                                    maxLength=200)), md=6),
            dbc.Col(field(EDIT_LABELS["status"], dbc.Select(
                id=edit_id("status"), value=action.status,
                options=[{"label": status_label(s), "value": s} for s in ACTION_STATUSES],
            )), md=6),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(field(EDIT_LABELS["start_date"], dbc.Input(
                id=edit_id("start_date"), type="date", value=action.start_date.isoformat() if action.start_date else "",
            )), md=6),
            dbc.Col(field(EDIT_LABELS["due_date"], dbc.Input(
                id=edit_id("due_date"), type="date", value=action.due_date.isoformat() if action.due_date else "",
            )), md=6),
        ], className="g-2"),
        field(EDIT_LABELS["due_date_reason"],
              dbc.Textarea(id=edit_id("due_date_reason"), rows=2, maxLength=2000, value=""),
              hint="Required when you change the due date: the original due date is kept, and the board "
                   "sees each change with its reason."),
        html.Fieldset([
            html.Legend(EDIT_LABELS["outcome_ids"], className="fs-6 fw-semibold mb-1"),
            html.P("The national outcomes this action contributes to.", className="form-text mt-0 mb-1"),
            *[
                dbc.Checkbox(id={"type": OUTCOME_CHECKBOX, "index": o.id}, value=o.id in linked,
                             label=f"{o.code} {o.name} ({o.kind})", class_name="mb-1")
                for o in outcomes
            ],
            html.Div(id="edit-outcomes-error", className="invalid-feedback d-block"),
        ], className="mb-3"),
        late_reason_field(EDIT_FORM, EDIT_LABELS) if admin else None,
        dbc.Button("Save the changes", id="edit-submit", color="primary", n_clicks=0),
    ], summary_id="edit-summary", section_id="edit-section", summary_class="edit-summary")


# --- Add an action (the subgroup page) ------------------------------------------------------------

ADD_FORM = "add-action"
ADD_NAMES = ["title", "description", "objective_id", "owner_id", "lead_organisation", "start_date", "due_date"]
ADD_FIELDS = forms.form_fields(ADD_FORM, ADD_NAMES)
ADD_OUTCOME_CHECKBOX = "add-action-outcome"


def add_id(name: str) -> dict:
    return forms.form_field(ADD_FORM, name)


def add_action_form(choices: EditChoices, subgroup_name: str) -> html.Details:
    """A folded form on the subgroup page: a new action of this subgroup's plan (lead or admin)."""
    owners = forms.select_options([(p.id, f"{p.name}{', ' + p.organisation if p.organisation else ''}")
                                   for p in choices.owners if p.is_active], blank="No owner")
    objectives = forms.select_options([(o.id, f"{o.code} {o.title}") for o in choices.objectives],
                                      blank="No objective")
    return forms.folded_form("Add an action", (
        f"The action is added to the {subgroup_name} plan with the next reference. Its due date becomes its "
        "original due date: later changes are kept with their reasons."), "add-action-message", [
        field(EDIT_LABELS["title"], dbc.Input(id=add_id("title"), value="", maxLength=300)),
        field(EDIT_LABELS["description"], dbc.Textarea(id=add_id("description"), value="", rows=3, maxLength=5000)),
        dbc.Row([
            dbc.Col(field(EDIT_LABELS["objective_id"], forms.select(add_id("objective_id"), objectives, "")), md=6),
            dbc.Col(field(EDIT_LABELS["owner_id"], forms.select(add_id("owner_id"), owners, "")), md=6),
        ], className="g-2"),
        field(EDIT_LABELS["lead_organisation"], dbc.Input(id=add_id("lead_organisation"), value="", maxLength=200)),
        dbc.Row([
            dbc.Col(field(EDIT_LABELS["start_date"], dbc.Input(id=add_id("start_date"), type="date", value="")), md=6),
            dbc.Col(field(EDIT_LABELS["due_date"], dbc.Input(id=add_id("due_date"), type="date", value="")), md=6),
        ], className="g-2"),
        html.Fieldset([
            html.Legend(EDIT_LABELS["outcome_ids"], className="fs-6 fw-semibold mb-1"),
            html.P("The national outcomes this action contributes to.", className="form-text mt-0 mb-1"),
            *[dbc.Checkbox(id={"type": ADD_OUTCOME_CHECKBOX, "index": o.id}, value=False,
                           label=f"{o.code} {o.name} ({o.kind})", class_name="mb-1") for o in choices.outcomes],
            html.Div(id="add-action-outcomes-error", className="invalid-feedback d-block"),
        ], className="mb-3"),
        dbc.Button("Add the action", id="add-action-submit", color="primary", n_clicks=0),
    ], summary_id="add-action-summary", section_id="add-action-section", summary_class="edit-summary")
