"""Pieces of the maturity views: level chips, the heatmap, radar and trend charts with their tables,
hints, spreads, scores, and the helpers the assessment forms share.

A level is always shown as its number AND its word ("3 Established"), never as colour alone; the
colours are one blue scale (safe for colour-blind readers) and each passes AA contrast with its text.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from tracker.formatting import long_date, short_date
from tracker.services.maturity import (
    LEVELS,
    AssessmentSummary,
    Comparison,
    FrameworkView,
    Heatmap,
    Hint,
    LowScore,
    RatingRow,
    ScoreRow,
    Spread,
    Trend,
)
from tracker.web.components import forms

# background, text: contrast 17.5, 13.8, 8.1, 5.1 and 12.8 to 1
LEVEL_COLOURS = {
    1: ("#f3f2f1", "#0b0c0c"),
    2: ("#c6dbef", "#0b0c0c"),
    3: ("#6baed6", "#0b0c0c"),
    4: ("#2171b5", "#ffffff"),
    5: ("#08306b", "#ffffff"),
}
CHART_FONT = {"family": "system-ui, sans-serif", "size": 13, "color": "#0b0c0c"}
TREND_COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#b58840", "#28a197", "#f499be", "#505a5f"]


def href(path: str) -> str:
    return dash.get_relative_path(path)


def subgroup_href(subgroup_id: int) -> str:
    return href(f"/maturity/subgroup/{subgroup_id}")


def assessment_href(assessment_id: int) -> str:
    return href(f"/maturity/assessment/{assessment_id}")


def level_chip(level: int | None, name: str, small: bool = False) -> html.Span:
    if level is None:
        return html.Span("Not assessed", className="level-chip level-none")
    background, text = LEVEL_COLOURS.get(level, ("#ffffff", "#0b0c0c"))
    return html.Span([html.Strong(str(level)), f" {name}"],
                     className="level-chip" + (" level-small" if small else ""),
                     style={"backgroundColor": background, "color": text})


def status_badge(summary: AssessmentSummary) -> html.Span:
    return html.Span(summary.status_label, className=f"maturity-status status-{summary.status}")


def illustrative_tag(flag: bool) -> html.Span | None:
    return html.Span("Illustrative", className="illustrative-tag",
                     title="Illustrative seed data: not a real assessment") if flag else None


def level_legend(levels: dict[int, str]) -> html.Section:
    return html.Section([
        html.H2("Maturity levels", className="h6 mb-2", id="level-legend-heading"),
        html.Ul([html.Li(level_chip(n, levels.get(n, ""), small=True), className="list-inline-item")
                 for n in sorted(levels)],
                className="list-inline level-legend mb-0"),
    ], className="rag-legend-box", **{"aria-labelledby": "level-legend-heading"})


# --- the partnership heatmap --------------------------------------------------------------------


def heatmap_table(hm: Heatmap, table_id: str = "maturity-heatmap") -> html.Div:
    """Subgroups down, dimensions across; each cell its level number and word on the level's colour."""
    if not hm.dimensions:
        return html.P("No maturity framework has been set up yet.", id=table_id)
    header = html.Thead(html.Tr(
        [html.Th("Subgroup", scope="col")]
        + [html.Th(name, scope="col", className="heatmap-dim") for _, name in hm.dimensions]
        + [html.Th("Assessment", scope="col")]
    ))
    body = []
    for row in hm.rows:
        latest = row.latest
        cells = []
        for key, name in hm.dimensions:
            score = latest.scores.get(key) if latest else None
            if score is None:
                cells.append(html.Td("—", className="heatmap-cell heatmap-empty",
                                     title=f"{row.subgroup}, {name}: not assessed"))
                continue
            background, text = LEVEL_COLOURS[score]
            cells.append(html.Td(
                [html.Strong(str(score)), html.Br(), latest.level_names.get(score, "")],
                className="heatmap-cell", style={"backgroundColor": background, "color": text},
                id={"type": "heatmap-cell", "subgroup": row.subgroup_id, "dim": key},
            ))
        if latest:
            s = latest.summary
            about = html.Td([html.A(s.title, href=assessment_href(s.id)), html.Br(),
                             html.Span(f"{s.status_label}, {short_date(s.as_at)}", className="small"),
                             " ", illustrative_tag(s.illustrative)])
        else:
            about = html.Td("Not yet assessed", className="text-muted-strong")
        body.append(html.Tr([html.Th(html.A(row.subgroup, href=subgroup_href(row.subgroup_id)), scope="row"),
                             *cells, about], id={"type": "heatmap-row", "subgroup": row.subgroup_id}))
    return html.Div(dbc.Table([
        html.Caption("Latest agreed or signed-off score of each subgroup on each dimension (level number "
                     "and name); the chair's moderated score where there is one."),
        header, html.Tbody(body)], bordered=True, size="sm", className="bg-white heatmap mb-0", id=table_id),
        className="table-responsive", tabIndex="0", role="region",
        **{"aria-label": "Maturity heatmap (scrolls sideways)"})


