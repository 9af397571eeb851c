"""Every assessment round not yet signed off (or every one awaiting the signed-in person's rating), a page
at a time: where the overview's "and N more" leads.

The layout gets one view model (maturity.rounds_page) and renders it; nothing here queries."""

from __future__ import annotations

import dash
from dash import html

from tracker.services import maturity
from tracker.web.components.maturity import href, round_list, rounds_href, rounds_pager
from tracker.web.components.url_filters import first_value
from tracker.web.context import signed_in_page

dash.register_page(__name__, path="/maturity/rounds", title="Maturity rounds – CDP Delivery Tracker",
                   name="Maturity rounds")

EMPTY = {"in-progress": "No round is in progress.", "mine": "You have no ratings waiting."}


def render(page: maturity.RoundsPage) -> html.Div:
    other = "mine" if page.which == "in-progress" else "in-progress"
    return html.Div([
        html.P(html.A("Back to the maturity of the subgroups", href=href("/maturity")), className="small mb-1"),
        html.H1(page.heading, className="h3", id="rounds-heading"),
        html.P([f"{page.total:,} round{'s' if page.total != 1 else ''}"
                + (", open for ratings first, then awaiting sign-off, by subgroup." if page.which == "in-progress"
                   else ", oldest first."),
                " See also ", html.A(maturity.ROUND_LISTS[other].lower(), href=rounds_href(other)), "."],
               id="rounds-count"),
        round_list(page.rounds, "maturity-rounds", EMPTY[page.which]),
        rounds_pager(page),
    ], className="card-section")


@signed_in_page("Sign in to see the maturity rounds.")
def layout(session, person, **query):
    which = first_value(query.get("list")) or "in-progress"
    return render(maturity.rounds_page(session, person, which, query.get("page")))
