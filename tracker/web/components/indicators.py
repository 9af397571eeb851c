"""Pieces of the outcome and indicator views: the status badge (a word and a symbol, never colour
alone), the rule in words, the chart against baseline and trajectory with its table and summary, the
indicators table. The forms are in tracker.web.components.indicator_forms."""

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
from tracker.rules.numbers import format_measure
from tracker.rules.periods import period_words
from tracker.services.indicators import IndicatorDetail, IndicatorSummary

# Background and text colours that pass WCAG AA contrast; the word and symbol carry the meaning.
STATUS_COLOURS = {
    "on_track": ("#00703c", "#ffffff"),
    "at_risk": ("#ffdd00", "#0b0c0c"),
    "off_track": ("#d4351c", "#ffffff"),
    "no_data": ("#505a5f", "#ffffff"),
    "no_target": ("#ffffff", "#0b0c0c"),
    "no_baseline": ("#ffffff", "#0b0c0c"),
    "no_clear_change": ("#f3f2f1", "#0b0c0c"),
    "too_few": ("#ffffff", "#0b0c0c"),
}
OPTIONAL_STATUSES = ("no_baseline", "no_clear_change", "too_few")  # a count tile only where an indicator has it


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
        html.Dl([item for code in ("on_track", "at_risk", "off_track", "no_clear_change", "too_few", "no_data",
                                                "no_target") for item in (
            html.Dt(status_badge(code)), html.Dd(STATUS_DEFINITIONS[code], className="mb-1 small"),
        )], className="rag-legend mb-0"),
    ], className="rag-legend-box", id="status-rule", **{"aria-labelledby": heading_id})


def status_counts(counts: dict[str, int]) -> dbc.Row:
    return dbc.Row([
        dbc.Col(html.Div([html.Div(str(counts.get(code, 0)), className="count"), status_badge(code)],
                         className="rag-count-tile", id=f"status-count-{code}"), xs=6, md=True)
        for code in STATUS_ORDER if code not in OPTIONAL_STATUSES or counts.get(code)
    ], className="g-2")


def direction_words(direction: str) -> str:
    return "Higher is better" if direction == "higher" else "Lower is better"


def baseline_words(s: IndicatorSummary) -> str:
    if s.baseline_value is None:
        return "Not set"
    return f"{format_measure(s.baseline_value, s.unit)} ({period_words(s.baseline_period)})"


def target_words(s: IndicatorSummary) -> str:
    if s.target_value is None or s.target_date is None:
        return "Not set"
    return f"{format_measure(s.target_value, s.unit)} by {short_date(s.target_date)}"


def latest_words(s: IndicatorSummary) -> str:
    if s.latest_value is None:
        return "No values"
    return f"{format_measure(s.latest_value, s.unit)} ({period_words(s.latest_period)})"


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
            name=f"Baseline ({period_words(s.baseline_period)})", line={"color": "#505a5f", "dash": "dot", "width": 2},
            hovertemplate=f"Baseline: {format_measure(s.baseline_value, s.unit)}<extra></extra>",
        ))
        if s.target_value is not None and s.target_date is not None:
            fig.add_trace(go.Scatter(
                x=[s.baseline_date.isoformat(), s.target_date.isoformat()],
                y=[s.baseline_value, s.target_value], mode="lines+markers", name="Trajectory to target",
                line={"color": "#1d70b8", "dash": "dash", "width": 2},
                marker={"symbol": ["diamond", "star"], "size": [10, 16], "color": "#1d70b8",
                        "line": {"color": "#0b0c0c", "width": 1}},
                customdata=[[format_measure(s.baseline_value, s.unit)], [format_measure(s.target_value, s.unit)]],
                hovertemplate="%{x|%d %b %Y}: %{customdata[0]}<extra>Trajectory</extra>",
            ))
    if values:
        fig.add_trace(go.Scatter(
            x=[v.end.isoformat() for v in values], y=[v.value for v in values], mode="lines+markers",
            name="Actual values", line={"color": "#0b0c0c", "width": 3},
            marker={"size": 9, "color": "#0b0c0c", "symbol": "circle"},
            customdata=[[period_words(v.period), format_measure(v.value, s.unit)] for v in values],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra>Actual</extra>",
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
        yaxis=_yaxis(detail), xaxis=xaxis,
        font={"family": "system-ui, sans-serif", "size": 13, "color": "#0b0c0c"},
    )
    return dcc.Graph(id=graph_id, figure=fig, config={"displayModeBar": False, "responsive": True})


def _yaxis(detail: IndicatorDetail) -> dict:
    """One tick format; from zero when every figure is zero or more (a count or share read from its
    true base), so one value does not get an axis of 1702–1704."""
    s = detail.summary
    figures = [v.value for v in detail.values] + [x for x in (s.baseline_value, s.target_value) if x is not None]
    axis = {"gridcolor": "#dddddd", "automargin": True, "tickformat": ",~f", "title": s.unit or None}
    if figures and min(figures) >= 0:
        axis["rangemode"] = "tozero"
    return axis


def chart_summary(detail: IndicatorDetail) -> str:
    """The chart in words, for everyone who cannot see it."""
    s, values = detail.summary, detail.values
    parts = []
    if values:
        first, last = values[0], values[-1]
        parts.append(f"{len(values)} value{'s' if len(values) != 1 else ''} from {period_words(first.period)} "
                     f"({format_measure(first.value, s.unit)}) to {period_words(last.period)} "
                     f"({format_measure(last.value, s.unit)}).")
    else:
        parts.append("No values have been entered yet.")
    if s.baseline_value is not None:
        parts.append(f"Baseline {format_measure(s.baseline_value, s.unit)} ({period_words(s.baseline_period)}).")
    if s.target_value is not None and s.target_date is not None:
        parts.append(f"Target {format_measure(s.target_value, s.unit)} by {long_date(s.target_date)}.")
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
            shown_diff = format_measure(abs(diff), s.unit)
            # A difference that rounds to nothing at the unit's precision is on the line.
            word = "on the line" if shown_diff == "0" else ("better" if diff > 0 else "worse")
            against = f"{format_measure(v.expected, s.unit)} ({shown_diff} {word})" \
                if word != "on the line" else f"{format_measure(v.expected, s.unit)} (on the line)"
        rows.append(html.Tr([
            html.Th(period_words(v.period), scope="row", className="text-nowrap"),
            html.Td(short_date(v.end), className="text-nowrap"),
            html.Td(format_measure(v.value, s.unit), className="text-end"),
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
