"""Commissioned services and grants: what ends when, totals by financial year, the split between areas."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.formatting import long_date, money
from tracker.services import funding
from tracker.web.context import signed_in_page, today

dash.register_page(__name__, path="/funding", title="Contracts and grants – CDP Delivery Tracker",
                   name="Contracts and grants", nav={"order": 66, "label": "Funding"})


def _status(item: funding.FundingItem):
    colour = {"Ending soon": "warning", "Ended": "secondary", "Running": "success"}.get(item.status, "light")
    words = item.status
    if item.status == "Ending soon" and item.months_left is not None:
        words = f"Ending soon: {item.months_left} month{'s' if item.months_left != 1 else ''} left"
    return dbc.Badge(words, color=colour, text_color="dark" if colour in ("warning", "light") else None)


def _shares(item: funding.FundingItem) -> str:
    return "; ".join(f"{area} {money(value)}" + (f" ({pct:g}%)" if pct is not None else "")
                     for area, value, pct in item.shares) or "—"


def _href(path: str) -> str:
    return dash.get_relative_path(path)


def _table(items: list[funding.FundingItem], table_id: str, kind: str) -> html.Div:
    if not items:
        return html.P(f"No {kind}s are recorded.", id=table_id)
    who = "Provider" if kind == "contract" else "Funder"
    head = html.Tr([html.Th(h, scope="col") for h in
                    ("Name", who, "Year", "Annual value", "Split", "Ends", "Status", "Actions", "Risks")])
    rows = [html.Tr([
        html.Th([i.name, " ", dbc.Badge("illustrative", color="light", text_color="dark") if i.illustrative else None,
                 html.Div(i.extension_options or i.replaces, className="small text-muted fw-normal")], scope="row"),
        html.Td(i.provider_or_funder or "—"), html.Td(i.financial_year or "—"),
        html.Td(money(i.value_gbp, empty="Not known")), html.Td(_shares(i), className="small"),
        html.Td(long_date(i.end_date)), html.Td(_status(i)),
        html.Td([html.A(ref, href=_href(f"/action/{aid}"), className="me-1") for aid, ref in i.actions] or "—"),
        html.Td(html.Ul([html.Li(html.A(f"{ref}: {title}", href=_href(f"/risks#risk-{rid}")), className="py-1")
                         for rid, ref, title in i.risks], className="list-unstyled small mb-0") if i.risks else "—"),
    ], id=f"funding-{i.id}") for i in items]
    return html.Div(html.Table([html.Thead(head), html.Tbody(rows)], className="table table-sm align-top",
                               id=table_id), className="table-responsive")


@signed_in_page("Sign in to see the contracts and grants.")
def layout(session, person, **_):
    reg = funding.funding_register(session, person.partnership_id, today())
    soon = (html.Ul([html.Li([html.Strong(i.name), f" ({i.financial_year}) ends {long_date(i.end_date)}: ",
                              _status(i)]) for i in reg.ending_soon], id="funding-ending-soon")
            if reg.ending_soon else html.P("Nothing ends in the next 12 months.", id="funding-ending-soon"))
    totals = html.Div(html.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Financial year", "Contracts", "Grants", "Total")])),
        html.Tbody([html.Tr([html.Th(t.financial_year, scope="row"), html.Td(money(t.contracts_gbp)),
                             html.Td(money(t.grants_gbp)), html.Td(money(t.contracts_gbp + t.grants_gbp))])
                    for t in reg.totals]),
    ], className="table table-sm", id="funding-totals"), className="table-responsive")
    timeline = html.Ol([html.Li([html.Strong(long_date(i.end_date)), f": {i.name}",
                                f" ({i.financial_year})" if i.financial_year else "", " ", _status(i)])
                        for i in reg.timeline], id="funding-timeline", className="small")
    return html.Div([
        html.H1("Contracts and grants", className="h3"),
        html.P("The commissioned services and the grants behind the plan. A contract or grant that ends within "
               "12 months is flagged, here and on the overview."),
        html.Section([html.H2("Ending in the next 12 months", className="h5"), soon], className="card-section"),
        html.Section([html.H2("Commissioned services", className="h5"),
                      _table(reg.contracts, "funding-contracts", "contract")], className="card-section"),
        html.Section([html.H2("Grants", className="h5"), _table(reg.grants, "funding-grants", "grant")],
                     className="card-section"),
        html.Section([html.H2("Totals by financial year", className="h5"),
                      html.P("Values as the documents give them; a year's total counts only the rows with a value.",
                             className="small"), totals], className="card-section"),
        html.Section([html.H2("Timeline of end dates", className="h5"), timeline], className="card-section"),
    ])
