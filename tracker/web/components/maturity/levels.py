"""The building blocks of the maturity views: links, level chips, status badges and the level legend.

A level is always shown as its number AND its word ("3 Established"), never as colour alone; the
colours are one hue getting lighter as the level rises, so the weakest levels are the strongest
colour and stand out on the heatmap (a single hue reads the same to colour-blind readers); each
passes AA contrast with its text.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.formatting import long_date, short_date
from tracker.services.maturity import AssessmentSummary, FrameworkView, ScoreRow

# background, text: contrast 9.5, 5.3, 9.5, 14.7 and 18.5 to 1 (tests/unit/test_maturity_views.py)
LEVEL_COLOURS = {
    1: ("#7a2e00", "#ffffff"),
    2: ("#b04f14", "#ffffff"),
    3: ("#f0a468", "#0b0c0c"),
    4: ("#fbd9b9", "#0b0c0c"),
    5: ("#fff7ef", "#0b0c0c"),
}


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


def framework_chip(framework: FrameworkView, level: int | None) -> html.Span:
    """The small chip of a level, named as the framework names it."""
    return level_chip(level, framework.level_name(level), small=True)


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



def assessment_label(summary: AssessmentSummary) -> str:
    """An assessment named with the date it speaks for, e.g. "2025/26 self-assessment (31/03/2026)"."""
    return f"{summary.title} ({short_date(summary.as_at)})"


def action_link(row: ScoreRow, empty="—"):
    """The delivery-plan action an improvement is linked to, or `empty`."""
    if not row.action_id:
        return empty
    return html.A(f"{row.action_ref} {row.action_title}", href=href(f"/action/{row.action_id}"))


def table(heads: list, body: list, table_id: str, **kwargs) -> dbc.Table:
    """A bordered table of the maturity views: a header row of column headings, then `body`'s rows."""
    kwargs.setdefault("className", "bg-white")
    return dbc.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in heads])), html.Tbody(body)],
                     bordered=True, size="sm", id=table_id, **kwargs)


def signed_off_note(summary: AssessmentSummary) -> html.P | None:
    if not summary.is_signed_off:
        return None
    return html.P(f"Signed off by {summary.signed_off_by or 'the chair'} on {long_date(summary.signed_off_on)}. "
                  "Its scores can no longer change.", className="mb-1", id="signed-off-note")
