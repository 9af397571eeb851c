"""Progress against CDP goals (the golden thread), for the chair: theme by theme, each objective with
the outcomes it serves, its actions and their RAG, the indicators and their status, and the maturity of
the subgroups that own the actions; then the national outcomes; and first of all, the gaps."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.formatting import short_date
from tracker.services import golden_thread, reference
from tracker.services.golden_thread import Gaps, ObjectiveThread, SubgroupMaturity
from tracker.services.indicators import STATUS_LABELS, STATUS_ORDER
from tracker.web.components.forms import to_int
from tracker.web.components.indicators import indicator_href, status_badge, status_list, status_rule
from tracker.web.components.plan import action_href
from tracker.web.components.rag import rag_badge, rag_for, rag_legend
from tracker.web.context import signed_in_page, today

dash.register_page(__name__, path="/golden-thread", title="Progress against CDP goals – CDP Delivery Tracker",
                   name="Progress against goals",
                   nav={"order": 60, "label": "Progress against goals"})

COVERAGE_RULES = [
    "An objective has an action when an action of the plan sits under it.",
    "A measure (indicator) has an action when an action is linked to it.",
    "An outcome has an action when an action is linked to it or to one of its measures, or sits under an "
    "objective that serves it.",
    "Cancelled actions do not count; complete ones do.",
]


def _href(path: str) -> str:
    return dash.get_relative_path(path)


def maturity_words(m: SubgroupMaturity) -> str:
    if not m.assessed:
        return "not assessed"
    out_of = f" out of {m.out_of}" if m.out_of else ""
    when = f", {m.status.replace('_', ' ')} {short_date(m.assessed_on)}" if m.assessed_on else ""
    counts = [f"{count} at level {level}" for level, count in m.at_level.items()]
    if counts:  # "2 dimensions at level 1, 3 at level 2"
        first = m.at_level[min(m.at_level)]
        counts[0] = f"{first} {'dimension' if first == 1 else 'dimensions'} at level {min(m.at_level)}"
    spread = f"; {', '.join(counts)}" if counts else ""
    return f"median level {m.median}{out_of}{spread}{when}"


def _maturity_list(items: list[SubgroupMaturity], list_id: str) -> html.Ul | html.P:
    if not items:
        return html.P("No subgroup owns an action here yet.", className="small mb-0", id=list_id)
    return html.Ul([
        html.Li([html.A(m.subgroup, href=_href(f"/subgroup/{m.subgroup_id}")), ": ",
                 html.Span(maturity_words(m), className="maturity-score" if m.assessed else "maturity-none")],
                className="mb-1")
        for m in items
    ], className="list-unstyled mb-0 small", id=list_id)


# Long lists are cut, each with a link to where they are listed in full: at county x10 an objective has
# hundreds of actions and an outcome dozens of measures, and the page was 0.5 MB (1.1 MB for every theme).
# A county's own plan has fewer, so nothing is cut at seed size.
LISTED = 12
ACTIONS_LISTED = LISTED  # per objective: the theme's page has them all


def _more_item(more: int, words: str, href: str, item_id: str | None = None) -> html.Li | None:
    """The last line of a cut list: "and 40 more: <link to the full list>"."""
    if more <= 0:
        return None
    return html.Li([f"and {more:,} more: ", html.A(words, href=_href(href))], className="small",
                   **({"id": item_id} if item_id else {}))


def _indicator_list(rows: list, total: int, list_id: str, words: str, href: str):
    """status_list of the first LISTED indicators (of `total`), and a link to the rest."""
    listed = status_list(rows[:LISTED], list_id)
    more = _more_item(total - LISTED, words, href, f"{list_id}-more")
    return html.Div([listed, html.Ul(more, className="list-unstyled mb-0")]) if more else listed


def _actions_list(scale, thread: ObjectiveThread, list_id: str, theme_id: int | None = None) -> html.Ul | html.P:
    if not thread.action_count:
        return html.P([html.Strong("No action"), " delivers this objective yet."], className="small mb-0",
                      id=list_id)
    more = thread.action_count - ACTIONS_LISTED
    return html.Ul([
        *[html.Li([rag_badge(rag_for(scale, a.rag, a.status), small=True), " ",
                   html.A(f"{a.ref} {a.title}", href=action_href(a.id)),
                   html.Span(f" ({a.subgroup})", className="small text-muted")], className="mb-1")
          for a in thread.actions[:ACTIONS_LISTED]],
        _more_item(more, "the theme's page lists every action", f"/theme/{theme_id}", f"{list_id}-more")
        if theme_id is not None else None,
    ], className="list-unstyled mb-0", id=list_id)


def _actions_counted(scale, thread: ObjectiveThread, list_id: str, theme_id: int):
    """Every theme at once (lists made it over 0.5 MB at county x10): an objective's actions, when more
    than LISTED, as counts in words with a link to its theme's view, which lists them."""
    if thread.action_count <= LISTED:
        return _actions_list(scale, thread, list_id, theme_id)
    n = thread.action_count
    return html.P([f"{n:,} action{'s' if n != 1 else ''}: {rag_words(list(scale.values()), thread.by_rag)}. ",
                   html.A("List them", href=_href(f"/golden-thread?theme={theme_id}"))],
                  className="small mb-0", id=list_id)


