"""The tables of the maturity views: the lowest-scoring dimensions, a subgroup's assessments, the spread
of the raters' scores and an assessment's agreed scores."""

from __future__ import annotations

from dash import html

from tracker.formatting import short_date
from tracker.services.maturity import AssessmentSummary, FrameworkView, LowScore, RatingRow, ScoreRow, Spread
from tracker.web.components.maturity.levels import (
    action_link,
    assessment_href,
    framework_chip,
    illustrative_tag,
    level_chip,
    status_badge,
    subgroup_href,
    table,
)


def lowest_table(rows: list[LowScore], show_subgroup: bool = True, table_id: str = "maturity-lowest"):
    if not rows:
        return html.P("No agreed assessments yet.", id=table_id)
    heads = [*(["Subgroup"] if show_subgroup else []), "Dimension", "Score", "Improvement", "Delivery plan action"]
    body = []
    for low in rows:
        r = low.row
        action = action_link(r, empty=html.Span("Not linked yet", className="text-muted-strong"))
        body.append(html.Tr([
            *([html.Td(html.A(low.subgroup, href=subgroup_href(low.subgroup_id)))] if show_subgroup else []),
            html.Td([r.dimension, html.Br(), html.A(f"from {low.assessment}", href=assessment_href(low.assessment_id),
                                                    className="small")]),
            html.Td(level_chip(r.final_score, r.level_name, small=True)),
            html.Td(r.improvement or "—", className="user-text"),
            html.Td(action),
        ]))
    return table(heads, body, table_id, responsive=True)


def history_table(summaries: list[AssessmentSummary], table_id: str = "maturity-history"):
    if not summaries:
        return html.P("No assessments yet.", id=table_id)
    heads = ["Assessment", "Status", "Opened", "Agreed", "Signed off", "Raters", "Framework"]
    return table(heads, [
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
        ], table_id, responsive=True)

def spread_cell(spread: Spread | None) -> str:
    if spread is None or not spread.scores:
        return "No submitted ratings"
    return ", ".join(str(s) for s in spread.scores)


def agreement_badge(spread: Spread | None) -> html.Span:
    if spread is None or not spread.scores:
        return html.Span("No ratings yet", className="agreement agreement-none")
    symbol = {"split": "⚠ ", "agree": "✓ ", "close": "≈ "}[spread.kind]
    return html.Span([html.Span(symbol, **{"aria-hidden": "true"}), spread.agreement],
                     className=f"agreement agreement-{spread.kind}")


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
            *[html.Td(str(figure) if spread and spread.scores else "—")
              for figure in ((spread.low, spread.high, spread.range) if spread else (None,) * 3)],
            html.Td(agreement_badge(spread)),
            html.Td(detail),
        ], id={"type": "spread-row", "dim": dim.key}))
    heads = ["Dimension", "Scores", "Lowest", "Highest", "Range", "Agreement", "Ratings"]
    return html.Div(table(heads, rows, table_id, className="bg-white mb-0"), className="table-responsive")


def scores_table(framework: FrameworkView, scores: list[ScoreRow], table_id: str = "maturity-scores"):
    body = []
    for r in scores:
        moderated = "—"
        if r.moderated_score is not None:
            moderated = [framework_chip(framework, r.moderated_score),
                         html.Div(r.moderation_comment, className="user-text small mt-1")
                         if r.moderation_comment else None]
        body.append(html.Tr([
            html.Th(r.dimension, scope="row"),
            html.Td(framework_chip(framework, r.agreed_score)),
            html.Td(moderated),
            html.Td(level_chip(r.final_score, r.level_name, small=True), id={"type": "final-score", "dim": r.key}),
            html.Td(r.evidence, className="user-text"),
            html.Td(r.improvement or "—", className="user-text"),
            html.Td(action_link(r)),
        ]))
    heads = ["Dimension", "Agreed", "Chair's moderation", "Score", "Evidence", "Improvement", "Delivery plan action"]
    return html.Div(table(heads, body, table_id, className="bg-white mb-0"), className="table-responsive")

