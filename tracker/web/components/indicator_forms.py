"""The forms of the indicator pages: an indicator's definition (add one, edit one), one value, and the CSV
upload of many values.

The forms use pattern-matching ids (tracker.web.components.forms.form_field): each control's id is
{"form": <form>, "field": <the service's field name>}, its error slot {"form": "<form>-error", ...}, so one
callback answers every field with a handful of outputs. The two checkboxes of the definition form have no
`invalid` property (dbc.Checkbox), so they are a form of their own, "<form>-flag".
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from tracker.rules.numbers import format_number
from tracker.services.indicators import CSV_COLUMNS, DefinitionChoices, RowError
from tracker.web.components import forms

ERROR_SUFFIX = "error"  # each field's message goes to {"form": "<form>-error", "field": <name>}
NEW_FORM, DEF_FORM, VALUE_FORM = "indicator-new", "indicator-def", "indicator-value"

DEFINITION_LABELS = {
    "code": "Code", "name": "Name", "outcome_id": "National outcome", "objective_id": "Local objective",
    "unit": "Unit", "direction": "Which way is better", "source": "Source", "baseline_value": "Baseline value",
    "baseline_period": "Baseline period", "target_value": "Target value", "target_date": "Target date",
    "notes": "Notes", "is_national": "National headline measure", "illustrative": "Illustrative figures",
}
FLAG_NAMES = ("is_national", "illustrative")
VALUE_LABELS = {"period": "Period", "value": "Value", "note": "Note"}
PERIOD_HINT = "2024/25 (financial year), 2024-Q2 (calendar quarter), 2024-05 (month) or 2024 (calendar year)"


def flag_form(form: str) -> str:
    return f"{form}-flag"


def text_names(with_code: bool) -> list[str]:
    """The definition's fields that have a control with an error slot (all but the two checkboxes)."""
    return [n for n in DEFINITION_LABELS if n not in FLAG_NAMES and (with_code or n != "code")]


def definition_fields(form: str, with_code: bool) -> dict[str, dict]:
    """Field name -> control id, for the error summary's links."""
    return forms.form_fields(form, text_names(with_code))


def read_definition(form_values: tuple, flag_values: tuple, with_code: bool) -> dict:
    """The service's input from form_states(form) and form_states(flag_form(form)): every field present
    ("" when the browser sent nothing), the flags as booleans."""
    values = forms.read_form(*form_values, names=text_names(with_code))
    flags = forms.read_form(*flag_values, names=FLAG_NAMES)
    data = {name: ("" if values.get(name) is None else values[name]) for name in text_names(with_code)}
    data |= {name: bool(flags.get(name)) for name in FLAG_NAMES}
    return data


def field(label: str, control, hint: str | None = None) -> html.Div:
    return forms.field(label, control, hint, error_suffix=ERROR_SUFFIX)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value).replace(",", "")
    return str(value)


def definition_form(form: str, values: dict, choices: DefinitionChoices, with_code: bool, submit_id: str,
                    submit_label: str) -> html.Div:
    """The fields of an indicator's definition, each labelled, with a place for its error."""
    def fid(name):
        return forms.form_field(form, name)

    def text(name, **kwargs):
        return dbc.Input(id=fid(name), value=_text(values.get(name)), **kwargs)

    labels = DEFINITION_LABELS
    return html.Div([
        dbc.Row([
            dbc.Col(field(labels["code"], text("code", maxLength=30),
                          hint="Short and unique, e.g. L-DETOX-PLACES; used in CSV files."), md=4)
            if with_code else None,
            dbc.Col(field(labels["name"], text("name", maxLength=300)), md=8 if with_code else 12),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(field(labels["outcome_id"], forms.select(
                fid("outcome_id"), forms.select_options(choices.outcomes, blank="None"),
                _text(values.get("outcome_id")))), md=6),
            dbc.Col(field(labels["objective_id"], forms.select(
                fid("objective_id"), forms.select_options(choices.objectives, blank="None"),
                _text(values.get("objective_id")))), md=6),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(field(labels["unit"], text("unit", maxLength=60), hint="e.g. % of adults, per 100,000, people"),
                    md=4),
            dbc.Col(field(labels["direction"], dbc.Select(
                id=fid("direction"), value=values.get("direction") or "higher",
                options=[{"label": "Higher is better", "value": "higher"},
                         {"label": "Lower is better", "value": "lower"}])), md=4),
            dbc.Col(field(labels["source"], text("source", maxLength=200), hint="e.g. NDTMS, ONS, police"), md=4),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(field(labels["baseline_value"], text("baseline_value", inputmode="decimal")), md=3),
            dbc.Col(field(labels["baseline_period"], text("baseline_period", maxLength=40),
                          hint="2024/25, 2024-Q2, 2024-05 or 2024"), md=3),
            dbc.Col(field(labels["target_value"], text("target_value", inputmode="decimal")), md=3),
            dbc.Col(field(labels["target_date"], text("target_date", type="date")), md=3),
        ], className="g-2"),
        field(labels["notes"], dbc.Textarea(id=fid("notes"), value=_text(values.get("notes")), rows=3,
                                            maxLength=5000),
              hint="Where the figures come from, and which are illustrative."),
        html.Div([
            dbc.Checkbox(id=forms.form_field(flag_form(form), "is_national"), value=bool(values.get("is_national")),
                         label=labels["is_national"], class_name="mb-1"),
            dbc.Checkbox(id=forms.form_field(flag_form(form), "illustrative"), value=bool(values.get("illustrative")),
                         label="Its baseline or target is illustrative (invented for demonstration)",
                         class_name="mb-1"),
        ], className="mb-3"),
        dbc.Button(submit_label, id=submit_id, color="primary", n_clicks=0),
    ])


