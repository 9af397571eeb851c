"""One assessment round: rate independently, see the spread, agree, moderate, sign off, link actions.

What each person sees and may do comes from maturity.assessment_detail; every button calls a service
that checks it all again. Per-dimension fields use pattern-matching ids ({"type": ..., "dim": id}).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from tracker.formatting import long_date, short_date
from tracker.services import maturity
from tracker.services.errors import NotFound
from tracker.web.callbacks import callback
from tracker.web.components.forms import refused, select_options, to_int
from tracker.web.components.maturity import (
    agreement_badge,
    descriptors,
    dimension_errors,
    field_error,
    hint_box,
    illustrative_tag,
    invalid_flags,
    level_chip,
    score_options,
    scores_table,
    select_field,
    signed_off_note,
    spread_table,
    status_badge,
    subgroup_href,
    success,
    text_field,
)
from tracker.web.context import run_service, signed_in_page, today

dash.register_page(__name__, path_template="/maturity/assessment/<assessment_id>",
                   title="Maturity assessment – CDP Delivery Tracker", name="Maturity assessment")

# The service's name of each per-dimension field -> the type of its component id ({"type": ..., "dim": id}).
RATE_FIELDS = {"score": "rate-score", "evidence": "rate-evidence", "improvement": "rate-improvement"}
AGREE_FIELDS = {"agreed_score": "agree-score", "evidence": "agree-evidence", "improvement": "agree-improvement"}
MODERATE_FIELDS = {"moderated_score": "mod-score", "comment": "mod-comment"}


def _int(value) -> int:
    """An id from the browser; 0 (no such record) when it is not a number."""
    return to_int(value) or 0


def _dimension_box(dim, content: list, box_id: dict) -> html.Fieldset:
    return html.Fieldset([html.Legend(f"{dim.number}. {dim.name}"), *content],
                         className="maturity-dimension", id=box_id)


def _header(d: maturity.AssessmentDetail) -> list:
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
        html.H1(f"{s.title}: {d.subgroup.name}", className="h3"),
        html.Dl(facts, className="assessment-facts"),
        signed_off_note(s),
        html.Div([html.Strong("Chair's comment: "), html.Span(s.chair_comment, className="user-text")],
                 className="mb-2") if s.chair_comment else None,
    ]


def _raters(d: maturity.AssessmentDetail) -> html.Section:
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


def _rating_form(d: maturity.AssessmentDetail) -> html.Section:
    fw = d.framework
    boxes = []
    for dim in fw.dimensions:
        mine = d.my_ratings.get(dim.id)
        errors = {"type": "rate-error", "dim": dim.id}
        boxes.append(_dimension_box(dim, [
            html.P(dim.description) if dim.description else None,
            descriptors(dim, fw),
            hint_box(d.hints.get(dim.id), {"type": "hint", "dim": dim.key}),
            field_error(errors),
            select_field({"type": "rate-score", "dim": dim.id}, "Your score", score_options(fw),
                         mine.score if mine else None, error_id=errors),
            text_field({"type": "rate-evidence", "dim": dim.id}, "Your evidence for this score",
                       mine.evidence if mine else "", error_id=errors),
            text_field({"type": "rate-improvement", "dim": dim.id}, "What would move it to the next level",
                       mine.improvement if mine else "", hint="Not needed for a score of 5.", error_id=errors),
        ], {"type": "rate-box", "dim": dim.key}))
    return html.Section([
        html.H2("Your ratings", className="h5", id="rating-heading"),
        html.P("Score each dimension on your own: you will see the others' scores once you have submitted "
               "yours. Save a draft at any time; once you submit, your ratings cannot change."),
        *boxes,
        html.Div([
            dbc.Button("Save draft", id="rate-save", color="secondary", className="me-2"),
            dbc.Button("Submit my ratings", id="rate-submit", color="primary"),
        ]),
    ], className="card-section", **{"aria-labelledby": "rating-heading"})


def _spread_section(d: maturity.AssessmentDetail):
    if d.spreads is None:
        if d.summary.status == "open" and d.is_rater:
            text = "You will see the other raters' scores once you have submitted yours."
        else:
            text = "The raters' scores are shown to the raters once they have submitted, and to everyone once agreed."
        return html.Section([html.H2("Where raters agree and split", className="h5"),
                             html.P(text, id="spread-hidden")], className="card-section")
    return html.Section([
        html.H2("Where raters agree and split", className="h5"),
        html.P(f"From the {d.summary.submitted} submitted rating(s). A range of {maturity.SPLIT_RANGE} or more "
               "is a split: discuss those dimensions first.", className="small"),
        spread_table(d.framework, d.spreads, d.ratings),
    ], className="card-section")


def _agree_form(d: maturity.AssessmentDetail) -> html.Section:
    fw = d.framework
    boxes = []
    for dim in fw.dimensions:
        spread = (d.spreads or {}).get(dim.id)
        scores = ", ".join(str(s) for s in spread.scores) if spread and spread.scores else "none"
        errors = {"type": "agree-error", "dim": dim.id}
        boxes.append(_dimension_box(dim, [
            html.P(["Raters' scores: ", html.Strong(scores), " ", agreement_badge(spread)]),
            hint_box(d.hints.get(dim.id), {"type": "agree-hint", "dim": dim.key}),
            field_error(errors),
            select_field({"type": "agree-score", "dim": dim.id}, "Agreed score", score_options(fw), None,
                         error_id=errors),
            text_field({"type": "agree-evidence", "dim": dim.id}, "Evidence for the agreed score", "",
                       error_id=errors),
            text_field({"type": "agree-improvement", "dim": dim.id}, "Improvement action", "",
                       hint="What the subgroup will do to reach the next level. Not needed for a score of 5.",
                       error_id=errors),
        ], {"type": "agree-box", "dim": dim.key}))
    return html.Section([
        html.H2("Record the agreed scores", className="h5", id="agree-heading"),
        html.P("After discussing the ratings, record the score the subgroup agrees for each dimension. "
               "Rating then closes and the chair moderates the scores."),
        *boxes,
        dbc.Button("Record the agreed scores", id="agree-submit", color="primary"),
    ], className="card-section", **{"aria-labelledby": "agree-heading"})


def _moderation_form(d: maturity.AssessmentDetail) -> html.Section:
    fw = d.framework
    boxes = []
    for row in d.scores:
        dim = fw.dimension(row.dimension_id)
        current = row.moderated_score if row.moderated_score is not None else row.agreed_score
        errors = {"type": "mod-error", "dim": dim.id}
        boxes.append(_dimension_box(dim, [
            html.P(["Agreed: ", level_chip(row.agreed_score, fw.level_name(row.agreed_score), small=True)]),
            html.P(row.evidence, className="user-text small"),
            field_error(errors),
            select_field({"type": "mod-score", "dim": dim.id}, "Moderated score", score_options(fw), current,
                         error_id=errors),
            text_field({"type": "mod-comment", "dim": dim.id}, "Comment (needed if you change the score)",
                       row.moderation_comment, rows=2, error_id=errors),
        ], {"type": "mod-box", "dim": dim.key}))
    return html.Section([
        html.H2("Moderate the scores", className="h5", id="moderate-heading"),
        html.P("Keep each agreed score or change it; say why for every change."),
        *boxes,
        dbc.Button("Save moderation", id="moderate-submit", color="secondary"),
        html.Hr(),
        html.H2("Sign off", className="h5"),
        html.P("Once signed off, nothing in this assessment can change."),
        text_field("signoff-comment", "Chair's comment", d.summary.chair_comment),
        dbc.Button("Sign off this assessment", id="signoff-submit", color="primary"),
    ], className="card-section", **{"aria-labelledby": "moderate-heading"})


def _link_form(d: maturity.AssessmentDetail, choices: list[tuple[int, str]]) -> html.Section:
    options = select_options(choices, blank="No action linked")
    return html.Section([
        html.H2("Link improvements to delivery plan actions", className="h5", id="link-heading"),
        html.P("Link each improvement to the action in the delivery plan that carries it out."),
        *[select_field({"type": "link-action", "score": row.score_id},
                       f"Action for {row.dimension} ({row.improvement or 'no improvement'})",
                       options, row.action_id or "")
          for row in d.scores],
        dbc.Button("Save links", id="link-submit", color="secondary"),
    ], className="card-section", **{"aria-labelledby": "link-heading"})


def render(session, person, assessment_id: int) -> list:
    try:
        d = maturity.assessment_detail(session, person, assessment_id, today())
    except NotFound as exc:
        return [html.H1("Assessment not found", className="h3"), html.P(str(exc))]
    parts = [*_header(d), _raters(d)]
    if d.can_rate:
        parts.append(_rating_form(d))
    elif d.my_submitted_at:
        parts.append(html.P(f"You submitted your ratings on {long_date(d.my_submitted_at)}.", id="my-submitted"))
    if d.summary.status == "open" or d.ratings_visible:
        parts.append(_spread_section(d))
    if d.can_agree:
        parts.append(_agree_form(d))
    if d.scores:
        parts.append(html.Section([html.H2("Agreed scores", className="h5"), scores_table(d.framework, d.scores)],
                                  className="card-section"))
    if d.can_moderate:
        parts.append(_moderation_form(d))
    if d.can_link:
        choices = maturity.improvement_action_choices(session, person.partnership_id, d.subgroup.id)
        parts.append(_link_form(d, choices))
    return parts


@signed_in_page("Sign in to see this assessment.")
def layout(session, person, assessment_id=None, **_):
    return html.Div([
        dcc.Store(id="assessment-id", data=_int(assessment_id)),
        dcc.Store(id="assessment-refresh", data=0),
        html.Div(id="assessment-message", **{"aria-live": "polite"}),
        html.Div(render(session, person, _int(assessment_id)), id="assessment-content"),
    ])


@callback(
    Output("assessment-content", "children"),
    Input("assessment-refresh", "data"),
    State("assessment-id", "data"),
    prevent_initial_call=True,
)
def refresh(_, assessment_id):
    content, error = run_service(lambda session, person: render(session, person, _int(assessment_id)))
    return html.P(str(error)) if error else content


def _outcome(error, ids: list[dict], fields: dict[str, str], message: str, refresh_count, reload: bool = True):
    """The outputs of a per-dimension form: message, error blocks, one invalid list per field, refresh.

    The service keys a dimension's problems "<dimension id>.<field>"; the summary links each to its field.
    """
    if error:
        errors = getattr(error, "errors", {}) or {}
        targets = {f"{i['dim']}.{name}": {"type": kind, "dim": i["dim"]} for i in ids for name, kind in fields.items()}
        return (refused(error, fields=targets), dimension_errors(errors, ids),
                *[invalid_flags(errors, ids, f) for f in fields], dash.no_update)
    blank = [False] * len(ids)
    return (success(message), [None] * len(ids), *[blank for _ in fields],
            (refresh_count or 0) + 1 if reload else dash.no_update)


@callback(
    Output("assessment-message", "children", allow_duplicate=True),
    Output({"type": "rate-error", "dim": ALL}, "children"),
    Output({"type": "rate-score", "dim": ALL}, "invalid"),
    Output({"type": "rate-evidence", "dim": ALL}, "invalid"),
    Output({"type": "rate-improvement", "dim": ALL}, "invalid"),
    Output("assessment-refresh", "data", allow_duplicate=True),
    Input("rate-save", "n_clicks"),
    Input("rate-submit", "n_clicks"),
    State({"type": "rate-score", "dim": ALL}, "id"),
    State({"type": "rate-score", "dim": ALL}, "value"),
    State({"type": "rate-evidence", "dim": ALL}, "value"),
    State({"type": "rate-improvement", "dim": ALL}, "value"),
    State("assessment-id", "data"),
    State("assessment-refresh", "data"),
    prevent_initial_call=True,
)
def save_ratings(save_clicks, submit_clicks, ids, scores, evidence, improvement, assessment_id, refresh_count):
    if not (save_clicks or submit_clicks):
        raise PreventUpdate
    submit = ctx.triggered_id == "rate-submit"
    ratings = {i["dim"]: {"score": s, "evidence": e, "improvement": m}
               for i, s, e, m in zip(ids, scores, evidence, improvement, strict=True)}
    _, error = run_service(lambda session, person: maturity.save_ratings(
        session, person, _int(assessment_id), ratings, submit=submit))
    message = ("Your ratings are submitted. You can now see the other raters' submitted scores." if submit
               else "Your draft is saved. You can change it until you submit.")
    return _outcome(error, ids, RATE_FIELDS, message, refresh_count, reload=submit)


@callback(
    Output("assessment-message", "children", allow_duplicate=True),
    Output({"type": "agree-error", "dim": ALL}, "children"),
    Output({"type": "agree-score", "dim": ALL}, "invalid"),
    Output({"type": "agree-evidence", "dim": ALL}, "invalid"),
    Output({"type": "agree-improvement", "dim": ALL}, "invalid"),
    Output("assessment-refresh", "data", allow_duplicate=True),
    Input("agree-submit", "n_clicks"),
    State({"type": "agree-score", "dim": ALL}, "id"),
    State({"type": "agree-score", "dim": ALL}, "value"),
    State({"type": "agree-evidence", "dim": ALL}, "value"),
    State({"type": "agree-improvement", "dim": ALL}, "value"),
    State("assessment-id", "data"),
    State("assessment-refresh", "data"),
    prevent_initial_call=True,
)
def record_agreed(clicks, ids, scores, evidence, improvement, assessment_id, refresh_count):
    if not clicks:
        raise PreventUpdate
    entries = {i["dim"]: {"agreed_score": s, "evidence": e, "improvement": m}
               for i, s, e, m in zip(ids, scores, evidence, improvement, strict=True)}
    _, error = run_service(lambda session, person: maturity.record_agreed_scores(
        session, person, _int(assessment_id), entries, today()))
    return _outcome(error, ids, AGREE_FIELDS, "The agreed scores are recorded: the chair can now moderate and "
                                              "sign them off.", refresh_count)


@callback(
    Output("assessment-message", "children", allow_duplicate=True),
    Output({"type": "mod-error", "dim": ALL}, "children"),
    Output({"type": "mod-score", "dim": ALL}, "invalid"),
    Output({"type": "mod-comment", "dim": ALL}, "invalid"),
    Output("assessment-refresh", "data", allow_duplicate=True),
    Input("moderate-submit", "n_clicks"),
    State({"type": "mod-score", "dim": ALL}, "id"),
    State({"type": "mod-score", "dim": ALL}, "value"),
    State({"type": "mod-comment", "dim": ALL}, "value"),
    State("assessment-id", "data"),
    State("assessment-refresh", "data"),
    prevent_initial_call=True,
)
def moderate(clicks, ids, scores, comments, assessment_id, refresh_count):
    if not clicks:
        raise PreventUpdate
    entries = {i["dim"]: {"moderated_score": s, "comment": c} for i, s, c in zip(ids, scores, comments, strict=True)}
    changed, error = run_service(lambda session, person: maturity.moderate(
        session, person, _int(assessment_id), entries))
    message = f"Moderation saved ({len(changed or [])} score(s) recorded)."
    return _outcome(error, ids, MODERATE_FIELDS, message, refresh_count)


@callback(
    Output("assessment-message", "children", allow_duplicate=True),
    Output("assessment-refresh", "data", allow_duplicate=True),
    Input("signoff-submit", "n_clicks"),
    State("signoff-comment", "value"),
    State("assessment-id", "data"),
    State("assessment-refresh", "data"),
    prevent_initial_call=True,
)
def sign_off(clicks, comment, assessment_id, refresh_count):
    if not clicks:
        raise PreventUpdate
    _, error = run_service(lambda session, person: maturity.sign_off(
        session, person, _int(assessment_id), comment or "", today()))
    if error:
        return refused(error), dash.no_update
    return success("The assessment is signed off."), (refresh_count or 0) + 1


@callback(
    Output("assessment-message", "children", allow_duplicate=True),
    Output("assessment-refresh", "data", allow_duplicate=True),
    Input("link-submit", "n_clicks"),
    State({"type": "link-action", "score": ALL}, "id"),
    State({"type": "link-action", "score": ALL}, "value"),
    State("assessment-refresh", "data"),
    prevent_initial_call=True,
)
def link_actions(clicks, ids, values, refresh_count):
    if not clicks:
        raise PreventUpdate

    def link_all(session, person):
        for component_id, value in zip(ids, values, strict=True):
            maturity.link_improvement_action(session, person, _int(component_id["score"]), value or None)

    _, error = run_service(link_all)
    if error:
        return refused(error), dash.no_update
    return success("The links to the delivery plan are saved."), (refresh_count or 0) + 1


@callback(
    Output("assessment-message", "children", allow_duplicate=True),
    Output("assessment-refresh", "data", allow_duplicate=True),
    Input("invite-submit", "n_clicks"),
    State({"type": "invite-rater", "person": ALL}, "id"),
    State({"type": "invite-rater", "person": ALL}, "value"),
    State("assessment-id", "data"),
    State("assessment-refresh", "data"),
    prevent_initial_call=True,
)
def invite(clicks, ids, ticks, assessment_id, refresh_count):
    if not clicks:
        raise PreventUpdate
    people = [i["person"] for i, ticked in zip(ids, ticks, strict=True) if ticked]
    _, error = run_service(lambda session, person: maturity.invite_raters(
        session, person, _int(assessment_id), people))
    if error:
        return refused(error), dash.no_update
    return success(f"{len(people)} more member(s) invited to rate."), (refresh_count or 0) + 1
