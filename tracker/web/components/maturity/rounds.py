"""Lists of assessment rounds: the overview's short lists (the first few, then "and N more" with a link
to the rounds page) and the rounds page's numbered pages."""

from __future__ import annotations

from dash import html

from tracker.formatting import short_date
from tracker.services.maturity import AssessmentSummary, RoundsPage
from tracker.web.components.maturity.levels import assessment_href, href, illustrative_tag, status_badge
from tracker.web.components.pager import page_search, pager


def rounds_href(which: str, page: int = 1) -> str:
    """The rounds page listing `which` ("in-progress" or "mine"), at page `page`."""
    return href(f"/maturity/rounds{page_search({'list': which}, page)}")


def _round_item(r: AssessmentSummary) -> html.Li:
    return html.Li([html.A(f"{r.subgroup}: {r.title}", href=assessment_href(r.id)), " ", status_badge(r),
                    f" opened {short_date(r.opened_on)}; {r.submitted} of {r.raters} ratings submitted ",
                    illustrative_tag(r.illustrative)])


def round_list(rounds: list[AssessmentSummary], list_id: str, empty: str, more: int = 0,
               more_href: str = "", more_words: str = "") -> html.Ul | html.P:
    """The rounds as a list of links; when `more` were left off, a last line "and N more: <more_words>"
    linking to `more_href`, where they are all listed."""
    if not rounds:
        return html.P(empty, id=list_id)
    items = [_round_item(r) for r in rounds]
    if more > 0:
        items.append(html.Li([f"and {more:,} more: ", html.A(more_words, href=more_href)],
                             className="small list-more", id=f"{list_id}-more"))
    return html.Ul(items, id=list_id)


def rounds_pager(page: RoundsPage, nav_id: str = "rounds-pager") -> html.Nav | None:
    """"Showing 26–40 of 40 rounds", with links to the other pages (none when one page holds all)."""
    return pager(page.shown, lambda n: rounds_href(page.which, n), "rounds", nav_id)