def value_form(unit: str) -> dbc.Row:
    """One value for one period: period, value and note."""
    def fid(name):
        return forms.form_field(VALUE_FORM, name)

    return dbc.Row([
        dbc.Col(field(VALUE_LABELS["period"], dbc.Input(id=fid("period"), value="", maxLength=40), hint=PERIOD_HINT),
                md=4),
        dbc.Col(field(VALUE_LABELS["value"] + (f" ({unit})" if unit else ""),
                      dbc.Input(id=fid("value"), value="", inputmode="decimal"), hint="A number, e.g. 3540 or 41.5"),
                md=3),
        dbc.Col(field(VALUE_LABELS["note"], dbc.Input(id=fid("note"), value="", maxLength=500),
                      hint="Optional: what the figure covers"), md=5),
    ], className="g-2")


# --- The CSV upload --------------------------------------------------------------------------


CSV_EXAMPLE = "\n".join([
    ",".join(CSV_COLUMNS),
    "N-I2-ADULTS,2026-10,3610,12 months to October 2026",
    'N-I1-COUNTYLINES,2025/26,27,"Closed by the force, with partners"',
    "L-REF-CJ,2026-Q3,33,",
])


def upload_block(upload_id: str = "values-upload", result_id: str = "upload-result") -> html.Section:
    """The CSV upload: a labelled native file input (keyboard: Tab to it, then Enter or Space), or drag and drop."""
    return html.Section([
        html.H2("Upload values from a CSV file", className="h5", id="upload-heading"),
        html.P(["The file needs a header row with the columns ",
                html.Code(", ".join(CSV_COLUMNS)),
                " (note may be left out), then one row per value. Periods are written 2024/25 (financial "
                "year), 2024-Q2 (calendar quarter: April to June), 2024-05 (month) or 2024 (calendar year). "
                "Every row is checked first: if any row has a problem, nothing is saved and each problem is "
                "listed by row number (the header is row 1, as in a spreadsheet)."], className="small"),
        html.Details([
            html.Summary("An example file"),
            html.Pre(CSV_EXAMPLE, className="small bg-light p-2 border mb-0", id="csv-example"),
        ], className="mb-2 small"),
        forms.file_upload(upload_id, "Choose a CSV file of indicator values",
                          "or drag and drop it here (CSV, up to 1 MB)", ".csv,text/csv"),
        dcc.Loading(html.Div(id=result_id, **{"aria-live": "polite"}), type="default"),
    ], className="card-section", id="upload-section", **{"aria-labelledby": "upload-heading"})


def upload_errors(errors: list[RowError], message: str, table_id: str = "upload-errors") -> dbc.Alert:
    return dbc.Alert([
        html.H3(message, className="h6 alert-heading", id="upload-error-heading"),
        dbc.Table([
            html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Row", "Column", "What to fix")])),
            html.Tbody([
                html.Tr([
                    html.Td(str(e.row) if e.row else "Whole file"),
                    html.Td(e.column or "—"),
                    html.Td(e.message),
                ], id=f"upload-error-{i}")
                for i, e in enumerate(errors)
            ]),
        ], bordered=True, size="sm", className="bg-white mb-0", id=table_id),
    ], color="danger", id="upload-rejected")
