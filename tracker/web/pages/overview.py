"""The chair's overview: headline figures, RAG by theme and subgroup, and the exceptions."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html

from tracker.services import plan, reference
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.plan import exceptions_table, rag_bar_chart, rag_count_table
from tracker.web.components.rag import rag_counts, rag_legend
from tracker.web.context import run_service, signed_in_page, today
from tracker.web.pages.plan_transfer import overview_export_controls

dash.register_page(__name__, path="/", title="Overview – CDP Delivery Tracker", name="Overview",
                   nav={"order": 10, "label": "Overview"})


def _plan_filter(theme, subgroup, owner) -> plan.PlanFilter:
    """The filters' values (from the query string or the selects): "" or anything not a number is "all"."""
    return plan.PlanFilter(theme_id=forms.to_int(theme), subgroup_id=forms.to_int(subgroup),
                           owner_id=forms.to_int(owner))


def headline(label: str, value: int, tile_id: str) -> dbc.Col:
    return dbc.Col(html.Div([html.Div(str(value), className="figure"), html.Div(label)],
                            className="headline", id=tile_id), xs=6, md=3)


def render(session, partnership_id: int, plan_filter: plan.PlanFilter) -> list:
    scale = reference.rag_scale(session, partnership_id)
    by_code = {r.code: r for r in scale}
    summary = plan.overview(session, partnership_id, today(), plan_filter)
    theme_links = {f"{t.number}. {t.name}": dash.get_relative_path(f"/theme/{t.id}")
                   for t in reference.themes(session, partnership_id)}
    subgroup_links = {s.name: dash.get_relative_path(f"/subgroup/{s.id}")
                      for s in reference.subgroups(session, partnership_id)}
    return [
        dbc.Row([
            headline("actions in the plan", summary.total, "headline-total"),
            headline("red", summary.red, "headline-red"),
            headline("overdue", summary.overdue, "headline-overdue"),
            headline("not updated recently", summary.stale, "headline-stale"),
        ], className="g-2 mb-3"),
        html.H2("Actions by RAG", className="h5"),
        html.Div(rag_counts(scale, summary.by_rag), className="mb-3"),
        dbc.Row([
            dbc.Col(html.Section([
                html.H2("RAG by theme", className="h5"),
                rag_bar_chart(scale, summary.by_theme, "Actions by RAG in each theme", "chart-by-theme"),
                rag_count_table(scale, summary.by_theme, "Theme", "table-by-theme", hrefs=theme_links),
            ], className="card-section"), lg=6),
            dbc.Col(html.Section([
                html.H2("RAG by subgroup", className="h5"),
                rag_bar_chart(scale, summary.by_subgroup, "Actions by RAG in each subgroup", "chart-by-subgroup"),
                rag_count_table(scale, summary.by_subgroup, "Subgroup", "table-by-subgroup",
                                hrefs=subgroup_links),
            ], className="card-section"), lg=6),
        ]),
        html.Section([
            html.H2(f"Exceptions ({len(summary.exceptions)})", className="h5", id="exceptions-heading"),
            html.P(f"Red, overdue, deteriorating since the last update, or not updated in the last "
                   f"{reference.get_partnership(session, partnership_id).stale_after_days} days.",
                   className="text-muted small"),
            exceptions_table(by_code, summary.exceptions),
        ], className="card-section"),
    ]


def _select(select_id: str, label: str, options: list[tuple[int, str]], value) -> dbc.Col:
    """A filter: "All themes" (value "", shown as the select's placeholder so the box is not blank), or one."""
    return dbc.Col(forms.field(label, forms.select(
        select_id, forms.select_options(options, blank=f"All {label.lower()}s"), value or ""),
        error_suffix=None, class_name=""), md=4)


@signed_in_page("Sign in to see the overview.")
def layout(session, person, theme=None, subgroup=None, owner=None, **_):
    pid = person.partnership_id
    partnership = reference.get_partnership(session, pid)
    plan_filter = _plan_filter(theme, subgroup, owner)
    owners = {r.owner_id: r.owner for r in plan.plan_rows(session, pid, today()) if r.owner_id}
    filters = dbc.Form(dbc.Row([
        _select("filter-theme", "Theme", [(t.id, f"{t.number}. {t.name}") for t in reference.themes(session, pid)],
                plan_filter.theme_id),
        _select("filter-subgroup", "Subgroup", [(s.id, s.name) for s in reference.subgroups(session, pid)],
                plan_filter.subgroup_id),
        _select("filter-owner", "Owner", sorted(owners.items(), key=lambda kv: kv[1]), plan_filter.owner_id),
    ], className="g-2"))
    # dbc.Form takes no aria-* attributes: the landmark and its name go on a wrapper.
    filters = html.Div(filters, className="card-section", role="search",
                       **{"aria-label": "Filter the overview"})
    return html.Div([
        html.H1(f"{partnership.name}: delivery overview", className="h3"),
        html.P(f"{partnership.area}. Figures as at today; filters apply to every figure and chart.",
               className="text-muted"),
        html.P(html.A("Everyone's outstanding updates", href=dash.get_relative_path("/reminders"),
                      id="overview-reminders-link")) if person.role in ("admin", "chair") else None,
        dbc.Row([dbc.Col(filters, lg=8), dbc.Col(rag_legend(reference.rag_scale(session, pid)), lg=4)],
                className="mb-2"),
        overview_export_controls(),  # download this view as Excel; link to /plan/transfer
        html.Div(render(session, pid, plan_filter), id="overview-content", **{"aria-live": "polite"}),
    ])


@callback(
    Output("overview-content", "children"),
    Input("filter-theme", "value"),
    Input("filter-subgroup", "value"),
    Input("filter-owner", "value"),
    prevent_initial_call=True,
)
def apply_filters(theme, subgroup, owner):
    plan_filter = _plan_filter(theme, subgroup, owner)
    content, error = run_service(lambda session, person: render(session, person.partnership_id, plan_filter))
    return html.P(str(error)) if error else content
