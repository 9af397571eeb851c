"""The indicators list a page at a time: the indicators in the framework's order (strategic outcomes,
then intermediate, then those linked to none; national headline measures first within each), one page
of them read in full from the database, and the status counts of every indicator.

A county x10 has 300 indicators: the page reads and shows LIST_PAGE of them (?page=N), optionally of one
outcome (?outcome=<code>, or "none" for the unlinked), while the figures above the list count them all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session

from tracker.models import Indicator, Outcome
from tracker.rules.enums import OutcomeKind
from tracker.rules.paging import Page, page_of
from tracker.services import reference
from tracker.services.indicators.views import IndicatorSummary, indicator_statuses, summaries

LIST_PAGE = 50
UNLINKED = "none"  # the outcome filter's value for the indicators linked to no outcome


@dataclass
class OutcomeGroup:
    """The indicators of one national outcome shown on this page (strategic outcomes first, as the
    framework lists them), with the outcome's counts over all its indicators."""

    code: str
    name: str
    kind: str  # "strategic" or "intermediate"
    rows: list[IndicatorSummary]  # those on this page
    national: int = 0  # national headline measures of the outcome, on every page
    local: int = 0
    earlier: int = 0  # how many of its indicators are on earlier pages

    @property
    def total(self) -> int:
        return self.national + self.local

    @property
    def key(self) -> str:
        """Its value in the address (?outcome=S1; "none" for the unlinked)."""
        return self.code or UNLINKED


@dataclass
class IndicatorsList:
    """A page of the indicators, grouped by outcome, and every indicator counted by status."""

    rows: list[IndicatorSummary]  # the page's indicators, in the order shown
    counts: dict[str, int]  # every indicator's, whatever the page or outcome shown
    groups: list[OutcomeGroup]  # the outcomes shown on this page
    unlinked_group: OutcomeGroup | None  # the indicators linked to no outcome, when this page shows them
    page: Page
    outcome: str | None = None  # the outcome shown alone (its code, or "none"); None for every outcome

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def unlinked(self) -> list[IndicatorSummary]:
        return self.unlinked_group.rows if self.unlinked_group else []


def _chosen(asked, outcomes: list[Outcome], has_unlinked: bool) -> Outcome | str | None:
    """The outcome the address asks for: an Outcome, UNLINKED, or None (every outcome, also for a code
    that is none of them)."""
    wanted = str(asked or "").strip().upper()
    if wanted == UNLINKED.upper() and has_unlinked:
        return UNLINKED
    return next((o for o in outcomes if o.code.upper() == wanted), None) if wanted else None


def _order(session: Session) -> tuple:
    """The list's order in SQL, as the page groups it: by outcome (strategic first, then by code; none
    last), national headline measures first, then by code as Python orders strings."""
    return (Indicator.outcome_id.is_(None), Outcome.kind != OutcomeKind.STRATEGIC.value, Outcome.code,
            Indicator.is_national.desc(), reference.code_point_order(session, Indicator.code))


def _on_page(start: int, n: int, total: int, page: Page) -> bool:
    """Whether a group of `n` indicators from position `start` shows on `page`; an empty one shows where
    it falls in the order."""
    end = page.offset + page.size
    if n:
        return start < end and start + n > page.offset
    return page.offset <= start < end or (start == total and page.number == page.pages)


def indicators_list(session: Session, partnership_id: int, outcome=None, page=1,
                    size: int = LIST_PAGE) -> IndicatorsList:
    """Page `page` (any value: tracker.rules.paging) of the indicators, of `outcome` alone when it names
    one of the partnership's outcomes, with the counts of every indicator."""
    pid = partnership_id
    outcomes = reference.outcomes(session, pid, strategic_first=True)
    statuses = indicator_statuses(session, pid)
    tally = Counter((s.outcome_id, s.is_national) for s in statuses)
    chosen = _chosen(outcome, outcomes, any(s.outcome_id is None for s in statuses))
    sections = [OutcomeGroup(o.code, o.name, o.kind, [], tally[o.id, True], tally[o.id, False])
                for o in outcomes if chosen in (None, o)]
    if chosen in (None, UNLINKED) and (tally[None, True] or tally[None, False]):
        sections.append(OutcomeGroup("", "", "", [], tally[None, True], tally[None, False]))
    total = sum(g.total for g in sections)
    shown = page_of(total, size, page)
    where = (() if chosen is None else (Indicator.outcome_id.is_(None),) if chosen == UNLINKED
             else (Indicator.outcome_id == chosen.id,))
    rows = summaries(session, pid, *where, order_by=_order(session), limit=shown.size,
                     offset=shown.offset) if total else []
    ids = {o.code: o.id for o in outcomes}
    groups, start = [], 0
    for g in sections:
        if _on_page(start, g.total, total, shown):
            g.rows = [r for r in rows if r.outcome_id == ids.get(g.code)]
            g.earlier = min(max(shown.offset - start, 0), g.total)
            groups.append(g)
        start += g.total
    unlinked = groups.pop() if groups and not groups[-1].code else None
    return IndicatorsList(rows=rows, counts=dict(Counter(s.status for s in statuses)), groups=groups,
                          unlinked_group=unlinked, page=shown,
                          outcome=None if chosen is None else UNLINKED if chosen == UNLINKED else chosen.code)
