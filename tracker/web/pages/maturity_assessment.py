"""One assessment round: rate independently, see the spread, agree, moderate, sign off, link actions.

What each person sees and may do comes from maturity.assessment_detail (one view model, rendered by
components.maturity.assessment_page); every button calls a service that checks it all again. The
per-dimension forms use pattern-matching ids ({"type": ..., "dim": id}); a save that worked bumps the
refresh Store, which re-renders the page from the view model.
"""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from tracker.services import maturity, plan
from tracker.services.errors import NotFound
from tracker.web.callbacks import callback
from tracker.web.components.forms import bumped, refused, ticked_ids, ticked_states, to_int
from tracker.web.components.maturity import assessment_page, dimension_errors, invalid_flags, success
from tracker.web.context import page_title, run_service, signed_in_page, today


def _int(value) -> int:
    """An id from the browser; 0 (no such record) when it is not a number."""
    return to_int(value) or 0


def _describe(session, person, assessment_id=None, **_) -> str:
    """The browser title names the assessment and its subgroup, as the page's heading does."""
    try:
        return maturity.assessment_summary(session, person.partnership_id, _int(assessment_id)).heading
    except NotFound:
        return "Assessment not found"


dash.register_page(__name__, path_template="/maturity/assessment/<assessment_id>",
                   title=page_title("Maturity assessment – CDP Delivery Tracker", _describe),
                   name="Maturity assessment")

# The service's name of each per-dimension field -> the type of its component id ({"type": ..., "dim": id}).
RATE_FIELDS = {"score": "rate-score", "evidence": "rate-evidence", "improvement": "rate-improvement"}
AGREE_FIELDS = {"agreed_score": "agree-score", "evidence": "agree-evidence", "improvement": "agree-improvement"}
MODERATE_FIELDS = {"moderated_score": "mod-score", "comment": "mod-comment"}
MESSAGE = Output("assessment-message", "children", allow_duplicate=True)
REFRESH = Output("assessment-refresh", "data", allow_duplicate=True)
# Every write callback reads these last: which assessment, and the refresh count it bumps.
ASSESSMENT = [State("assessment-id", "data"), State("assessment-refresh", "data")]


WHOLE_PLAN_UP_TO = 200  # actions: a county's own plan; beyond it each link offers the subgroup's own


def _own_choices(session, detail) -> None:
    """Every improvement's link select carries the whole list of choices: at county x10 that was eight
    copies of 4,000 actions (2.6 MB). A large plan offers the subgroup's own actions and those already
    linked (so no link disappears); the service still accepts any action of the plan."""
    if len(detail.action_choices) <= WHOLE_PLAN_UP_TO:
        return
    keep = {r.action_id for r in detail.scores if r.action_id}
    keep |= {r.id for r in plan.plan_rows(session, detail.subgroup.partnership_id, today(),
                                          plan.PlanFilter(subgroup_id=detail.subgroup.id))}
    detail.action_choices = [c for c in detail.action_choices if c[0] in keep]


def render(session, person, assessment_id: int) -> list:
    try:
        detail = maturity.assessment_detail(session, person, assessment_id, today())
    except NotFound as exc:
        return [html.H1("Assessment not found", className="h3"), html.P(str(exc))]
    _own_choices(session, detail)
    return assessment_page(detail)


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
)
def refresh(_, assessment_id):
    content, error = run_service(lambda session, person: render(session, person, _int(assessment_id)))
    return html.P(str(error)) if error else content


# --- the per-dimension forms: rate, agree, moderate ---------------------------------------------


def _form_outputs(error_type: str, fields: dict[str, str]) -> list[Output]:
    """The message, each dimension's error block, one invalid flag per field, the refresh count."""
    return [MESSAGE, Output({"type": error_type, "dim": ALL}, "children"),
            *[Output({"type": kind, "dim": ALL}, "invalid") for kind in fields.values()], REFRESH]


def _form_states(fields: dict[str, str]) -> list[State]:
    """The ids of the dimensions (from the first field), then every field's values, then ASSESSMENT."""
    first = next(iter(fields.values()))
    return [State({"type": first, "dim": ALL}, "id"),
            *[State({"type": kind, "dim": ALL}, "value") for kind in fields.values()], *ASSESSMENT]


