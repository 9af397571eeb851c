"""One strategic theme: its objectives and the outcomes they serve, its subgroups and its actions."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.services import plan_counts, reference
from tracker.services.errors import NotFound
from tracker.web.components import forms
from tracker.web.components.notices import back_link, not_found
from tracker.web.components.pager import page_search, pager
from tracker.web.components.plan import actions_table, rag_bar_chart, rag_count_table
from tracker.web.components.rag import rag_badge, rag_counts, rag_legend
from tracker.web.components.tor import subgroup_href, theme_href
from tracker.web.context import page_title, signed_in_page, today


def heading(theme) -> str:
    return f"Theme {theme.number}: {theme.name}"


def _describe(session, person, theme_id=None, **_) -> str:
    """The browser title names the theme (read in the request that renders the page)."""
    return heading(reference.get_theme(session, person.partnership_id, forms.record_id(theme_id, "theme")))


dash.register_page(__name__, path_template="/theme/<theme_id>",
                   title=page_title("Theme – CDP Delivery Tracker", _describe), name="Theme")


def objectives_table(scale: list, objectives, outcomes: dict, progress: dict) -> dbc.Table | html.P:
    if not objectives:
        return html.P("No objectives have been set under this theme yet.", id="objectives-table")
    rows = []
    for o in objectives:
        p = progress.get(o.id)
        rows.append(html.Tr([
            html.Th(o.code, scope="row"),
            html.Td([html.Div(o.title, className="fw-semibold"),
                     html.Div(o.description, className="user-text small") if o.description else None]),
            html.Td(html.Ul([html.Li(f"{x.code} {x.name}") for x in outcomes.get(o.id, [])], className="mb-0 ps-3")
                    if outcomes.get(o.id) else "—"),
            html.Td(str(p.actions) if p else "0", className="text-center"),
            html.Td(f"{p.mean_progress:g}%" if p else "—", className="text-center"),
            html.Td(html.Ul([
                html.Li([rag_badge(r, small=True), f" {p.by_rag[r.code]}"], className="list-inline-item")
                for r in scale if p.by_rag.get(r.code)
            ], className="list-inline mb-0") if p else "No actions yet"),
        ], id=f"objective-row-{o.id}"))
    return dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in
                            ("Code", "Objective", "Outcomes it serves", "Actions", "Mean progress", "RAG")])),
        html.Tbody(rows),
    ], bordered=True, responsive=True, size="sm", className="bg-white", id="objectives-table")


THEME_ACTIONS_PAGE = 50  # a county's theme has tens of actions; a county x10 theme has a thousand


def _actions_note(page, href_for) -> html.Nav | html.P | None:
    """Links to the other pages of the theme's actions; the embedded view (no links) says where they are."""
    if href_for is not None:
        return pager(page, href_for, "actions", "theme-actions-pages")
    if page.is_paged:
        return html.P(f"The first {page.last:,} of {page.total:,} actions, by reference: the theme's page in "
                      "the tracker lists them all.", className="small text-muted", id="theme-actions-more")
    return None


def render(session, partnership_id: int, theme_id: int, page=1, href_for=None) -> list:
    """Everything the theme's page shows below its heading, with page `page` of its actions (and links
    to the others, `href_for(n)` being page n's address); read-only, so the embedded view
    (tracker.web.pages.embed) shows it too, without the links. NotFound if the theme is not this
    partnership's."""
    pid = partnership_id
    theme = reference.get_theme(session, pid, theme_id)
    scale_list = reference.rag_scale(session, pid)
    scale = {r.code: r for r in scale_list}
    # The figures counted in SQL, and only the rows shown (a county x10 theme has a thousand actions).
    summary = plan_counts.theme_figures(session, pid, today(), theme.id, THEME_ACTIONS_PAGE, scale_list, page)
    objectives = reference.objectives(session, pid, theme.id)
    outcomes = reference.objective_outcomes(session, pid)
    progress = {p.objective_id: p for p in summary.progress_by_objective}
    subgroups = reference.subgroups_for_theme(session, pid, theme.id)
    by_subgroup_hrefs = {s.name: subgroup_href(s.id) for s in reference.subgroups(session, pid)}
    return [
        html.P(theme.description, className="user-text", id="theme-description") if theme.description else None,
        dbc.Row([
            dbc.Col([
                html.Section([
                    html.H2(f"Actions by RAG ({summary.total})", className="h5"),
                    rag_counts(scale_list, summary.by_rag),
                ], className="card-section"),
                html.Section([
                    html.H2("Subgroups working on this theme", className="h5"),
                    html.Ul([html.Li(html.A(s.name, href=subgroup_href(s.id), className="subgroup-link"))
                             for s in subgroups], id="theme-subgroups")
                    if subgroups else html.P("No subgroup is working on this theme yet.", id="theme-subgroups"),
                ], className="card-section"),
            ], lg=8),
            dbc.Col(rag_legend(scale_list), lg=4),
        ], className="mb-2"),
        html.Section([
            html.H2("Objectives", className="h5"),
            html.P("Each local priority under this theme, the national outcomes it serves and how far "
                   "its actions have got (mean progress of the actions under it).",
                   className="text-muted small"),
            objectives_table(scale_list, objectives, outcomes, progress),
        ], className="card-section"),
        html.Section([
            html.H2("RAG by subgroup in this theme", className="h5"),
            *([rag_bar_chart(scale_list, summary.by_subgroup, "Actions by RAG in each subgroup of this theme",
                             "chart-theme-by-subgroup"),
               rag_count_table(scale_list, summary.by_subgroup, "Subgroup", "table-theme-by-subgroup",
                               hrefs=by_subgroup_hrefs)]
              if summary.by_subgroup else [html.P("No actions yet.", id="table-theme-by-subgroup")]),
        ], className="card-section"),
        html.Section([
            html.H2("Actions", className="h5", id="theme-actions-heading"),
            # Above the list too: a thousand actions are twenty pages, and the list is long to scroll past.
            pager(summary.page, href_for, "actions", "theme-actions-pages-top", above=True) if href_for else None,
            actions_table(scale, summary.rows, "theme-actions"),
            _actions_note(summary.page, href_for),
        ], className="card-section"),
    ]


@signed_in_page("Sign in to see this theme.")
def layout(session, person, theme_id=None, page=None, **_):
    pid = person.partnership_id
    try:
        theme = reference.get_theme(session, pid, forms.record_id(theme_id, "theme"))
    except NotFound as exc:
        return not_found("Theme not found", str(exc), "/themes", "See all themes", "theme-not-found")
    return html.Div([
        back_link("All themes", "/themes"),
        html.H1(heading(theme), className="h3", id="theme-heading"),
        *render(session, pid, theme.id, page,
                lambda n: f"{theme_href(theme.id)}{page_search({}, n)}"),
    ])