def _indicators_counted(thread: ObjectiveThread, list_id: str, theme_id: int):
    """As _actions_counted, for the objective's indicators: their statuses counted in words."""
    if thread.indicator_count <= LISTED:
        return status_list(thread.indicators, list_id)
    counts = thread.indicators_by_status
    words = ", ".join(f"{counts[c]} {STATUS_LABELS[c]}" for c in STATUS_ORDER if counts.get(c))
    return html.P([f"{thread.indicator_count:,} indicators: {words}. ",
                   html.A("List them", href=_href(f"/golden-thread?theme={theme_id}"))],
                  className="small mb-0", id=list_id)


def _objective_row(scale, thread: ObjectiveThread, key: str, theme_id: int | None = None,
                   counted: bool = False) -> html.Tr:
    actions = (_actions_counted(scale, thread, f"thread-actions-{key}", theme_id) if counted
               else _actions_list(scale, thread, f"thread-actions-{key}", theme_id))
    return html.Tr([
        html.Th(thread.label, scope="row", className="fw-semibold"),
        html.Td(html.Ul([html.Li(o.label) for o in thread.outcomes], className="mb-0 ps-3 small")
                if thread.outcomes else html.Span("None named", className="small")),
        html.Td(actions),
        html.Td(_indicators_counted(thread, f"thread-indicators-{key}", theme_id) if counted else
                _indicator_list(thread.indicators, thread.indicator_count, f"thread-indicators-{key}",
                                "every indicator", "/indicators")),
        html.Td(_maturity_list(thread.subgroups, f"thread-maturity-{key}")),
    ], id=f"thread-row-{key}")


def _theme_section(scale, theme, counted: bool = False) -> html.Section:
    heading_id = f"thread-theme-{theme.number}"
    body = (dbc.Table([
        html.Caption(f"Theme {theme.number}: each objective, the outcomes it serves, its actions, indicators "
                     "and the maturity of the subgroups that own the actions", className="visually-hidden"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in (
            "Objective", "Outcomes it serves", "Actions and RAG", "Indicators and status",
            "Subgroups and maturity")])),
        html.Tbody([_objective_row(scale, t, str(t.id) if t.id is not None else f"none-{theme.number}", theme.id,
                                   counted) for t in theme.objectives]),
    ], bordered=True, responsive=True, size="sm", className="bg-white align-top")
        if theme.objectives else html.P("No objectives have been set under this theme yet."))
    return html.Section([
        html.H2([html.A(f"Theme {theme.number}: {theme.name}", href=_href(f"/theme/{theme.id}"))],
                className="h5", id=heading_id),
        body,
    ], className="card-section", **{"aria-labelledby": heading_id})


def _gap_list(title: str, items: list, list_id: str, empty: str, rest: tuple[str, str] | None = None,
              total: int | None = None) -> html.Div:
    """A gap list, its count (`total`, by default len(items)) in the heading. Beyond LISTED: with `rest`
    (words, path) the first LISTED and a link to the page that lists them all (`items` may then hold
    only the first LISTED); without, the rest behind "Show N more"."""
    total = len(items) if total is None else total
    if not total:
        return html.Div([html.H3(f"{title} (0)", className="h6 mt-2"), html.P(empty, className="small", id=list_id)])
    more = total - LISTED
    if more > 0 and rest:
        shown = [*items[:LISTED], _more_item(more, rest[0], rest[1], f"{list_id}-more")]
    elif more > 0:
        shown = [*items[:LISTED], html.Li(html.Details([
            html.Summary(f"Show {more:,} more", id=f"{list_id}-more"), html.Ul(items[LISTED:], className="mb-0")]),
            className="list-unstyled")]
    else:
        shown = items
    return html.Div([html.H3(f"{title} ({total})", className="h6 mt-2"),
                     html.Ul(shown, className="mb-2", id=list_id)])


