"""One indicator: its definition, its status (with the rule in words), its values against the baseline
and the trajectory to target (chart, summary and table), its figures beside the region and England, and
data entry for those allowed.

The page's view model is tracker.services.indicators.indicator_page. A save answers its own form
(message, each field's flag and message) and bumps the refresh Store; the refresh callback then redraws
the definition and the progress from the view model.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from tracker.formatting import long_date
from tracker.rules.numbers import format_measure
from tracker.rules.periods import period_words
from tracker.services import indicators
from tracker.services.errors import InvalidInput, NotFound
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.benchmarks import benchmark_section
from tracker.web.components.indicator_forms import (
    DEF_FORM,
    DEFINITION_LABELS,
    ERROR_SUFFIX,
    VALUE_FORM,
    VALUE_LABELS,
    definition_fields,
    definition_form,
    flag_form,
    read_definition,
    value_form,
)
from tracker.web.components.indicators import (
    baseline_words,
    chart_summary,
    direction_words,
    indicator_chart,
    status_badge,
    status_rule,
    target_words,
    values_table,
)
from tracker.web.components.notices import not_found
from tracker.web.context import page_title, run_service, signed_in_page, today

VALUE_FIELDS = forms.form_fields(VALUE_FORM, VALUE_LABELS)
EDIT_FIELDS = definition_fields(DEF_FORM, with_code=False)
REFRESH = Output("indicator-refresh", "data", allow_duplicate=True)


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
    unit = detail.summary.unit
    return [{"label": f"{period_words(v.period)}: {format_measure(v.value, unit)}", "value": str(v.id)}
            for v in reversed(detail.values)]


def entry_section(detail: indicators.IndicatorDetail) -> html.Section:
    s = detail.summary
    return html.Section([
        html.H2("Enter a value", className="h5", id="value-heading"),
        html.P(["One value for one period. To enter many at once, upload a CSV file on the ",
                html.A("indicators page", href=_href("/indicators")), "."],
               className="small text-muted mb-2", id="value-intro"),
        html.Div(id="value-message", **{"aria-live": "polite"}),
        value_form(s.unit),
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
        [definition_form(DEF_FORM, page.definition, page.choices, with_code=False, submit_id="def-submit",
                         submit_label="Save the definition")],
        summary_id="def-summary", section_id="def-section")


def who_can_enter() -> html.P:
    return html.P("Values of this indicator are entered by an administrator, or by a lead of a subgroup whose "
                  "actions are linked to it.", className="small text-muted", id="value-not-allowed")


@signed_in_page("Sign in to see this indicator.")
def layout(session, person, indicator_id=None, **_):
    try:
        page = indicators.indicator_page(session, person, forms.record_id(indicator_id, "indicator"), today())
    except NotFound as exc:
        return not_found("Indicator not found", str(exc), "/indicators", "See all indicators", "indicator-not-found")
    detail = page.detail
    s = detail.summary
    return html.Div([
        dcc.Store(id="indicator-id", data=detail.indicator.id),
        dcc.Store(id="def-expected", data=page.definition),
        dcc.Store(id="indicator-refresh", data=0),
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
        benchmark_section(page.benchmark) if page.benchmark is not None else None,
        entry_section(detail) if page.may_enter else who_can_enter(),
        edit_section(page) if page.is_admin else None,
    ])



@callback(
    Output("indicator-definition", "children"),
    Output("indicator-progress", "children"),
    Input("indicator-refresh", "data"),
    State("indicator-id", "data"),
)
def refresh(_count, indicator_id):
    """After a save: the definition and the progress as they now are."""
    detail, error = run_service(lambda session, person: indicators.indicator_detail(
        session, person.partnership_id, forms.record_id(indicator_id, "indicator")))
    if error:
        return no_update, no_update
    return render_definition(detail), render_progress(detail)


def _options(session, person, indicator_id: int) -> list[dict]:
    return _value_options(indicators.indicator_detail(session, person.partnership_id, indicator_id))


@callback(
    Output("value-message", "children"),
    *forms.form_outputs(VALUE_FORM, ERROR_SUFFIX),
    forms.form_values_output(VALUE_FORM),
    Output("remove-value", "options"),
    REFRESH,
    Input("value-submit", "n_clicks"),
    State("indicator-id", "data"),
    *forms.form_states(VALUE_FORM),
    State("indicator-refresh", "data"),
)
def save_value(_clicks, indicator_id, field_ids, field_values, refresh_count):
    values = forms.read_form(field_ids, field_values, VALUE_LABELS)
    data = {name: values.get(name) or "" for name in VALUE_LABELS}

    def save(session, person):
        saved = indicators.add_value(session, person, forms.record_id(indicator_id, "indicator"), data, today())
        detail = indicators.indicator_detail(session, person.partnership_id, saved.indicator_id)
        shown = format_measure(saved.value, detail.summary.unit)
        return shown, period_words(saved.period), detail.summary.assessment.label, _value_options(detail)

    done, error = run_service(save)
    if error:
        errors = error.errors if isinstance(error, InvalidInput) else {}
        message = (forms.error_summary(errors, VALUE_FIELDS, VALUE_LABELS, "value-error-summary") if errors
                   else dbc.Alert(str(error), color="danger", id="value-denied"))
        return (message, *forms.form_feedback(VALUE_FORM, errors, ERROR_SUFFIX), forms.form_unchanged(VALUE_FORM),
                no_update, no_update)
    number, period, status, options = done
    message = dbc.Alert(f"Saved {number} for {period}. The status is now: {status}.",
                        color="success", id="value-success")
    return (message, *forms.form_feedback(VALUE_FORM, {}, ERROR_SUFFIX), forms.form_reset(VALUE_FORM, {}),
            options, forms.bumped(refresh_count))


@callback(
    Output("remove-message", "children"),
    Output("remove-value", "options", allow_duplicate=True),
    Output("remove-value", "value"),
    REFRESH,
    Input("remove-submit", "n_clicks"),
    State("indicator-id", "data"),
    State("remove-value", "value"),
    State("indicator-refresh", "data"),
)
def remove_value(_clicks, indicator_id, value_id, refresh_count):
    if not value_id:
        return dbc.Alert("Choose the value to remove.", color="danger", id="remove-error"), no_update, no_update, \
            no_update

    def remove(session, person):
        removed = indicators.delete_value(session, person, forms.record_id(value_id, "value"),
                                          indicator_id=forms.record_id(indicator_id, "indicator"))
        unit = indicators.get_indicator(session, person.partnership_id, removed.indicator_id).unit
        return period_words(removed.period), format_measure(removed.value, unit), \
            _options(session, person, removed.indicator_id)

    done, error = run_service(remove)
    if error:
        return dbc.Alert(str(error), color="danger", id="remove-error"), no_update, no_update, no_update
    period, number, options = done
    message = dbc.Alert(f"Removed the value for {period} ({number}) on "
                        f"{long_date(today())}.", color="success", id="remove-success")
    return message, options, "", forms.bumped(refresh_count)


@callback(
    Output("def-message", "children"),
    *forms.form_outputs(DEF_FORM, ERROR_SUFFIX),
    Output("def-expected", "data"),
    REFRESH,
    Input("def-submit", "n_clicks"),
    State("indicator-id", "data"),
    State("def-expected", "data"),
    *forms.form_states(DEF_FORM),
    *forms.form_states(flag_form(DEF_FORM)),
    State("indicator-refresh", "data"),
)
def save_definition(_clicks, indicator_id, expected, field_ids, field_values, flag_ids, flag_values, refresh_count):
    data = read_definition((field_ids, field_values), (flag_ids, flag_values), with_code=False)

    def save(session, person):
        indicator = indicators.update_indicator(session, person, forms.record_id(indicator_id, "indicator"), data,
                                                expected=expected if isinstance(expected, dict) else None)
        return indicators.editable_snapshot(indicator)

    snapshot, error = run_service(save)
    if isinstance(error, InvalidInput):
        return (forms.error_summary(error.errors, EDIT_FIELDS, DEFINITION_LABELS, "def-error-summary"),
                *forms.form_feedback(DEF_FORM, error.errors, ERROR_SUFFIX), no_update, no_update)
    if error:
        return (dbc.Alert(str(error), color="danger", id="def-denied"),
                *forms.form_feedback(DEF_FORM, {}, ERROR_SUFFIX), no_update, no_update)
    return (dbc.Alert("The definition is saved.", color="success", id="def-success"),
            *forms.form_feedback(DEF_FORM, {}, ERROR_SUFFIX), snapshot, forms.bumped(refresh_count))