# --- one subgroup: radar, change over time --------------------------------------------------------


def _label(summary: AssessmentSummary) -> str:
    return f"{summary.title} ({short_date(summary.as_at)})"


def chart_text(text: str) -> str:
    """User text for a plotly label: plotly reads a few HTML tags (<b>, <br>, <a href>) in labels, so
    escape them; it shows the entities as the characters typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wrap(text: str, width: int = 18) -> str:
    """Break a long axis label over lines (plotly's <br>), so it is not cut off at the chart's edge."""
    lines, line = [], ""
    for word in chart_text(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def radar_figure(comparison: Comparison, graph_id: str = "maturity-radar") -> html.Figure:
    names = [_wrap(name) for _, name in comparison.dimensions]
    keys = [key for key, _ in comparison.dimensions]
    fig = go.Figure()
    for assessed, dash_style, colour, fill in (
        (comparison.previous, "dash", "#505a5f", None),
        (comparison.latest, "solid", "#1d70b8", "toself"),
    ):
        if assessed is None:
            continue
        values = [assessed.scores.get(k) for k in keys]
        fig.add_trace(go.Scatterpolar(
            r=values + values[:1], theta=names + names[:1], name=chart_text(_label(assessed.summary)),
            line={"color": colour, "dash": dash_style, "width": 3}, fill=fill,
            fillcolor="rgba(29,112,184,0.15)" if fill else None, mode="lines+markers",
            hovertemplate="%{theta}: %{r}<extra></extra>",
        ))
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5], "angle": 90, "tickangle": 90},
               "angularaxis": {"direction": "clockwise"}},
        height=500, margin={"l": 110, "r": 110, "t": 50, "b": 60}, font=CHART_FONT,
        legend={"orientation": "h", "y": -0.18}, paper_bgcolor="#ffffff",
    )
    return html.Figure([
        dcc.Graph(id=graph_id, figure=fig, config={"displayModeBar": False, "responsive": True}),
        html.Figcaption("Radar chart of the latest assessment against the previous one; the table beside "
                        "it gives the same scores.", className="visually-hidden"),
    ], className="mb-0")


def radar_table(comparison: Comparison, table_id: str = "maturity-radar-table") -> dbc.Table:
    latest, previous = comparison.latest, comparison.previous
    heads = ["Dimension"]
    if previous:
        heads.append(f"Previous: {_label(previous.summary)}")
    heads += [f"Latest: {_label(latest.summary)}", "Change"] if latest else []
    rows = []
    for key, name in comparison.dimensions:
        now = latest.scores.get(key) if latest else None
        before = previous.scores.get(key) if previous else None
        cells = [html.Th(name, scope="row")]
        if previous:
            cells.append(html.Td(level_chip(before, previous.level_names.get(before, ""), small=True)))
        if latest:
            cells.append(html.Td(level_chip(now, latest.level_names.get(now, ""), small=True)))
            if now is None or before is None:
                change = "—"
            else:
                change = "No change" if now == before else (f"Up {now - before}" if now > before
                                                             else f"Down {before - now}")
            cells.append(html.Td(change))
        rows.append(html.Tr(cells))
    return dbc.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in heads])), html.Tbody(rows)],
                     bordered=True, size="sm", className="bg-white", id=table_id)


def trend_figure(trend: Trend, graph_id: str = "maturity-trend") -> html.Figure:
    fig = go.Figure()
    dates = [a.summary.as_at.isoformat() for a in trend.assessments]
    for i, (key, name) in enumerate(trend.dimensions):
        fig.add_trace(go.Scatter(
            x=dates, y=[a.scores.get(key) for a in trend.assessments], name=chart_text(name), mode="lines+markers",
            line={"color": TREND_COLOURS[i % len(TREND_COLOURS)], "width": 2},
            marker={"symbol": i % 12, "size": 9},
        ))
    fig.update_layout(
        height=380, margin={"l": 40, "r": 10, "t": 10, "b": 40}, font=CHART_FONT, paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff", yaxis={"range": [0.5, 5.5], "tickvals": [1, 2, 3, 4, 5], "title": "Level",
                                       "gridcolor": "#dddddd"},
        xaxis={"title": "Assessment date", "type": "date", "tickformat": "%d/%m/%Y",
               "tickvals": dates},
        legend={"orientation": "h", "y": -0.25},
    )
    return html.Figure([
        dcc.Graph(id=graph_id, figure=fig, config={"displayModeBar": False, "responsive": True}),
        html.Figcaption("Line chart of each dimension's score by assessment date; the table gives the same "
                        "scores.", className="visually-hidden"),
    ], className="mb-0")


def trend_table(trend: Trend, table_id: str = "maturity-trend-table") -> dbc.Table:
    heads = ["Dimension"] + [f"{a.summary.title} ({short_date(a.summary.as_at)})" for a in trend.assessments]
    rows = [
        html.Tr([html.Th(name, scope="row")] + [
            html.Td(level_chip(a.scores.get(key), a.level_names.get(a.scores.get(key), ""), small=True))
            for a in trend.assessments])
        for key, name in trend.dimensions
    ]
    return dbc.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in heads])), html.Tbody(rows)],
                     bordered=True, size="sm", responsive=True, className="bg-white", id=table_id)


def lowest_table(rows: list[LowScore], show_subgroup: bool = True, table_id: str = "maturity-lowest"):
    if not rows:
        return html.P("No agreed assessments yet.", id=table_id)
    heads = [*(["Subgroup"] if show_subgroup else []), "Dimension", "Score", "Improvement", "Delivery plan action"]
    body = []
    for low in rows:
        r = low.row
        action = (html.A(f"{r.action_ref} {r.action_title}", href=href(f"/action/{r.action_id}"))
                  if r.action_id else html.Span("Not linked yet", className="text-muted-strong"))
        body.append(html.Tr([
            *([html.Td(html.A(low.subgroup, href=subgroup_href(low.subgroup_id)))] if show_subgroup else []),
            html.Td([r.dimension, html.Br(), html.A(f"from {low.assessment}", href=assessment_href(low.assessment_id),
                                                    className="small")]),
            html.Td(level_chip(r.final_score, r.level_name, small=True)),
            html.Td(r.improvement or "—", className="user-text"),
            html.Td(action),
        ]))
    return dbc.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in heads])), html.Tbody(body)],
                     bordered=True, size="sm", responsive=True, className="bg-white", id=table_id)


def history_table(summaries: list[AssessmentSummary], table_id: str = "maturity-history"):
    if not summaries:
        return html.P("No assessments yet.", id=table_id)
    return dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in
                            ("Assessment", "Status", "Opened", "Agreed", "Signed off", "Raters", "Framework")])),
        html.Tbody([
            html.Tr([
                html.Td([html.A(s.title, href=assessment_href(s.id)), " ", illustrative_tag(s.illustrative)]),
                html.Td(status_badge(s)),
                html.Td(f"{short_date(s.opened_on)} by {s.opened_by}"),
                html.Td(short_date(s.agreed_on)),
                html.Td(short_date(s.signed_off_on) + (f" by {s.signed_off_by}" if s.signed_off_by else "")),
                html.Td(f"{s.submitted} of {s.raters} submitted"),
                html.Td(f"Version {s.framework_version}"),
            ])
            for s in summaries
        ]),
    ], bordered=True, size="sm", responsive=True, className="bg-white", id=table_id)


# --- the assessment page ------------------------------------------------------------------------


def hint_box(hint: Hint | None, box_id: dict | str) -> html.Aside | None:
    if hint is None:
        return None
    return html.Aside([
        html.P([html.Strong("Evidence from the tracker "), html.Span("(a hint, not a score): "), hint.headline],
               className="mb-1"),
        html.Ul([html.Li(fact) for fact in hint.facts], className="mb-0") if hint.facts else None,
    ], className="maturity-hint", id=box_id)


def descriptors(dim, framework: FrameworkView) -> html.Details:
    return html.Details([
        html.Summary(f"What each level means for {dim.name}"),
        html.Dl([item for level, text in dim.descriptors.items() for item in (
            html.Dt(level_chip(level, framework.level_name(level), small=True)),
            html.Dd(text, className="mb-2"),
        )], className="mb-0 mt-2"),
    ], className="maturity-descriptors")


def score_options(framework: FrameworkView, blank: str = "Choose a score") -> list[dict]:
    return forms.select_options([(n, f"{n} – {framework.level_name(n)}") for n in LEVELS], blank=blank)


def select_field(component_id: dict | str, label: str, options: list[dict], value, hint: str | None = None,
                 error_id: dict | None = None):
    """A labelled select of an assessment form; its problems are listed in `error_id` (the dimension's
    error block), if any."""
    return forms.field(label, forms.select(component_id, options, value), hint, error_suffix=None,
                       error_id=error_id, class_name="mb-2")


def text_field(component_id: dict | str, label: str, value: str | None, rows: int = 3, hint: str | None = None,
               error_id: dict | None = None):
    """A labelled text box of an assessment form (see select_field)."""
    return forms.field(label, dbc.Textarea(id=component_id, value=value or "", rows=rows, maxLength=5000), hint,
                       error_suffix=None, error_id=error_id, class_name="mb-2")


def field_error(component_id: dict) -> html.Div:
    """Where a dimension's problems are listed after a save is refused (empty until then)."""
    return html.Div(id=component_id, className="field-error")


def spread_cell(spread: Spread | None) -> str:
    if spread is None or not spread.scores:
        return "No submitted ratings"
    return ", ".join(str(s) for s in spread.scores)


def agreement_badge(spread: Spread | None) -> html.Span:
    if spread is None or not spread.scores:
        return html.Span("No ratings yet", className="agreement agreement-none")
    kind = "split" if spread.split else ("agree" if spread.range == 0 else "close")
    symbol = {"split": "⚠ ", "agree": "✓ ", "close": "≈ "}[kind]
    return html.Span([html.Span(symbol, **{"aria-hidden": "true"}), spread.agreement],
                     className=f"agreement agreement-{kind}")


def spread_table(framework: FrameworkView, spreads: dict[int, Spread], ratings: dict[int, list[RatingRow]],
                 table_id: str = "maturity-spread") -> html.Div:
    rows = []
    for dim in framework.dimensions:
        spread = spreads.get(dim.id)
        given = ratings.get(dim.id, [])
        detail = html.Details([
            html.Summary(f"{len(given)} rating{'s' if len(given) != 1 else ''}"),
            html.Ul([html.Li([html.Strong(f"{r.rater}: {r.score if r.score is not None else '—'}"),
                              html.Span(f" {r.evidence}" if r.evidence else "", className="user-text")])
                     for r in given], className="mb-0"),
        ]) if given else "—"
        rows.append(html.Tr([
            html.Th(dim.name, scope="row"),
            html.Td(spread_cell(spread)),
            html.Td(str(spread.low) if spread and spread.scores else "—"),
            html.Td(str(spread.high) if spread and spread.scores else "—"),
            html.Td(str(spread.range) if spread and spread.scores else "—"),
            html.Td(agreement_badge(spread)),
            html.Td(detail),
        ], id={"type": "spread-row", "dim": dim.key}))
    return html.Div(dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in
                            ("Dimension", "Scores", "Lowest", "Highest", "Range", "Agreement", "Ratings")])),
        html.Tbody(rows),
    ], bordered=True, size="sm", className="bg-white mb-0", id=table_id), className="table-responsive")


