"""Read-only views to embed in an intranet page: the overview, one theme, one subgroup.

`/embed/overview`, `/embed/theme/<id>` and `/embed/subgroup/<id>` show what the app's own pages
show, without navigation (tracker.web.layout renders no navbar for them), without links and without
any form. A visitor needs either a session or a read-only token for exactly that view (`?token=`,
see tracker.services.embeds); the token is checked again here, on every render.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from dash.development.base_component import Component

from tracker.formatting import long_date, status_label
from tracker.services import embeds, plan, reference, subgroups
from tracker.services.errors import NotFound
from tracker.web.components.plan import actions_table, rag_bar_chart, rag_count_table
from tracker.web.components.rag import rag_counts, rag_legend
from tracker.web.context import current_person, db, today
from tracker.web.pages import overview as overview_page
from tracker.web.pages import subgroup as subgroup_page
from tracker.web.pages import theme as theme_page

TITLE = "CDP Delivery Tracker (embedded view)"


def unlinked(node):
    """The same component tree with every link turned into plain text: an embed has no navigation
    (and a reader without an account could not follow it anyway)."""
    if isinstance(node, list | tuple):
        return [unlinked(child) for child in node]
    if not isinstance(node, Component):
        return node
    if isinstance(node, html.A | dcc.Link):
        return html.Span(unlinked(getattr(node, "children", None)), className=getattr(node, "className", None))
    for prop in ("children", "header", "footer"):
        value = getattr(node, prop, None)
        if isinstance(value, Component | list | tuple):
            setattr(node, prop, unlinked(value))
    return node


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def partnership_for(session, token: str | None, scope: str) -> int | None:
    """Whose data this view shows: the token's partnership, else the signed-in person's."""
    if token:
        partnership_id = embeds.resolve(session, token, scope)
        if partnership_id is not None:
            return partnership_id
    person = current_person(session)
    return person.partnership_id if person else None


def refused() -> html.Div:
    return html.Div([
        html.H1("This view cannot be shown", className="h4", id="embed-refused"),
        html.P("The link of this embedded view is not valid, or it has been withdrawn. Ask the partnership "
               "officer for a new one."),
    ])


def frame(heading: str, body, session, partnership_id: int, view_id: str) -> html.Div:
    partnership = reference.get_partnership(session, partnership_id)
    return html.Div([
        html.H1(heading, className="h4", id="embed-heading"),
        html.Div(unlinked(body), id=view_id),
        html.P(f"{partnership.name}. Read-only view from the CDP Delivery Tracker; figures as at "
               f"{long_date(today())}.", className="text-muted small mt-2 mb-0", id="embed-footer"),
    ], className="embed-view")


# --- the three views -------------------------------------------------------------------------------


def overview_layout(token=None, **_):
    with db() as session:
        pid = partnership_for(session, token, "overview")
        if pid is None:
            return refused()
        partnership = reference.get_partnership(session, pid)
        body = overview_page.render(session, pid, plan.PlanFilter())
        return frame(f"{partnership.name}: delivery overview", body, session, pid, "embed-overview")


def render_theme(session, partnership_id: int, theme_id: int) -> list:
    theme = reference.get_theme(session, partnership_id, theme_id)
    scale_list = reference.rag_scale(session, partnership_id)
    scale = {r.code: r for r in scale_list}
    rows = plan.plan_rows(session, partnership_id, today(), plan.PlanFilter(theme_id=theme.id))
    summary = plan.summarise(rows)
    progress = {p.objective_id: p for p in summary.progress_by_objective}
    return [
        html.P(theme.description, className="user-text") if theme.description else None,
        dbc.Row([
            dbc.Col(html.Section([
                html.H2(f"Actions by RAG ({summary.total})", className="h5"),
                rag_counts(scale_list, summary.by_rag),
            ], className="card-section"), lg=8),
            dbc.Col(rag_legend(scale_list), lg=4),
        ], className="mb-2"),
        html.Section([
            html.H2("Objectives", className="h5"),
            theme_page.objectives_table(scale_list, reference.objectives(session, partnership_id, theme.id),
                                        reference.objective_outcomes(session, partnership_id), progress),
        ], className="card-section"),
        html.Section([
            html.H2("RAG by subgroup in this theme", className="h5"),
            rag_bar_chart(scale_list, summary.by_subgroup, "Actions by RAG in each subgroup of this theme",
                          "embed-chart-by-subgroup"),
            rag_count_table(scale_list, summary.by_subgroup, "Subgroup", "embed-table-by-subgroup"),
        ], className="card-section") if summary.by_subgroup else None,
        html.Section([
            html.H2("Actions", className="h5"),
            actions_table(scale, rows, "embed-theme-actions"),
        ], className="card-section"),
    ]


def theme_layout(theme_id=None, token=None, **_):
    theme_number = _int(theme_id)
    with db() as session:
        pid = partnership_for(session, token, embeds.scope_for("theme", theme_number)) if theme_number else None
        if pid is None:
            return refused()
        try:
            theme = reference.get_theme(session, pid, theme_number)
            body = render_theme(session, pid, theme.id)
        except NotFound:
            return refused()
        return frame(f"Theme {theme.number}: {theme.name}", body, session, pid, "embed-theme")


def render_subgroup(session, partnership_id: int, subgroup_id: int) -> list:
    subgroup = reference.get_subgroup(session, partnership_id, subgroup_id)
    scale_list = reference.rag_scale(session, partnership_id)
    scale = {r.code: r for r in scale_list}
    rows = plan.plan_rows(session, partnership_id, today(), plan.PlanFilter(subgroup_id=subgroup.id))
    summary = plan.summarise(rows)
    themes = reference.themes_of_subgroup(session, partnership_id, subgroup.id)
    return [
        html.P(subgroup.description, className="user-text") if subgroup.description else None,
        dbc.Row([
            dbc.Col(html.Dl([
                html.Dt("Lead"), html.Dd(subgroups.lead_name(session, subgroup) or "No lead named"),
                html.Dt("Status"), html.Dd(status_label(subgroup.status)),
                html.Dt("Themes"), html.Dd(", ".join(f"{t.number}. {t.name}" for t in themes) or "None"),
            ], className="card-section subgroup-facts"), lg=8),
            dbc.Col(rag_legend(scale_list), lg=4),
        ], className="mb-2"),
        html.Section([
            html.H2(f"Actions by RAG ({summary.total})", className="h5"),
            rag_counts(scale_list, summary.by_rag),
        ], className="card-section"),
        html.Section([
            html.H2("Delivery plan", className="h5"),
            actions_table(scale, rows, "embed-subgroup-actions", show_subgroup=False),
        ], className="card-section"),
        html.Section([
            html.H2("Latest updates", className="h5"),
            subgroup_page.latest_updates_table(scale, subgroups.latest_updates(session, partnership_id,
                                                                               subgroup.id, limit=5)),
        ], className="card-section"),
    ]


def subgroup_layout(subgroup_id=None, token=None, **_):
    number = _int(subgroup_id)
    with db() as session:
        pid = partnership_for(session, token, embeds.scope_for("subgroup", number)) if number else None
        if pid is None:
            return refused()
        try:
            subgroup = reference.get_subgroup(session, pid, number)
            body = render_subgroup(session, pid, subgroup.id)
        except NotFound:
            return refused()
        return frame(subgroup.name, body, session, pid, "embed-subgroup")


dash.register_page(f"{__name__}.overview", path="/embed/overview", title=TITLE, name="Embedded overview",
                   layout=overview_layout)
dash.register_page(f"{__name__}.theme", path_template="/embed/theme/<theme_id>", title=TITLE,
                   name="Embedded theme", layout=theme_layout)
dash.register_page(f"{__name__}.subgroup", path_template="/embed/subgroup/<subgroup_id>", title=TITLE,
                   name="Embedded subgroup", layout=subgroup_layout)
