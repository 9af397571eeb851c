"""One indicator: its definition, its status (with the rule in words), its values against the baseline
and the trajectory to target (chart, summary and table), and data entry for those allowed."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from tracker.formatting import long_date
from tracker.rules.numbers import format_number
from tracker.services import indicators
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.indicators import (
    DEFINITION_LABELS,
    ERROR_SUFFIX,
    baseline_words,
    chart_summary,
    definition_fields,
    definition_form,
    direction_words,
    field,
    indicator_chart,
    status_badge,
    status_rule,
    target_words,
    values_table,
)
from tracker.web.components.notices import not_found
from tracker.web.context import page_title, signed_in, signed_in_page, today

VALUE_FIELDS = {"period": "value-period", "value": "value-value", "note": "value-note"}
VALUE_LABELS = {"period": "Period", "value": "Value", "note": "Note"}
EDIT_FIELDS = definition_fields("def", with_code=False)
EDIT_ERROR_FIELDS = {k: v for k, v in EDIT_FIELDS.items() if k not in ("is_national", "illustrative")}


def _describe(session, person, indicator_id=None, **_) -> str:
    indicator = indicators.get_indicator(session, person.partnership_id, forms.record_id(indicator_id, "indicator"))
    return f"{indicator.code} {indicator.name}"


dash.register_page(__name__, path_template="/indicator/<indicator_id>",
                   title=page_title("Indicator – CDP Delivery Tracker", _describe), name="Indicator")


def _href(path: str) -> str:
    return dash.get_relative_path(path)


def _dl(term: str, value, value_id: str | None = None) -> list:
    extra = {"id": value_id} if value_id else {}
    return [html.Dt(term, className="col-sm-4"), html.Dd(value, className="col-sm-8 mb-1", **extra)]


def render_definition(detail: indicators.IndicatorDetail) -> list:
    s = detail.summary
    kind = "National headline measure" if s.is_national else "Local indicator"
    return [
        html.H2("What it measures", className="h5"),
        html.Dl([
            *_dl("Type", kind),
            *_dl("National outcome", s.outcome or "—"),
            *_dl("Local objective", s.objective or "—"),
            *_dl("Unit", s.unit or "—", "indicator-unit"),
            *_dl("Which way is better", direction_words(s.direction), "indicator-direction"),
            *_dl("Source", s.source or "—", "indicator-source"),
            *_dl("Baseline", baseline_words(s), "indicator-baseline"),
            *_dl("Target", target_words(s), "indicator-target"),
            *_dl("Actions linked to it", html.Ul([
                html.Li(html.A(f"{ref} {title}", href=_href(f"/action/{aid}"))) for aid, ref, title in detail.actions
            ], className="mb-0 ps-3") if detail.actions else "None yet", "indicator-actions"),
        ], className="row mb-2"),
        html.P(detail.notes, className="user-text small text-muted mb-0", id="indicator-notes")
        if detail.notes else None,
    ]


def render_progress(detail: indicators.IndicatorDetail) -> list:
    s = detail.summary
    return [
        html.H2("Progress against baseline and target", className="h5", id="progress-heading"),
        html.P([status_badge(s.assessment, small=False, badge_id="indicator-status"), " ",
                html.Span(s.assessment.explanation, id="indicator-status-explanation")], className="mb-3"),
        html.P(f"Values in {s.unit}." if s.unit else "", className="small text-muted mb-0"),
        # The chart with its summary in words beside it (below it on a narrow screen).
        html.Figure([
            html.Div(indicator_chart(detail), className="flex-grow-1", style={"minWidth": 0}),
            html.Figcaption(chart_summary(detail), className="small", id="indicator-chart-summary",
                            style={"flex": "0 0 22rem", "maxWidth": "100%"}),
        ], className="d-lg-flex gap-3 align-items-start mb-3"),
        html.H3(f"Values ({s.unit})" if s.unit else "Values", className="h6"),
        values_table(detail),
    ]


def _value_options(detail: indicators.IndicatorDetail) -> list[dict]:
    return [{"label": f"{v.period}: {format_number(v.value)}", "value": str(v.id)}
            for v in reversed(detail.values)]


def entry_section(detail: indicators.IndicatorDetail) -> html.Section:
    s = detail.summary
    return html.Section([
        html.H2("Enter a value", className="h5", id="value-heading"),
        html.P(["One value for one period. To enter many at once, upload a CSV file on the ",
                html.A("indicators page", href=_href("/indicators")), "."],
               className="small text-muted mb-2", id="value-intro"),
        html.Div(id="value-message", **{"aria-live": "polite"}),
        dbc.Row([
            dbc.Col(field(VALUE_LABELS["period"], dbc.Input(id="value-period", value="", maxLength=40),
                          hint="2024/25 (financial year), 2024-Q2 (calendar quarter), 2024-05 (month) or "
                               "2024 (calendar year)"), md=4),
            dbc.Col(field(VALUE_LABELS["value"] + (f" ({s.unit})" if s.unit else ""),
                          dbc.Input(id="value-value", value="", inputmode="decimal"),
                          hint="A number, e.g. 3540 or 41.5"), md=3),
            dbc.Col(field(VALUE_LABELS["note"], dbc.Input(id="value-note", value="", maxLength=500),
                          hint="Optional: what the figure covers"), md=5),
        ], className="g-2"),
        dbc.Button("Save the value", id="value-submit", color="primary", n_clicks=0),
        html.Hr(),
        html.H3("Remove a value", className="h6"),
        html.P("To correct a value, remove it and enter it again. The audit trail keeps what it was.",
               className="small text-muted mb-2"),
        html.Div(id="remove-message", **{"aria-live": "polite"}),
        dbc.Row([
            dbc.Col(forms.field("Value to remove", dbc.Select(
                id="remove-value", options=_value_options(detail), value="", placeholder="Choose a value"),
                error_suffix=None, class_name=""), md=5),
            dbc.Col(dbc.Button("Remove the value", id="remove-submit", color="danger", outline=True, n_clicks=0,
                               className="mt-md-4"), md="auto"),
        ], className="g-2 align-items-start"),
    ], className="card-section", id="value-section", **{"aria-labelledby": "value-heading"})


def edit_section(page: indicators.IndicatorPage) -> html.Details:
    return forms.folded_form(
        "Edit the indicator's definition",
        "Administrators only. Saving is refused if someone else has changed the definition since you opened "
        "this page.", "def-message",
        [definition_form("def", page.definition, page.choices, with_code=False, submit_label="Save the definition")],
        summary_id="def-summary", section_id="def-section")


def who_can_enter() -> html.P:
    return html.P("Values of this indicator are entered by an administrator, or by a lead of a subgroup whose "
                  "actions are linked to it.", className="small text-muted", id="value-not-allowed")


@signed_in_page("Sign in to see this indicator.")
def layout(session, person, indicator_id=None, **_):
    try:
        page = indicators.indicator_page(session, person, forms.record_id(indicator_id, "indicator"))
    except NotFound as exc:
        return not_found("Indicator not found", str(exc), "/indicators", "See all indicators", "indicator-not-found")
    detail = page.detail
    s = detail.summary
    return html.Div([
        dcc.Store(id="indicator-id", data=detail.indicator.id),
        dcc.Store(id="def-expected", data=page.definition),
        html.P(html.A("← All indicators", href=_href("/indicators")), className="mb-1"),
        html.H1(f"{s.code} {s.name}", className="h3", id="indicator-heading"),
        html.P("Its baseline or target is illustrative (invented for demonstration)."
               if s.illustrative else "", className="small text-muted"),
        dbc.Row([
            dbc.Col(html.Section(render_definition(detail), className="card-section", id="indicator-definition"),
                    lg=8),
            dbc.Col(status_rule(), lg=4, className="mb-3"),
        ]),
        html.Section(render_progress(detail), className="card-section", id="indicator-progress",
                     **{"aria-live": "polite"}),
        entry_section(detail) if page.may_enter else who_can_enter(),
        edit_section(page) if page.is_admin else None,
    ])


@callback(
    Output("value-message", "children"),
    *forms.field_outputs(VALUE_FIELDS.values(), ERROR_SUFFIX),
    Output("value-period", "value"),
    Output("value-value", "value"),
    Output("value-note", "value"),
    Output("indicator-progress", "children"),
    Output("remove-value", "options"),
    Input("value-submit", "n_clicks"),
    State("indicator-id", "data"),
    State("value-period", "value"),
    State("value-value", "value"),
    State("value-note", "value"),
    prevent_initial_call=True,
)
def save_value(_clicks, indicator_id, period, value, note):
    unchanged = [no_update] * 5
    no_errors = forms.field_values(VALUE_FIELDS, {})
    data = {"period": period or "", "value": value or "", "note": note or ""}
    try:
        with signed_in() as (session, person):
            saved = indicators.add_value(session, person, forms.record_id(indicator_id, "indicator"), data, today())
            detail = indicators.indicator_detail(session, person.partnership_id, saved.indicator_id)
    except InvalidInput as exc:
        return [forms.error_summary(exc.errors, VALUE_FIELDS, VALUE_LABELS, "value-error-summary"),
                *forms.field_values(VALUE_FIELDS, exc.errors), *unchanged]
    except (PermissionDenied, NotFound, Conflict) as exc:
        return [dbc.Alert(str(exc), color="danger", id="value-denied"), *no_errors, *unchanged]
    message = dbc.Alert(f"Saved {format_number(saved.value)} for {saved.period}. The status is now: "
                        f"{detail.summary.assessment.label}.", color="success", id="value-success")
    return [message, *no_errors, "", "", "", render_progress(detail), _value_options(detail)]


@callback(
    Output("remove-message", "children"),
    Output("indicator-progress", "children", allow_duplicate=True),
    Output("remove-value", "options", allow_duplicate=True),
    Output("remove-value", "value"),
    Input("remove-submit", "n_clicks"),
    State("indicator-id", "data"),
    State("remove-value", "value"),
    prevent_initial_call=True,
)
def remove_value(_clicks, indicator_id, value_id):
    if not value_id:
        return (dbc.Alert("Choose the value to remove.", color="danger", id="remove-error"),
                no_update, no_update, no_update)
    try:
        with signed_in() as (session, person):
            removed = indicators.delete_value(session, person, forms.record_id(value_id, "value"),
                                              indicator_id=forms.record_id(indicator_id, "indicator"))
            period, number = removed.period, removed.value
            detail = indicators.indicator_detail(session, person.partnership_id, removed.indicator_id)
    except (PermissionDenied, NotFound) as exc:
        return dbc.Alert(str(exc), color="danger", id="remove-error"), no_update, no_update, no_update
    message = dbc.Alert(f"Removed the value for {period} ({format_number(number)}) on "
                        f"{long_date(today())}.", color="success", id="remove-success")
    return message, render_progress(detail), _value_options(detail), ""


@callback(
    Output("def-message", "children"),
    *forms.field_outputs(EDIT_ERROR_FIELDS.values(), ERROR_SUFFIX),
    Output("indicator-definition", "children"),
    Output("indicator-progress", "children", allow_duplicate=True),
    Output("def-expected", "data"),
    Input("def-submit", "n_clicks"),
    State("indicator-id", "data"),
    State("def-expected", "data"),
    *[State(cid, "value") for cid in EDIT_FIELDS.values()],
    prevent_initial_call=True,
)
def save_definition(_clicks, indicator_id, expected, *values):
    unchanged = [no_update] * 3
    no_errors = forms.field_values(EDIT_ERROR_FIELDS, {})
    data = {name: ("" if v is None else v) for name, v in zip(EDIT_FIELDS, values, strict=True)}
    data["is_national"] = bool(data["is_national"])
    data["illustrative"] = bool(data["illustrative"])
    try:
        with signed_in() as (session, person):
            indicator = indicators.update_indicator(session, person, forms.record_id(indicator_id, "indicator"), data,
                                                    expected=expected if isinstance(expected, dict) else None)
            detail = indicators.indicator_detail(session, person.partnership_id, indicator.id)
            snapshot = indicators.editable_snapshot(indicator)
    except InvalidInput as exc:
        return [forms.error_summary(exc.errors, EDIT_ERROR_FIELDS, DEFINITION_LABELS, "def-error-summary"),
                *forms.field_values(EDIT_ERROR_FIELDS, exc.errors), *unchanged]
    except (PermissionDenied, NotFound, Conflict) as exc:
        return [dbc.Alert(str(exc), color="danger", id="def-denied"), *no_errors, *unchanged]
    return [dbc.Alert("The definition is saved.", color="success", id="def-success"), *no_errors,
            render_definition(detail), render_progress(detail), snapshot]
