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
from tracker.services.actions import EditChoices
from tracker.services.reference import Rag
from tracker.web.components import forms
from tracker.web.components.rag import rag_legend

UPDATE_FORM = "update"
EDIT_FORM = "edit"
ERROR_SUFFIX = "error"  # each field's message goes to {"form": "<form>-error", "field": <name>}
UPDATE_NAMES = ["update_date", "rag", "progress", "narrative", "next_steps", "blockers"]
EDIT_NAMES = ["title", "description", "objective_id", "owner_id", "lead_organisation", "start_date", "due_date",
              "status"]
# service field name -> component id (error_summary's links)
UPDATE_FIELDS = forms.form_fields(UPDATE_FORM, UPDATE_NAMES)
EDIT_FIELDS = forms.form_fields(EDIT_FORM, EDIT_NAMES)
OUTCOME_CHECKBOX = "edit-outcome"


def update_id(name: str) -> dict:
    return forms.form_field(UPDATE_FORM, name)


def edit_id(name: str) -> dict:
    return forms.form_field(EDIT_FORM, name)


UPDATE_LABELS = {
    "update_date": "Date of the update", "rag": "RAG", "progress": "Progress (%)", "narrative": "Narrative",
    "next_steps": "Next steps", "blockers": "Blockers",
}
EDIT_LABELS = {
    "title": "Title", "description": "Description", "objective_id": "Objective", "owner_id": "Owner",
    "lead_organisation": "Lead organisation", "start_date": "Start date", "due_date": "Due date",
    "status": "Status", "outcome_ids": "Linked outcomes", "subgroup_id": "Subgroup",
    "indicator_ids": "Linked indicators",
}


def field(label: str, control, hint: str | None = None) -> html.Div:
    return forms.field(label, control, hint, error_suffix=ERROR_SUFFIX)


def rag_options(scale: list[Rag]) -> list[dict]:
    """Symbol, word and the partnership's definition in each option: never colour alone."""
    return [{"label": "Choose a RAG", "value": ""}] + [
        {"label": f"{r.symbol} {r.label} — {r.definition}", "value": r.code} for r in scale
    ]


def update_form(scale: list[Rag], today: date) -> html.Section:
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
                dbc.Button("Record the update", id="update-submit", color="primary", n_clicks=0),
            ], lg=8),
            dbc.Col(rag_legend(scale, heading_id="update-rag-legend-heading"), lg=4, className="mt-3 mt-lg-0"),
        ]),
    ], className="card-section", id="update-section", **{"aria-labelledby": "update-heading"})


def edit_form(action: Action, choices: EditChoices, linked_outcome_ids: list[int]) -> html.Details:
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
        dbc.Button("Save the changes", id="edit-submit", color="primary", n_clicks=0),
    ], summary_id="edit-summary", section_id="edit-section", summary_class="edit-summary")