def _entries(ids: list[dict], fields: dict[str, str], values: tuple[list, ...]) -> dict[int, dict]:
    """{dimension id: {service field: value}} from the forms' pattern-matching values."""
    return {i["dim"]: dict(zip(fields, row, strict=True)) for i, *row in zip(ids, *values, strict=True)}


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
            bumped(refresh_count) if reload else dash.no_update)


@callback(*_form_outputs("rate-error", RATE_FIELDS), Input("rate-save", "n_clicks"), Input("rate-submit", "n_clicks"),
          *_form_states(RATE_FIELDS))
def save_ratings(save_clicks, submit_clicks, ids, scores, evidence, improvement, assessment_id, refresh_count):
    if not (save_clicks or submit_clicks):
        raise PreventUpdate
    submit = ctx.triggered_id == "rate-submit"
    ratings = _entries(ids, RATE_FIELDS, (scores, evidence, improvement))
    _, error = run_service(lambda session, person: maturity.save_ratings(
        session, person, _int(assessment_id), ratings, submit=submit))
    message = ("Your ratings are submitted. You can now see the other raters' submitted scores." if submit
               else "Your draft is saved. You can change it until you submit.")
    return _outcome(error, ids, RATE_FIELDS, message, refresh_count, reload=submit)


@callback(*_form_outputs("agree-error", AGREE_FIELDS), Input("agree-submit", "n_clicks"),
          *_form_states(AGREE_FIELDS))
def record_agreed(clicks, ids, scores, evidence, improvement, assessment_id, refresh_count):
    if not clicks:
        raise PreventUpdate
    entries = _entries(ids, AGREE_FIELDS, (scores, evidence, improvement))
    _, error = run_service(lambda session, person: maturity.record_agreed_scores(
        session, person, _int(assessment_id), entries, today()))
    return _outcome(error, ids, AGREE_FIELDS, "The agreed scores are recorded: the chair can now moderate and "
                                              "sign them off.", refresh_count)


@callback(*_form_outputs("mod-error", MODERATE_FIELDS), Input("moderate-submit", "n_clicks"),
          *_form_states(MODERATE_FIELDS))
def moderate(clicks, ids, scores, comments, assessment_id, refresh_count):
    if not clicks:
        raise PreventUpdate
    entries = _entries(ids, MODERATE_FIELDS, (scores, comments))
    changed, error = run_service(lambda session, person: maturity.moderate(
        session, person, _int(assessment_id), entries))
    message = f"Moderation saved ({len(changed or [])} score(s) recorded)."
    return _outcome(error, ids, MODERATE_FIELDS, message, refresh_count)


# --- the one-button forms: sign off, link actions, invite ----------------------------------------


def _done(error, message: str, refresh_count):
    """Message and refresh count of a one-button form: refused (nothing re-rendered) or done (re-render)."""
    if error:
        return refused(error), dash.no_update
    return success(message), bumped(refresh_count)


@callback(MESSAGE, REFRESH, Input("signoff-submit", "n_clicks"), State("signoff-comment", "value"), *ASSESSMENT)
def sign_off(clicks, comment, assessment_id, refresh_count):
    if not clicks:
        raise PreventUpdate
    _, error = run_service(lambda session, person: maturity.sign_off(
        session, person, _int(assessment_id), comment or "", today()))
    return _done(error, "The assessment is signed off.", refresh_count)


@callback(MESSAGE, REFRESH, Input("link-submit", "n_clicks"),
          State({"type": "link-action", "score": ALL}, "id"), State({"type": "link-action", "score": ALL}, "value"),
          State("assessment-refresh", "data"))
def link_actions(clicks, ids, values, refresh_count):
    if not clicks:
        raise PreventUpdate

    def link_all(session, person):
        for component_id, value in zip(ids, values, strict=True):
            maturity.link_improvement_action(session, person, _int(component_id["score"]), value or None)

    _, error = run_service(link_all)
    return _done(error, "The links to the delivery plan are saved.", refresh_count)


@callback(MESSAGE, REFRESH, Input("invite-submit", "n_clicks"),
          *ticked_states("invite-rater", "person"),
          *ASSESSMENT)
def invite(clicks, ids, ticks, assessment_id, refresh_count):
    if not clicks:
        raise PreventUpdate
    people = ticked_ids(ids, ticks, "person")
    _, error = run_service(lambda session, person: maturity.invite_raters(
        session, person, _int(assessment_id), people))
    return _done(error, f"{len(people)} more member(s) invited to rate.", refresh_count)
