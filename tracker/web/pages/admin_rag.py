"""Admin: the partnership's RAG scale and the words that define each colour.

The definitions written here are the ones shown wherever a RAG is picked or shown (the legend on the
overview, the update form of an action), through tracker.services.reference.rag_scale.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, ctx, dcc, html, no_update

from tracker.models import RagLevel
from tracker.services import rag_scale as admin
from tracker.services import reference
from tracker.services.errors import InvalidInput
from tracker.services.permissions import require_admin
from tracker.services.reference import Rag
from tracker.web.callbacks import callback
from tracker.web.components.forms import (
    error_summary,
    field,
    form_feedback,
    read_form,
    select,
    select_options,
)
from tracker.web.components.notices import back_link, status_message
from tracker.web.components.rag import rag_badge
from tracker.web.context import admin_page, run_service

dash.register_page(__name__, path="/admin/rag", title="RAG scale – Admin – CDP Delivery Tracker", name="RAG scale")

LEVEL_FIELDS = ("label", "definition", "colour")
LEVEL_LABELS = {"label": "Label", "colour": "Colour (hex code)", "definition": "What it means (definition)"}
LEVEL_FORM = "rag"  # each level's fields are {"form": "rag", "code": <level>, "field": <the service's name>}


def _level_id(name, code) -> dict:
    """The id of a field of one level's form; in a callback `code` is MATCH and `name` ALL, so one
    output answers every field of the level that was saved."""
    return {"form": LEVEL_FORM, "code": code, "field": name}


def _rag(level: RagLevel) -> Rag:
    return Rag(level.code, level.label, level.definition, level.colour, level.text_colour, level.symbol, level.severity)


def _loaded(level: RagLevel) -> dict:
    return {name: getattr(level, name) for name in LEVEL_FIELDS}


def level_form(level: RagLevel) -> html.Section:
    code = level.code
    ids = {name: _level_id(name, code) for name in LEVEL_FIELDS}
    heading_id = f"rag-heading-{code}"
    return html.Section([
        html.H3([html.Span(rag_badge(_rag(level)), id={"type": "rag-preview", "code": code}),
                 html.Span(f" ({code.replace('_', '/')})", className="small text-muted")],
                className="h6", id=heading_id),
        dbc.Row([
            dbc.Col(field(LEVEL_LABELS["label"], dbc.Input(id=ids["label"], type="text", value=level.label,
                                                           maxlength=40)), md=3),
            dbc.Col(field(LEVEL_LABELS["colour"], dbc.Input(id=ids["colour"], type="text", value=level.colour,
                                                         maxlength=7, autocomplete="off"),
                          hint=f"Its text is {level.text_colour}: the contrast must stay at least "
                               f"{admin.MIN_CONTRAST}:1."), md=3),
            dbc.Col(field(LEVEL_LABELS["definition"], dbc.Textarea(id=ids["definition"], value=level.definition,
                                                                   rows=3, maxlength=400)), md=6),
        ], className="g-2"),
        dcc.Store(id={"type": "rag-loaded", "code": code}, data=_loaded(level)),
        dbc.Button(f"Save {level.label}",
                   id={"type": "rag-save", "code": code}, color="primary", size="sm", type="button"),
        html.Div(id={"type": "rag-msg", "code": code}, className="mt-2", **{"aria-live": "polite"}),
    ], className="card-section", id=f"rag-level-{code}", **{"aria-labelledby": heading_id})


def _levels_section(levels: list[RagLevel]) -> list:
    return [level_form(level) for level in levels]


def _scale_form(current: str) -> dbc.Form:
    return dbc.Form([
        field("RAG scale", select("rag-scale-choice", select_options(
            [(key, name[:1].upper() + name[1:]) for key, name in admin.SCALE_NAMES.items()]), current)),
        html.Div([
            dbc.Checkbox(id="rag-scale-confirm", value=False,
                         label="I understand that the colours and their definitions will be replaced by the "
                               "new scale's standard words"),
            html.Div(id="rag-scale-confirm-feedback", className="field-error small"),
        ], className="mb-3"),
        dbc.Button("Switch scale", id="rag-scale-switch", color="warning", type="button"),
    ], id="rag-scale-form")


@admin_page("Sign in to manage the RAG scale.", "Only an administrator can change the RAG scale.")
def layout(session, person, **_):
    levels = admin.rag_levels(session, person)
    partnership = reference.get_partnership(session, person.partnership_id)
    return html.Div([
        back_link("Administration", "/admin"),
        html.H1("RAG scale", className="h3"),
        html.P("The colours an action's status update may take, and the words that say what each one means. "
               "Everyone sees these definitions wherever a RAG is shown or picked. A RAG always carries its "
               "label and symbol as well as its colour.", className="text-muted"),
        html.Section([
            html.H2("The scale", className="h5"),
            html.P(f"The partnership uses the {admin.SCALE_NAMES.get(partnership.rag_scale, partnership.rag_scale)} "
                   "scale. The five-point delivery confidence scale is the one UK government projects use. "
                   "A switch is refused while status updates use colours the other scale does not have.",
                   id="rag-scale-current"),
            html.Div(id="rag-scale-status", **{"aria-live": "polite"}),
            _scale_form(partnership.rag_scale),
        ], className="card-section"),
        html.H2("Colours and what they mean", className="h5"),
        html.Div(_levels_section(levels), id="rag-levels"),
    ])


@callback(
    Output(_level_id(ALL, MATCH), "invalid"),
    Output({"form": f"{LEVEL_FORM}-feedback", "code": MATCH, "field": ALL}, "children"),
    Output({"type": "rag-msg", "code": MATCH}, "children"),
    Output({"type": "rag-loaded", "code": MATCH}, "data"),
    Output({"type": "rag-preview", "code": MATCH}, "children"),
    Input({"type": "rag-save", "code": MATCH}, "n_clicks"),
    State(_level_id(ALL, MATCH), "id"),
    State(_level_id(ALL, MATCH), "value"),
    State({"type": "rag-loaded", "code": MATCH}, "data"),
)
def save_level(n_clicks, field_ids, field_values, loaded):
    trigger = ctx.triggered_id
    if not n_clicks or not isinstance(trigger, dict):
        return no_update, no_update, no_update, no_update, no_update
    code = str(trigger.get("code", ""))
    values = read_form(field_ids, field_values, LEVEL_FIELDS)
    data = {name: values.get(name) or "" for name in LEVEL_FIELDS}
    expected = loaded if isinstance(loaded, dict) else None
    level, error = run_service(lambda session, person: admin.edit_rag_level(session, person, code, data,
                                                                           expected=expected))
    if isinstance(error, InvalidInput):
        fields = {name: _level_id(name, code) for name in LEVEL_FIELDS}
        return (*form_feedback(LEVEL_FORM, error.errors),
                error_summary(error.errors, fields, LEVEL_LABELS, {"type": "rag-error", "code": code}),
                no_update, no_update)
    if error is not None:
        return (*form_feedback(LEVEL_FORM), status_message(str(error), ok=False), no_update, no_update)
    return (*form_feedback(LEVEL_FORM), status_message(f"{level.label} saved."), _loaded(level),
            rag_badge(_rag(level)))


@callback(
    Output("rag-levels", "children"),
    Output("rag-scale-status", "children"),
    Output("rag-scale-current", "children"),
    Output("rag-scale-choice", "invalid"),
    Output("rag-scale-choice-feedback", "children"),
    Output("rag-scale-confirm-feedback", "children"),
    Output("rag-scale-confirm", "value"),
    Input("rag-scale-switch", "n_clicks"),
    State("rag-scale-choice", "value"),
    State("rag-scale-confirm", "value"),
)
def switch_scale(n_clicks, scale, confirmed):
    def switch(session, person):
        if not confirmed:
            # Checked first for permission, so a viewer's crafted request hears "no", not "tick the box".
            require_admin(person)
            return None
        partnership = admin.switch_scale(session, person, str(scale or ""))
        return partnership.rag_scale, admin.rag_levels(session, person)

    done, error = run_service(switch)
    if isinstance(error, InvalidInput):
        message = error.errors.get("scale") or str(error)
        return (no_update, status_message("The scale was not changed.", ok=False), no_update, True, message,
                "", no_update)
    if error is not None:
        return (no_update, status_message(str(error), ok=False, message_id="rag-scale-error"), no_update, False,
                "", "", no_update)
    if done is None:
        return (no_update, no_update, no_update, False, "",
                "Tick the box to confirm: the current definitions will be replaced.", no_update)
    scale_name, levels = done
    name = admin.SCALE_NAMES[scale_name]
    return (_levels_section(levels), status_message(f"The partnership now uses the {name} scale."),
            f"The partnership uses the {name} scale.", False, "", "", False)
