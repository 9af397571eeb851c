"""The chair's overview: headline figures, RAG by theme and subgroup, and the exceptions."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from tracker.formatting import long_date
from tracker.services import funding, plan, plan_counts, reference, risks, saved_views
from tracker.web.callbacks import callback
from tracker.web.components import forms, url_filters
from tracker.web.components.plan import exceptions_table, rag_bar_chart, rag_count_table
from tracker.web.components.rag import rag_counts, rag_legend
from tracker.web.components.saved_views import saved_views_panel
from tracker.web.context import run_service, signed_in_page, today
from tracker.web.pages.plan_transfer import overview_export_address, overview_export_controls

dash.register_page(__name__, path="/", title="Overview – CDP Delivery Tracker", name="Overview",
                   nav={"order": 10, "label": "Overview"})


def _plan_filter(theme, subgroup, owner) -> plan.PlanFilter:
    """The filters' values (from the query string or the selects): "" or anything not a number is "all"."""
    return plan.PlanFilter(theme_id=forms.to_int(theme), subgroup_id=forms.to_int(subgroup),
                           owner_id=forms.to_int(owner))


def headline(label: str, value: int, tile_id: str) -> dbc.Col:
    return dbc.Col(html.Div([html.Div(str(value), className="figure"), html.Div(label)],
                            className="headline", id=tile_id), xs=6, md=3)


EXCEPTIONS_PAGE = 25  # exceptions listed at first (a screenful); "Show more" adds as many again


def shown_count(clicks: int = 0) -> int:
    return EXCEPTIONS_PAGE * (clicks + 1)


def exceptions_list(by_code: dict, exceptions: list, total: int, clicks: int = 0) -> list:
    """The worst exceptions first, a page at a time: a county x10 has over a thousand, and sending them
    all made the page 1.6 MB. Below the page size (any county's own plan) everything is listed.
    `exceptions` holds the worst shown_count(clicks) of `total` (only those are read from the database)."""
    shown = shown_count(clicks)
    more = total - shown
    return [
        exceptions_table(by_code, exceptions[:shown]),
        html.Div([
            html.P(f"Showing the worst {shown:,} of {total:,}.", className="small mb-1",
                   id="exceptions-shown"),
            dbc.Button(f"Show {min(more, EXCEPTIONS_PAGE):,} more", id="exceptions-more", n_clicks=clicks,
                       color="secondary", outline=True, size="sm"),
        ]) if more > 0 else None,
    ]


def render(session, partnership_id: int, plan_filter: plan.PlanFilter, scale=None, themes=None,
           subgroups=None, partnership=None) -> list:
    """The figures, charts and exceptions. The layout passes the scale, themes, subgroups and
    partnership it has read already (each is read here otherwise)."""
    partnership = partnership or reference.get_partnership(session, partnership_id)
    scale = scale or reference.rag_scale(session, partnership_id)
    by_code = {r.code: r for r in scale}
    # Counted in SQL from the stored current status; only the exceptions listed become rows.
    summary = plan_counts.overview_figures(session, partnership_id, today(), plan_filter, top=shown_count(),
                                           scale=scale)
    theme_links = {f"{t.number}. {t.name}": dash.get_relative_path(f"/theme/{t.id}")
                   for t in (themes if themes is not None else reference.themes(session, partnership_id))}
    subgroup_links = {s.name: dash.get_relative_path(f"/subgroup/{s.id}")
                      for s in (subgroups if subgroups is not None else reference.subgroups(session, partnership_id))}
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
            html.H2(f"Exceptions ({summary.exception_count})", className="h5", id="exceptions-heading"),
            html.P(f"Red, overdue, deteriorating since the last update, or not updated in the last "
                   f"{partnership.stale_after_days} days.",
                   className="text-muted small"),
            html.Div(exceptions_list(by_code, summary.exceptions, summary.exception_count), id="exceptions-list"),
        ], className="card-section"),
    ]


