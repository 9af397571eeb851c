"""Links between the pages of a long list (Previous, "Page 2 of 20", Next): plain links to the same
address with ?page=N, so a page of the list can be bookmarked, reloaded and reached by keyboard, and
the server only builds the rows shown."""

from __future__ import annotations

from collections.abc import Callable

from dash import html

from tracker.rules.paging import Page
from tracker.web.components.url_filters import to_search


def page_search(values: dict[str, object], number: int) -> str:
    """The query string for page `number` of a list whose page keeps these other values (its filters)."""
    return to_search({**values, "page": number if number > 1 else None})


def _item(text: str, href: str | None, label: str, item_id: str) -> html.Li:
    if href is None:  # no such page: shown, but not a link
        return html.Li(html.Span(text, className="page-link", **{"aria-disabled": "true"}),
                       className="page-item disabled")
    return html.Li(html.A(text, href=href, className="page-link", id=item_id, **{"aria-label": label}),
                   className="page-item")


def pager(page: Page, href_for: Callable[[int], str], noun: str, pager_id: str,
          above: bool = False) -> html.Nav | None:
    """"Showing 51–100 of 1,000 <noun>" and links to the first, previous, next and last pages; None
    when everything fits on one page. `above`: a second pager over a long list, named apart from the
    one under it (two navigation landmarks of one name are confusing), its status not announced twice."""
    if not page.is_paged:
        return None
    n = page.number
    live = {} if above else {"aria-live": "polite"}
    return html.Nav([
        html.P(f"Showing {page.first:,}–{page.last:,} of {page.total:,} {noun} "
               f"(page {n:,} of {page.pages:,}).", className="small mb-1", id=f"{pager_id}-status", **live),
        html.Ul([
            _item("« First", href_for(1) if n > 1 else None, f"First page of {noun}", f"{pager_id}-first"),
            _item("‹ Previous", href_for(n - 1) if n > 1 else None, f"Previous page of {noun}", f"{pager_id}-previous"),
            _item("Next ›", href_for(n + 1) if n < page.pages else None, f"Next page of {noun}", f"{pager_id}-next"),
            _item("Last »", href_for(page.pages) if n < page.pages else None, f"Last page of {noun}",
                  f"{pager_id}-last"),
        ], className="pagination pagination-sm flex-wrap mb-0"),
    ], id=pager_id, className="mb-2" if above else "mt-2",
        **{"aria-label": f"Pages of {noun}, above the list" if above else f"Pages of {noun}"})
