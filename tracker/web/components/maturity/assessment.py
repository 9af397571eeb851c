"""The sections of an assessment's page, each a pure function of its view model
(maturity.AssessmentDetail): the header, the raters, the rating, agreeing, moderation and linking
forms, and the spread of the ratings. Per-dimension fields use pattern-matching ids
({"type": ..., "dim": id}).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from tracker.formatting import long_date, short_date
from tracker.rules.maturity import SPLIT_RANGE
from tracker.services.maturity import AssessmentDetail, DimensionView, FrameworkView
from tracker.web.components.forms import select_options
from tracker.web.components.maturity.fields import (
    descriptors,
    field_error,
    hint_box,
    score_options,
    select_field,
    text_field,
)
from tracker.web.components.maturity.levels import (
    framework_chip,
    illustrative_tag,
    signed_off_note,
    status_badge,
    subgroup_href,
)
from tracker.web.components.maturity.tables import agreement_badge, scores_table, spread_table


def _dimension_box(dim: DimensionView, content: list, box_id: dict) -> html.Fieldset:
    return html.Fieldset([html.Legend(f"{dim.number}. {dim.name}"), *content],
                         className="maturity-dimension", id=box_id)


def _header(d: AssessmentDetail) -> list:
    s = d.summary
    facts = [
        html.Div([html.Dt("Status"), html.Dd([status_badge(s), " ", illustrative_tag(s.illustrative)],
                                             id="assessment-status")]),
        html.Div([html.Dt("Opened"), html.Dd(f"{long_date(s.opened_on)} by {s.opened_by}")]),
        html.Div([html.Dt("Framework"), html.Dd(f"{d.framework.name}, version {d.framework.version}")]),
    ]
    if s.agreed_on:
        facts.append(html.Div([html.Dt("Scores agreed"), html.Dd(long_date(s.agreed_on))]))
    return [
        html.P(html.A(f"← Maturity of {d.subgroup.name}", href=subgroup_href(d.subgroup.id))),
        html.H1(s.heading, className="h3"),
        html.Dl(facts, className="assessment-facts"),
        signed_off_note(s),
        html.Div([html.Strong("Chair's comment: "), html.Span(s.chair_comment, className="user-text")],
                 className="mb-2") if s.chair_comment else None,
    ]


def _raters(d: AssessmentDetail) -> html.Section:
    items = [html.Li(f"{r.name}: " + (f"submitted {short_date(r.submitted_at)}" if r.submitted_at
                                       else "not yet submitted")) for r in d.raters]
    invite = None
    if d.can_invite and d.invitable:
        invite = html.Div([
            html.Fieldset([
                html.Legend("Invite more members", className="h6"),
                *[dbc.Checkbox(id={"type": "invite-rater", "person": p.id}, value=False, label=p.name,
                               className="mb-1") for p in d.invitable],
            ], className="mb-2"),
            dbc.Button("Invite", id="invite-submit", color="secondary", size="sm"),
        ], className="mt-2 maturity-form")
    return html.Section([
        html.H2(f"Raters ({d.summary.submitted} of {d.summary.raters} submitted)", className="h5"),
        html.Ul(items, id="assessment-raters", className="mb-0"),
        invite,
    ], className="card-section")


def _form_section(heading: str, heading_id: str, children: list) -> html.Section:
    """A form of the page: its heading, an introduction (the first child, a sentence), then its fields."""
    intro, *rest = children
    return html.Section([html.H2(heading, className="h5", id=heading_id), html.P(intro), *rest],
                        className="card-section", **{"aria-labelledby": heading_id})


def _score_fields(kind: str, dim: DimensionView, fw: FrameworkView, values: tuple | None,
                  labels: tuple[str, str, str], improvement_hint: str) -> list:
    """A dimension's error block, then its score, evidence and improvement fields (ids "<kind>-score",
    "<kind>-evidence", "<kind>-improvement"), filled with `values` (score, evidence, improvement) if given."""
    score, evidence, improvement = values or (None, "", "")
    errors = {"type": f"{kind}-error", "dim": dim.id}
    return [
        field_error(errors),
        select_field({"type": f"{kind}-score", "dim": dim.id}, labels[0], score_options(fw), score, error_id=errors),
        text_field({"type": f"{kind}-evidence", "dim": dim.id}, labels[1], evidence, error_id=errors),
        text_field({"type": f"{kind}-improvement", "dim": dim.id}, labels[2], improvement, hint=improvement_hint,
                   error_id=errors),
    ]


def _rating_form(d: AssessmentDetail) -> html.Section:
    fw = d.framework
    boxes = []
    for dim in fw.dimensions:
        mine = d.my_ratings.get(dim.id)
        boxes.append(_dimension_box(dim, [
            html.P(dim.description) if dim.description else None,
            descriptors(dim, fw),
            hint_box(d.hints.get(dim.id), {"type": "hint", "dim": dim.key}),
            *_score_fields("rate", dim, fw, mine and (mine.score, mine.evidence, mine.improvement),
                           ("Your score", "Your evidence for this score", "What would move it to the next level"),
                           "Not needed for a score of 5."),
        ], {"type": "rate-box", "dim": dim.key}))
    return _form_section("Your ratings", "rating-heading", [
        "Score each dimension on your own: you will see the others' scores once you have submitted "
        "yours. Save a draft at any time; once you submit, your ratings cannot change.",
        *boxes,
        html.Div([
            dbc.Button("Save draft", id="rate-save", color="secondary", className="me-2"),
            dbc.Button("Submit my ratings", id="rate-submit", color="primary"),
        ]),
    ])


def _spread_section(d: AssessmentDetail):
    if d.spreads is None:
        if d.is_open and d.is_rater:
            text = "You will see the other raters' scores once you have submitted yours."
        else:
            text = "The raters' scores are shown to the raters once they have submitted, and to everyone once agreed."
        return html.Section([html.H2("Where raters agree and split", className="h5"),
                             html.P(text, id="spread-hidden")], className="card-section")
    return html.Section([
        html.H2("Where raters agree and split", className="h5"),
        html.P(f"From the {d.summary.submitted} submitted rating(s). A range of {SPLIT_RANGE} or more "
               "is a split: discuss those dimensions first.", className="small"),
        spread_table(d.framework, d.spreads, d.ratings),
    ], className="card-section")


def _agree_form(d: AssessmentDetail) -> html.Section:
    fw = d.framework
    boxes = []
    for dim in fw.dimensions:
        spread = (d.spreads or {}).get(dim.id)
        scores = ", ".join(str(s) for s in spread.scores) if spread and spread.scores else "none"
        boxes.append(_dimension_box(dim, [
            html.P(["Raters' scores: ", html.Strong(scores), " ", agreement_badge(spread)]),
            hint_box(d.hints.get(dim.id), {"type": "agree-hint", "dim": dim.key}),
            *_score_fields("agree", dim, fw, None,
                           ("Agreed score", "Evidence for the agreed score", "Improvement action"),
                           "What the subgroup will do to reach the next level. Not needed for a score of 5."),
        ], {"type": "agree-box", "dim": dim.key}))
    return _form_section("Record the agreed scores", "agree-heading", [
        "After discussing the ratings, record the score the subgroup agrees for each dimension. "
        "Rating then closes and the chair moderates the scores.",
        *boxes,
        dbc.Button("Record the agreed scores", id="agree-submit", color="primary"),
    ])


def _moderation_form(d: AssessmentDetail) -> html.Section:
    fw = d.framework
    boxes = []
    for row in d.scores:
        dim = fw.dimension(row.dimension_id)
        current = row.moderated_score if row.moderated_score is not None else row.agreed_score
        errors = {"type": "mod-error", "dim": dim.id}
        boxes.append(_dimension_box(dim, [
            html.P(["Agreed: ", framework_chip(fw, row.agreed_score)]),
            html.P(row.evidence, className="user-text small"),
            field_error(errors),
            select_field({"type": "mod-score", "dim": dim.id}, "Moderated score", score_options(fw), current,
                         error_id=errors),
            text_field({"type": "mod-comment", "dim": dim.id}, "Comment (needed if you change the score)",
                       row.moderation_comment, rows=2, error_id=errors),
        ], {"type": "mod-box", "dim": dim.key}))
    return _form_section("Moderate the scores", "moderate-heading", [
        "Keep each agreed score or change it; say why for every change.",
        *boxes,
        dbc.Button("Save moderation", id="moderate-submit", color="secondary"),
        html.Hr(),
        html.H2("Sign off", className="h5"),
        html.P("Once signed off, nothing in this assessment can change."),
        text_field("signoff-comment", "Chair's comment", d.summary.chair_comment),
        dbc.Button("Sign off this assessment", id="signoff-submit", color="primary"),
    ])


def _link_form(d: AssessmentDetail) -> html.Section:
    options = select_options(d.action_choices, blank="No action linked")
    return _form_section("Link improvements to delivery plan actions", "link-heading", [
        "Link each improvement to the action in the delivery plan that carries it out.",
        *[select_field({"type": "link-action", "score": row.score_id},
                       f"Action for {row.dimension} ({row.improvement or 'no improvement'})",
                       options, row.action_id or "")
          for row in d.scores],
        dbc.Button("Save links", id="link-submit", color="secondary"),
    ])


def assessment_page(d: AssessmentDetail) -> list:
    """Everything the assessment page shows, in order; forms only for what the person may do."""
    parts = [*_header(d), _raters(d)]
    if d.can_rate:
        parts.append(_rating_form(d))
    elif d.my_submitted_at:
        parts.append(html.P(f"You submitted your ratings on {long_date(d.my_submitted_at)}.", id="my-submitted"))
    if d.is_open or d.ratings_visible:
        parts.append(_spread_section(d))
    if d.can_agree:
        parts.append(_agree_form(d))
    if d.scores:
        parts.append(html.Section([html.H2("Agreed scores", className="h5"), scores_table(d.framework, d.scores)],
                                  className="card-section"))
    if d.can_moderate:
        parts.append(_moderation_form(d))
    if d.can_link:
        parts.append(_link_form(d))
    return parts