def watch_list(risk_watch: risks.RiskWatch, ending: list[funding.EndingItem]) -> html.Section:
    """What the chair must see coming: the highest risks and the money that ends within a year."""
    top, overdue_reviews = risk_watch.top, risk_watch.overdue_reviews
    risks_part = html.Ul([html.Li([html.Strong(f"{r.ref}: {r.title}"), f" – residual {r.residual_words}",
                                   " (review overdue)" if r.review_overdue else ""]) for r in top],
                         id="overview-top-risks") if top else html.P("No open risks.", id="overview-top-risks")
    money_part = html.Ul([html.Li([html.Strong(i.name), f" ({i.financial_year}) ends {long_date(i.end_date)}"])
                          for i in ending], id="overview-funding-ending") if ending else \
        html.P("No contract or grant ends in the next 12 months.", id="overview-funding-ending")
    return html.Section(dbc.Row([
        dbc.Col([html.H2("Top risks", className="h5"), risks_part,
                 html.P([f"{overdue_reviews} risk{'s' if overdue_reviews != 1 else ''} overdue for review. ",
                         html.A("The risk register", href=dash.get_relative_path("/risks"))], className="small")],
                lg=6),
        dbc.Col([html.H2("Contracts and grants ending within 12 months", className="h5"), money_part,
                 html.P(html.A("Contracts and grants", href=dash.get_relative_path("/funding")), className="small")],
                lg=6),
    ]), className="card-section", id="overview-watch-list")


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
    owners = plan.owners(session, pid)
    scale, themes, subgroups = (reference.rag_scale(session, pid), reference.themes(session, pid),
                                reference.subgroups(session, pid))  # read once for the filters and the figures
    filters = dbc.Form(dbc.Row([
        _select("filter-theme", "Theme", [(t.id, f"{t.number}. {t.name}") for t in themes], plan_filter.theme_id),
        _select("filter-subgroup", "Subgroup", [(s.id, s.name) for s in subgroups], plan_filter.subgroup_id),
        _select("filter-owner", "Owner", owners, plan_filter.owner_id),
    ], className="g-2"))
    # dbc.Form takes no aria-* attributes: the landmark and its name go on a wrapper.
    filters = html.Div(filters, className="card-section", role="search",
                       **{"aria-label": "Filter the overview"})
    return html.Div([
        url_filters.location("overview"),
        html.H1(f"{partnership.name}: delivery overview", className="h3"),
        html.P(f"{partnership.area}. Figures as at today; filters apply to every figure and chart.",
               className="text-muted"),
        html.P(html.A("Everyone's outstanding updates", href=dash.get_relative_path("/reminders"),
                      id="overview-reminders-link")) if person.role in ("admin", "chair") else None,
        dbc.Row([dbc.Col(filters, lg=8), dbc.Col(rag_legend(scale), lg=4)],
                className="mb-2"),
        saved_views_panel(saved_views.list_views(session, person, page="/")),  # this view, kept under a name
        overview_export_controls(plan_filter.theme_id, plan_filter.subgroup_id, plan_filter.owner_id),  # this view as Excel
        html.Div(render(session, pid, plan_filter, scale, themes, subgroups, partnership), id="overview-content", **{"aria-live": "polite"}),
        watch_list(risks.watch(session, pid, today()), funding.ending_soon(session, pid, today())),
    ])


URL_NAMES = ["theme", "subgroup", "owner"]  # the query string's names, as layout() reads them


@callback(
    Output("overview-content", "children"),
    Output(url_filters.location_id("overview"), "search"),
    Output("filter-theme", "value"),
    Output("filter-subgroup", "value"),
    Output("filter-owner", "value"),
    Output("overview-export-button", "href"),
    Input("filter-theme", "value"),
    Input("filter-subgroup", "value"),
    Input("filter-owner", "value"),
    Input(url_filters.location_id("overview"), "search"),
)
def apply_filters(theme, subgroup, owner, search):
    """A chosen filter goes into the address; an address changed by Back or Forward sets the filters.
    The download link follows here too: a callback of its own, chained after this one, would succeed
    where this one was refused (an expired page) and so clear the page's "not done" alert."""
    shown = _plan_filter(theme, subgroup, owner)
    if ctx.triggered_id == url_filters.location_id("overview"):
        wanted = url_filters.from_search(search, URL_NAMES)
        plan_filter = _plan_filter(wanted["theme"], wanted["subgroup"], wanted["owner"])
        if plan_filter == shown:
            raise PreventUpdate  # the address already says what is shown (e.g. as the page loads)
        address = no_update
        controls = [plan_filter.theme_id or "", plan_filter.subgroup_id or "", plan_filter.owner_id or ""]
        controls = [str(v) for v in controls]
    else:
        plan_filter = shown
        address = url_filters.to_search({"theme": shown.theme_id, "subgroup": shown.subgroup_id,
                                         "owner": shown.owner_id})
        controls = [no_update] * 3
    content, error = run_service(lambda session, person: render(session, person.partnership_id, plan_filter))
    export = overview_export_address(plan_filter.theme_id, plan_filter.subgroup_id, plan_filter.owner_id)
    return (html.P(str(error)) if error else content), address, *controls, export


@callback(
    Output("exceptions-list", "children"),
    Input("exceptions-more", "n_clicks"),
    State("filter-theme", "value"),
    State("filter-subgroup", "value"),
    State("filter-owner", "value"),
)
def show_more_exceptions(clicks, theme, subgroup, owner):
    clicks = clicks if isinstance(clicks, int) and 0 < clicks < 10_000 else 0
    plan_filter = _plan_filter(theme, subgroup, owner)

    def page(session, person):
        by_code = {r.code: r for r in reference.rag_scale(session, person.partnership_id)}
        rows, total = plan_counts.exceptions(session, person.partnership_id, today(), plan_filter, shown_count(clicks))
        return exceptions_list(by_code, rows, total, clicks)

    content, error = run_service(page)
    return html.P(str(error)) if error else content