def scores_table(framework: FrameworkView, scores: list[ScoreRow], table_id: str = "maturity-scores"):
    body = []
    for r in scores:
        moderated = "—"
        if r.moderated_score is not None:
            moderated = [level_chip(r.moderated_score, framework.level_name(r.moderated_score), small=True),
                         html.Div(r.moderation_comment, className="user-text small mt-1")
                         if r.moderation_comment else None]
        action = (html.A(f"{r.action_ref} {r.action_title}", href=href(f"/action/{r.action_id}"))
                  if r.action_id else "—")
        body.append(html.Tr([
            html.Th(r.dimension, scope="row"),
            html.Td(level_chip(r.agreed_score, framework.level_name(r.agreed_score), small=True)),
            html.Td(moderated),
            html.Td(level_chip(r.final_score, r.level_name, small=True), id={"type": "final-score", "dim": r.key}),
            html.Td(r.evidence, className="user-text"),
            html.Td(r.improvement or "—", className="user-text"),
            html.Td(action),
        ]))
    return html.Div(dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in (
            "Dimension", "Agreed", "Chair's moderation", "Score", "Evidence", "Improvement", "Delivery plan action")])),
        html.Tbody(body),
    ], bordered=True, size="sm", className="bg-white mb-0", id=table_id), className="table-responsive")


def success(message: str, alert_id: str = "success-message") -> dbc.Alert:
    return dbc.Alert(message, color="success", id=alert_id)


def dimension_errors(errors: dict[str, str], ids: list[dict], key: str = "dim") -> list:
    """For each per-dimension error block, the messages for that dimension (errors keyed "<id>.<field>")."""
    result = []
    for component_id in ids:
        prefix = f"{component_id[key]}."
        messages = [m for k, m in errors.items() if k.startswith(prefix)]
        result.append(html.Ul([html.Li(m) for m in messages], className="mb-1") if messages else None)
    return result


def invalid_flags(errors: dict[str, str], ids: list[dict], field: str, key: str = "dim") -> list[bool]:
    return [f"{component_id[key]}.{field}" in errors for component_id in ids]


def signed_off_note(summary: AssessmentSummary) -> html.P | None:
    if summary.status != "signed_off":
        return None
    return html.P(f"Signed off by {summary.signed_off_by or 'the chair'} on {long_date(summary.signed_off_on)}. "
                  "Its scores can no longer change.", className="mb-1", id="signed-off-note")
