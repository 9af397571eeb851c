"""Pieces of the outcome and indicator views: the status badge (a word and a symbol, never colour
alone), the rule in words, the chart against baseline and trajectory with its table and summary, the
indicators table and the CSV upload block."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from tracker.formatting import long_date, short_date
from tracker.rules.indicator_status import (
    STATUS_DEFINITIONS,
    STATUS_LABELS,
    STATUS_ORDER,
    STATUS_RULE,
    STATUS_SYMBOLS,
    Assessment,
)
from tracker.rules.numbers import format_number
from tracker.services.indicators import (
    CSV_COLUMNS,
    DefinitionChoices,
    IndicatorDetail,
    IndicatorSummary,
    RowError,
)
from tracker.web.components import forms

# Background and text colours that pass WCAG AA contrast; the word and symbol carry the meaning.
STATUS_COLOURS = {
    "on_track": ("#00703c", "#ffffff"),
    "at_risk": ("#ffdd00", "#0b0c0c"),
    "off_track": ("#d4351c", "#ffffff"),
    "no_data": ("#505a5f", "#ffffff"),
    "no_target": ("#ffffff", "#0b0c0c"),
    "no_baseline": ("#ffffff", "#0b0c0c"),
}


def indicator_href(indicator_id: int) -> str:
    return dash.get_relative_path(f"/indicator/{indicator_id}")


def status_badge(status: str | Assessment, small: bool = True, badge_id: str | None = None) -> html.Span:
    code = status.status if isinstance(status, Assessment) else status
    background, text = STATUS_COLOURS[code]
    extra = {"id": badge_id} if badge_id else {}
    return html.Span(
        [html.Span(STATUS_SYMBOLS[code], className="rag-symbol", **{"aria-hidden": "true"}), STATUS_LABELS[code]],
        className=f"rag-badge indicator-status status-{code}" + (" rag-small" if small else ""),
        style={"backgroundColor": background, "color": text},
        title=STATUS_DEFINITIONS[code],
        **extra,
    )


def status_rule(heading_id: str = "status-rule-heading") -> html.Section:
    """How the status is worked out, in words, where the status is shown."""
    return html.Section([
        html.H2("How the status is worked out", className="h6 mb-2", id=heading_id),
        html.Ul([html.Li(line) for line in STATUS_RULE], className="small mb-2 ps-3"),
        html.Dl([item for code in ("on_track", "at_risk", "off_track", "no_data", "no_target") for item in (
            html.Dt(status_badge(code)), html.Dd(STATUS_DEFINITIONS[code], className="mb-1 small"),
        )], className="rag-legend mb-0"),
    ], className="rag-legend-box", id="status-rule", **{"aria-labelledby": heading_id})


def status_counts(counts: dict[str, int]) -> dbc.Row:
    return dbc.Row([
        dbc.Col(html.Div([html.Div(str(counts.get(code, 0)), className="count"), status_badge(code)],
                         className="rag-count-tile", id=f"status-count-{code}"), xs=6, md=True)
        for code in STATUS_ORDER if code != "no_baseline" or counts.get(code)
    ], className="g-2")


def direction_words(direction: str) -> str:
    return "Higher is better" if direction == "higher" else "Lower is better"


def baseline_words(s: IndicatorSummary) -> str:
    if s.baseline_value is None:
        return "Not set"
    return f"{format_number(s.baseline_value)} ({s.baseline_period})"


def target_words(s: IndicatorSummary) -> str:
    if s.target_value is None or s.target_date is None:
        return "Not set"
    return f"{format_number(s.target_value)} by {short_date(s.target_date)}"


def latest_words(s: IndicatorSummary) -> str:
    if s.latest_value is None:
        return "No values"
    return f"{format_number(s.latest_value)} ({s.latest_period})"


def indicators_table(rows: list[IndicatorSummary], table_id: str, caption: str | None = None) -> dbc.Table | html.P:
    if not rows:
        return html.P("No indicators.", id=table_id)
    return dbc.Table([
        html.Caption(caption, className="visually-hidden") if caption else None,
        html.Thead(html.Tr([html.Th(h, scope="col") for h in
                            ("Indicator", "Unit", "Better", "Source", "Baseline", "Target", "Latest", "Status")])),
        html.Tbody([
            html.Tr([
                html.Th([html.A(f"{r.code} {r.name}", href=indicator_href(r.id), className="indicator-link"),
                         html.Span(" (illustrative figures)", className="small text-muted") if r.illustrative
                         else None], scope="row", className="fw-normal"),
                html.Td(r.unit or "—"),
                html.Td("Higher" if r.direction == "higher" else "Lower"),
                html.Td(r.source or "—"),
                html.Td(baseline_words(r)),
                html.Td(target_words(r)),
                html.Td(latest_words(r)),
                html.Td(status_badge(r.assessment)),
            ], id=f"indicator-row-{r.code}")
            for r in rows
        ]),
    ], bordered=True, hover=True, responsive=True, size="sm", className="bg-white", id=table_id)


def status_list(rows: Iterable[IndicatorSummary], list_id: str) -> html.Ul | html.P:
    """A compact list of indicators with their status (for the golden thread)."""
    rows = list(rows)
    if not rows:
        return html.P("No indicators measure this yet.", className="mb-0 small", id=list_id)
    return html.Ul([
        html.Li([status_badge(r.assessment), " ",
                 html.A(f"{r.code} {r.name}", href=indicator_href(r.id)),
                 html.Span(f" — latest {latest_words(r)}", className="small text-muted")], className="mb-1")
        for r in rows
    ], className="list-unstyled mb-0", id=list_id)


# --- One indicator: the chart, its table and its summary -------------------------------------


def indicator_chart(detail: IndicatorDetail, graph_id: str = "indicator-chart") -> dcc.Graph:
    """Actual values (solid line, dots) against the baseline (dotted) and the trajectory to target
    (dashed, from a diamond at the baseline to a star at the target): told apart by line and marker,
    not by colour alone, and named in the legend."""
    s, values = detail.summary, detail.values
    dates = [v.end for v in values]
    if s.baseline_date is not None:
        dates.append(s.baseline_date)
    if s.target_date is not None:
        dates.append(s.target_date)
    first, last = (min(dates), max(dates)) if dates else (None, None)
    if first is not None:
        pad = max(timedelta(days=120), (last - first) / 20)
        first, last = first - pad, last + pad
    fig = go.Figure()
    if s.baseline_value is not None and s.baseline_date is not None:
        # The baseline runs across the whole chart, so every value can be read against it.
        fig.add_trace(go.Scatter(
            x=[first.isoformat(), last.isoformat()], y=[s.baseline_value, s.baseline_value], mode="lines",
            name=f"Baseline ({s.baseline_period})", line={"color": "#505a5f", "dash": "dot", "width": 2},
            hovertemplate=f"Baseline: {format_number(s.baseline_value)}<extra></extra>",
        ))
        if s.target_value is not None and s.target_date is not None:
            fig.add_trace(go.Scatter(
                x=[s.baseline_date.isoformat(), s.target_date.isoformat()],
                y=[s.baseline_value, s.target_value], mode="lines+markers", name="Trajectory to target",
                line={"color": "#1d70b8", "dash": "dash", "width": 2},
                marker={"symbol": ["diamond", "star"], "size": [10, 16], "color": "#1d70b8",
                        "line": {"color": "#0b0c0c", "width": 1}},
                hovertemplate="%{x|%d %b %Y}: %{y}<extra>Trajectory</extra>",
            ))
    if values:
        fig.add_trace(go.Scatter(
            x=[v.end.isoformat() for v in values], y=[v.value for v in values], mode="lines+markers",
            name="Actual values", line={"color": "#0b0c0c", "width": 3},
            marker={"size": 9, "color": "#0b0c0c", "symbol": "circle"},
            customdata=[[v.period] for v in values],
            hovertemplate="%{customdata[0]}: %{y}<extra>Actual</extra>",
        ))
    xaxis = {"tickformat": "%b %Y", "gridcolor": "#eeeeee"}
    if first is not None:
        years = (last - first).days / 365
        xaxis["range"] = [first.isoformat(), last.isoformat()]
        xaxis["dtick"] = "M3" if years <= 2 else ("M6" if years <= 5 else "M12")
    fig.update_layout(
        height=340, margin={"l": 10, "r": 20, "t": 20, "b": 30},
        plot_bgcolor="#ffffff", paper_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.18},
        yaxis={"gridcolor": "#dddddd", "automargin": True}, xaxis=xaxis,
        font={"family": "system-ui, sans-serif", "size": 13, "color": "#0b0c0c"},
    )
    return dcc.Graph(id=graph_id, figure=fig, config={"displayModeBar": False, "responsive": True})


def chart_summary(detail: IndicatorDetail) -> str:
    """The chart in words, for everyone who cannot see it."""
    s, values = detail.summary, detail.values
    parts = []
    if values:
        first, last = values[0], values[-1]
        parts.append(f"{len(values)} value{'s' if len(values) != 1 else ''} from {first.period} "
                     f"({format_number(first.value)}) to {last.period} ({format_number(last.value)}).")
    else:
        parts.append("No values have been entered yet.")
    if s.baseline_value is not None:
        parts.append(f"Baseline {format_number(s.baseline_value)} ({s.baseline_period}).")
    if s.target_value is not None and s.target_date is not None:
        parts.append(f"Target {format_number(s.target_value)} by {long_date(s.target_date)}.")
    parts.append(f"Status: {s.assessment.label}. {s.assessment.explanation}")
    return " ".join(parts)


def values_table(detail: IndicatorDetail, table_id: str = "values-table") -> dbc.Table | html.P:
    s = detail.summary
    if not detail.values:
        return html.P("No values have been entered yet.", id=table_id)
    better = 1 if s.direction == "higher" else -1
    rows = []
    for v in reversed(detail.values):  # newest first
        if v.expected is None:
            against = "—"
        else:
            diff = (v.value - v.expected) * better
            word = "better" if diff > 1e-9 else ("worse" if diff < -1e-9 else "on the line")
            against = f"{format_number(round(v.expected, 2))} ({format_number(round(abs(diff), 2))} {word})" \
                if word != "on the line" else f"{format_number(round(v.expected, 2))} (on the line)"
        rows.append(html.Tr([
            html.Th(v.period, scope="row", className="text-nowrap"),
            html.Td(short_date(v.end), className="text-nowrap"),
            html.Td(format_number(v.value), className="text-end"),
            html.Td(against),
            html.Td([v.note or "", html.Span(" Illustrative.", className="text-muted") if v.illustrative
                     and "illustrative" not in (v.note or "").lower() else None]),
            html.Td(v.recorded_by),
        ], id=f"value-row-{v.period}"))
    caption = f"Values of {s.code}, newest first, with the trajectory value for each period's end"
    # A wide table scrolls sideways on a narrow screen: the scrolling box takes keyboard focus.
    return html.Div(dbc.Table([
        html.Caption(caption, className="visually-hidden"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in
                            ("Period", "Period ends", "Value", "Trajectory value then", "Note", "Entered by")])),
        html.Tbody(rows),
    ], bordered=True, hover=True, size="sm", className="bg-white mb-0", id=table_id),
        className="table-responsive values-table-wrap mb-3", tabIndex="0", role="region", **{"aria-label": caption})


# --- Forms -----------------------------------------------------------------------------------


ERROR_SUFFIX = "error"  # each field's message goes to "<component id>-error"


def field(label: str, control, hint: str | None = None) -> html.Div:
    return forms.field(label, control, hint, error_suffix=ERROR_SUFFIX)


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


# --- The indicator's definition (administrators) ---------------------------------------------

DEFINITION_LABELS = {
    "code": "Code", "name": "Name", "outcome_id": "National outcome", "objective_id": "Local objective",
    "unit": "Unit", "direction": "Which way is better", "source": "Source", "baseline_value": "Baseline value",
    "baseline_period": "Baseline period", "target_value": "Target value", "target_date": "Target date",
    "notes": "Notes", "is_national": "National headline measure", "illustrative": "Illustrative figures",
}


def definition_fields(prefix: str, with_code: bool) -> dict[str, str]:
    """Service field name -> component id, for the definition form with this prefix."""
    names = [n for n in DEFINITION_LABELS if with_code or n != "code"]
    return {n: f"{prefix}-{n.replace('_', '-')}" for n in names}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value).replace(",", "")
    return str(value)


def definition_form(prefix: str, values: dict, choices: DefinitionChoices, with_code: bool,
                    submit_label: str) -> html.Div:
    """The fields of an indicator's definition, each labelled, with a place for its error."""
    ids = definition_fields(prefix, with_code)
    labels = DEFINITION_LABELS
    return html.Div([
        dbc.Row([
            dbc.Col(field(labels["code"], dbc.Input(id=ids["code"], value=_text(values.get("code")),
                                                                  maxLength=30),
                          hint="Short and unique, e.g. L-DETOX-PLACES; used in CSV files."), md=4)
            if with_code else None,
            dbc.Col(field(labels["name"], dbc.Input(id=ids["name"], value=_text(values.get("name")),
                                                                  maxLength=300)), md=8 if with_code else 12),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(field(labels["outcome_id"], forms.select(
                ids["outcome_id"], forms.select_options(choices.outcomes, blank="None"),
                _text(values.get("outcome_id")))), md=6),
            dbc.Col(field(labels["objective_id"], forms.select(
                ids["objective_id"], forms.select_options(choices.objectives, blank="None"),
                _text(values.get("objective_id")))), md=6),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(field(labels["unit"], dbc.Input(id=ids["unit"], value=_text(values.get("unit")),
                                                                  maxLength=60),
                          hint="e.g. % of adults, per 100,000, people"), md=4),
            dbc.Col(field(labels["direction"], dbc.Select(
                id=ids["direction"], value=values.get("direction") or "higher",
                options=[{"label": "Higher is better", "value": "higher"},
                         {"label": "Lower is better", "value": "lower"}])), md=4),
            dbc.Col(field(labels["source"], dbc.Input(id=ids["source"],
                                                                      value=_text(values.get("source")),
                                                                      maxLength=200),
                          hint="e.g. NDTMS, ONS, police"), md=4),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(field(labels["baseline_value"], dbc.Input(
                id=ids["baseline_value"], value=_text(values.get("baseline_value")), inputmode="decimal")), md=3),
            dbc.Col(field(labels["baseline_period"], dbc.Input(
                id=ids["baseline_period"], value=_text(values.get("baseline_period")), maxLength=40),
                hint="2024/25, 2024-Q2, 2024-05 or 2024"), md=3),
            dbc.Col(field(labels["target_value"], dbc.Input(
                id=ids["target_value"], value=_text(values.get("target_value")), inputmode="decimal")), md=3),
            dbc.Col(field(labels["target_date"], dbc.Input(
                id=ids["target_date"], type="date", value=_text(values.get("target_date")))), md=3),
        ], className="g-2"),
        field(labels["notes"], dbc.Textarea(id=ids["notes"], value=_text(values.get("notes")), rows=3,
                                                          maxLength=5000),
              hint="Where the figures come from, and which are illustrative."),
        html.Div([
            dbc.Checkbox(id=ids["is_national"], value=bool(values.get("is_national")),
                         label=labels["is_national"], class_name="mb-1"),
            dbc.Checkbox(id=ids["illustrative"], value=bool(values.get("illustrative")),
                         label="Its baseline or target is illustrative (invented for demonstration)",
                         class_name="mb-1"),
        ], className="mb-3"),
        dbc.Button(submit_label, id=f"{prefix}-submit", color="primary", n_clicks=0),
    ])