def gaps_section(gaps: Gaps) -> html.Section:
    objectives = [html.Li(f"{code} {title}", id=f"gap-objective-{oid}") for oid, code, title in
                  gaps.objectives_without_action]
    outcomes = [html.Li(o.label, id=f"gap-outcome-{o.code}") for o in gaps.outcomes_without_action]
    # Only the measures and indicators listed are built (a county x10 has hundreds): the rest are a link.
    measures = [html.Li([html.A(f"{s.code} {s.name}", href=indicator_href(s.id)),
                         " (national headline measure)" if s.is_national else ""], id=f"gap-measure-{s.code}")
                for s in gaps.measures_without_action[:LISTED]]
    no_data = [html.Li([status_badge(s.assessment), " ", html.A(f"{s.code} {s.name}", href=indicator_href(s.id)),
                        f" — baseline {s.baseline_period}"], id=f"gap-nodata-{s.code}")
               for s in gaps.indicators_without_data[:LISTED]]
    summary = ("No gaps: every outcome, measure and objective has an action, and every indicator has data "
               "since its baseline." if not gaps.total else
               f"{gaps.total} gap{'s' if gaps.total != 1 else ''} in the thread from the plan to the outcomes.")
    return html.Section([
        html.H2("Gaps", className="h5", id="gaps-heading"),
        html.P(summary, id="gaps-summary"),
        dbc.Row([
            dbc.Col([
                _gap_list("Outcomes with no action", outcomes, "gaps-outcomes",
                          "Every outcome has at least one action."),
                _gap_list("Objectives with no action", objectives, "gaps-objectives",
                          "Every objective has at least one action."),
            ], lg=6),
            dbc.Col([
                _gap_list("Measures with no action", measures, "gaps-measures",
                          "Every measure has at least one action linked to it.", ("every indicator", "/indicators"),
                          gaps.measures_without_action_count),
                _gap_list("Indicators with no data since their baseline", no_data, "gaps-no-data",
                          "Every indicator with a baseline has data since it.", ("every indicator", "/indicators"),
                          gaps.indicators_without_data_count),
            ], lg=6),
        ]),
        html.Details([
            html.Summary("What counts as having an action", className="small"),
            html.Ul([html.Li(rule) for rule in COVERAGE_RULES], className="small mb-0"),
        ]),
    ], className="card-section", id="gaps", **{"aria-labelledby": "gaps-heading"})


def outcomes_section(outcomes) -> html.Section:
    return html.Section([
        html.H2("National outcomes", className="h5", id="thread-outcomes-heading"),
        html.P("The outcomes of the National Combating Drugs Outcomes Framework, the local objectives that "
               "serve them, how many actions contribute and the status of their measures.",
               className="small text-muted"),
        dbc.Table([
            html.Thead(html.Tr([html.Th(h, scope="col") for h in
                                ("Outcome", "Objectives serving it", "Actions", "Measures and status")])),
            html.Tbody([
                html.Tr([
                    html.Th([o.outcome.label, html.Div(f"{o.outcome.kind.capitalize()} outcome",
                                                       className="small text-muted")], scope="row"),
                    html.Td(", ".join(o.objectives) or "None"),
                    html.Td(str(o.action_count) if o.action_count else html.Strong("None"), className="text-center"),
                    html.Td(_indicator_list(o.measures, o.measure_count, f"outcome-measures-{o.outcome.code}",
                                            f"every measure of {o.outcome.code}",
                                            f"/indicators?outcome={o.outcome.code}")),
                ], id=f"thread-outcome-{o.outcome.code}")
                for o in outcomes
            ]),
        ], bordered=True, responsive=True, size="sm", className="bg-white", id="thread-outcomes"),
    ], className="card-section", **{"aria-labelledby": "thread-outcomes-heading"})


def _status_sentence(counts: dict[str, int]) -> list:
    total = sum(counts.values())
    parts = [html.Span([status_badge(code), f" {counts[code]}"], className="me-3 d-inline-block")
             for code in STATUS_ORDER if counts.get(code)]
    return [html.Strong(f"The {total} indicators: "), *parts,
            html.A("See every indicator", href=_href("/indicators"))]


def rag_words(scale_list, counts) -> str:
    """"3 Green, 1 Amber" in the scale's own words and order: RAG never by colour alone."""
    return ", ".join(f"{counts[r.code]} {r.label}" for r in scale_list if counts.get(r.code)) or "no actions"


def summary_section(scale_list, summary, shown: int | None, all_shown: bool) -> html.Section:
    """Every theme in one table, each with a link that opens it (?theme=<id>, so it can be shared)."""
    def opener(t):
        if all_shown or t.id == shown:
            return html.Span("Shown below", className="small")
        return html.A([f"Show theme {t.number}", html.Span(f": {t.name}", className="visually-hidden")],
                      href=_href(f"/golden-thread?theme={t.id}"), id=f"thread-open-{t.number}")
    return html.Section([
        html.H2("Summary by theme", className="h5", id="thread-summary-heading"),
        dbc.Table([
            html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Theme", "Objectives", "Actions", "RAG", "")])),
            html.Tbody([html.Tr([
                html.Th(f"{t.number}. {t.name}", scope="row"), html.Td(str(t.objectives), className="text-end"),
                html.Td(str(t.actions), className="text-end"), html.Td(rag_words(scale_list, t.by_rag)),
                html.Td(opener(t)),
            ], id=f"thread-summary-{t.number}") for t in summary]),
        ], bordered=True, responsive=True, size="sm", className="bg-white mb-1", id="thread-summary"),
        html.P(html.A("Show every theme in full", href=_href("/golden-thread?theme=all"), id="thread-show-all")
               if not all_shown else html.A("Show one theme at a time", href=_href("/golden-thread"),
                                            id="thread-show-one"), className="small mb-0"),
    ], className="card-section", **{"aria-labelledby": "thread-summary-heading"})


def _chosen(theme, themes) -> tuple[int | None, bool, str | None]:
    """(theme shown in detail, every theme shown, a note): the first theme unless the link names one;
    ?theme=all shows them all (the long page); a theme that does not exist is said, not an error."""
    if theme == "all":
        return None, True, None
    ids = [t.id for t in themes]
    if theme in (None, ""):
        return (ids[0] if ids else None), False, None
    wanted = to_int(theme)
    if wanted in ids:
        return wanted, False, None
    return None, False, "That theme does not exist in this partnership: choose one from the summary."


@signed_in_page("Sign in to see progress against the CDP's goals.")
def layout(session, person, theme=None, **_):
    pid = person.partnership_id
    partnership = reference.get_partnership(session, pid)
    scale_list = reference.rag_scale(session, pid)
    scale = {r.code: r for r in scale_list}
    shown, all_shown, note = _chosen(theme, reference.themes(session, pid))
    # One theme in detail unless all are asked for: at county x10 every theme made the page 3.9 MB.
    # Each list's first LISTED only are read in full: the page shows no more of any.
    thread = golden_thread.golden_thread(session, pid, today(), theme_id=None if all_shown else (shown or -1),
                                         listed=LISTED)
    return html.Div([
        html.H1(f"{partnership.name}: progress against CDP goals", className="h3"),
        html.P("The golden thread from the delivery plan to the goals: for each theme, its objectives and "
               "the national outcomes they serve, the actions that deliver them, the indicators that "
               "measure them and the maturity of the subgroups that own the actions (their latest agreed "
               "or signed-off self-assessment). Gaps come first.", className="text-muted"),
        dbc.Row([
            dbc.Col(gaps_section(thread.gaps), lg=8),
            dbc.Col([rag_legend(scale_list, heading_id="thread-rag-legend"),
                     html.Div(status_rule("thread-status-rule"), className="mt-2")], lg=4, className="mb-3"),
        ]),
        html.P(_status_sentence(thread.status_counts), id="thread-status-counts", className="card-section"),
        summary_section(scale_list, thread.summary, shown, all_shown),
        html.P(note, className="alert alert-warning", id="thread-theme-note", role="status") if note else None,
        # Every theme at once: each objective's actions counted, not listed (its theme's own view lists them).
        *[_theme_section(scale, t, counted=all_shown) for t in thread.themes],
        outcomes_section(thread.outcomes),
    ])
