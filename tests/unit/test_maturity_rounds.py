"""Long lists of rounds on the maturity overview: the first ROUNDS_LISTED, then "and N more" linking to
the rounds page, which lists them all a page at a time; and the heatmap's cells, one cell each with the
level's number and word (never its colour alone)."""

from __future__ import annotations

import re

import pytest
from dash import html
from sqlmodel import select

from tests.conftest import person_by_email
from tests.generated import grow_plan
from tracker.config import PROJECT_ROOT
from tracker.models import MaturityAssessment, MaturityRater
from tracker.services import maturity
from tracker.web.components.maturity import LEVEL_COLOURS, heatmap_table

CHAIR = "chair@cdp.example.org"


def render_overview(page):
    from tracker.web.pages.maturity import render  # registers its page: only after an app exists

    return render(page)


def render_rounds(page):
    from tracker.web.pages.maturity_rounds import render

    return render(page)


def components(tree):
    """Every component in a layout, depth first."""
    if isinstance(tree, list | tuple):
        for child in tree:
            yield from components(child)
    elif hasattr(tree, "to_plotly_json"):
        yield tree
        yield from components(getattr(tree, "children", None))


def by_id(tree, component_id):
    return next((c for c in components(tree) if getattr(c, "id", None) == component_id), None)


def text(tree) -> str:
    if isinstance(tree, str | int | float):
        return str(tree)
    if isinstance(tree, list | tuple):
        return "".join(text(child) for child in tree)
    return text(getattr(tree, "children", None) or "")


@pytest.fixture
def many_rounds(session, partnership, monkeypatch):
    """A county with 32 more subgroups, each with a round open, and the chair invited to rate them all."""
    grow_plan(session, monkeypatch, subgroups_per_theme=8, actions_per_subgroup=1, rounds=40, tag="r",
              partnership_id=partnership.id)
    chair = person_by_email(session, CHAIR)
    for assessment_id in session.exec(select(MaturityAssessment.id).where(MaturityAssessment.status == "open")):
        session.add(MaturityRater(assessment_id=assessment_id, person_id=chair.id))
    session.commit()
    return chair


def test_the_overview_lists_the_first_rounds_and_says_how_many_more(session, many_rounds, app):
    chair = many_rounds
    page = maturity.overview_page(session, chair)
    every = maturity.assessments_in_progress(session, chair.partnership_id)
    mine = maturity.awaiting_my_rating(session, chair)
    assert len(every) > maturity.ROUNDS_PER_PAGE and len(mine) > maturity.ROUNDS_PER_PAGE
    # The first ten, in the order of the whole list, and how many were left off.
    assert page.in_progress == every[:maturity.ROUNDS_LISTED]
    assert page.awaiting_me == mine[:maturity.ROUNDS_LISTED]
    assert (page.in_progress_total, page.in_progress_more) == (len(every), len(every) - maturity.ROUNDS_LISTED)
    assert (page.awaiting_me_total, page.awaiting_me_more) == (len(mine), len(mine) - maturity.ROUNDS_LISTED)

    layout = render_overview(page)
    listed = by_id(layout, "maturity-in-progress")
    assert len([c for c in components(listed.children) if isinstance(c, html.Li)]) == maturity.ROUNDS_LISTED + 1
    more = by_id(layout, "maturity-in-progress-more")
    assert text(more) == f"and {len(every) - maturity.ROUNDS_LISTED} more: see every round in progress"
    assert [a.href for a in components(more) if isinstance(a, html.A)] == ["/maturity/rounds?list=in-progress"]
    mine_more = by_id(layout, "maturity-my-ratings-more")
    assert text(mine_more).startswith(f"and {len(mine) - maturity.ROUNDS_LISTED} more: ")
    assert [a.href for a in components(mine_more) if isinstance(a, html.A)] == ["/maturity/rounds?list=mine"]


def test_the_rounds_page_lists_them_all_a_page_at_a_time(session, many_rounds, app):
    chair = many_rounds
    for which, every in (("in-progress", maturity.assessments_in_progress(session, chair.partnership_id)),
                         ("mine", maturity.awaiting_my_rating(session, chair))):
        first = maturity.rounds_page(session, chair, which, 1)
        pages = [maturity.rounds_page(session, chair, which, n) for n in range(1, first.pages + 1)]
        assert first.pages == -(-len(every) // maturity.ROUNDS_PER_PAGE) > 1
        assert [r for p in pages for r in p.rounds] == every
        assert all(len(p.rounds) == maturity.ROUNDS_PER_PAGE for p in pages[:-1])
        # A page past the last (a link kept after rounds were signed off) is the last; before the first, the first.
        assert maturity.rounds_page(session, chair, which, 99).rounds == pages[-1].rounds
        assert maturity.rounds_page(session, chair, which, -3).rounds == first.rounds

        layout = render_rounds(pages[1])
        status = text(by_id(layout, "rounds-pager-status"))
        last = min(len(every), 2 * maturity.ROUNDS_PER_PAGE)
        assert status == (f"Showing {maturity.ROUNDS_PER_PAGE + 1}–{last} of {len(every)} rounds "
                          f"(page 2 of {first.pages}).")
        assert by_id(layout, "rounds-pager-previous").href == f"/maturity/rounds?list={which}"
        assert text(by_id(layout, "rounds-heading")) == maturity.ROUND_LISTS[which]
    assert maturity.rounds_page(session, chair, "not-a-list", 1).which == "in-progress"
    # The address as Dash hands it over: a name given twice is a list, a page number any text.
    assert maturity.rounds_page(session, chair, ["mine", "x"], ["2", "x"]).which == "in-progress"
    assert maturity.rounds_page(session, chair, "mine", "abc").shown.number == 1


def test_nothing_is_cut_at_the_seeds_size(session, app):
    page = maturity.overview_page(session, person_by_email(session, CHAIR))
    assert page.in_progress_more == 0 and page.awaiting_me_more == 0
    assert page.in_progress == maturity.assessments_in_progress(session, page.framework.partnership_id)
    layout = render_overview(page)
    assert by_id(layout, "maturity-in-progress-more") is None and by_id(layout, "maturity-my-ratings-more") is None
    rounds = render_rounds(maturity.rounds_page(session, person_by_email(session, CHAIR)))
    assert by_id(rounds, "rounds-pager") is None  # one page holds them all


def test_a_heatmap_cell_is_one_cell_with_the_levels_number_and_word(session, app):
    page = maturity.overview_page(session, person_by_email(session, CHAIR))
    table = heatmap_table(page.heatmap)
    row = next(r for r in page.heatmap.rows if r.latest)
    key, score = next(iter(row.latest.scores.items()))
    cell = by_id(table, {"type": "heatmap-cell", "subgroup": row.subgroup_id, "dim": key})
    assert isinstance(cell, html.Td) and cell.children == f"{score}\n{page.framework.levels[score]}"
    assert f"level-{score}" in cell.className.split() and getattr(cell, "style", None) is None
    # The headers keep their scope, so a screen reader names the subgroup and dimension of each cell.
    assert all(th.scope in ("col", "row") for th in components(table) if isinstance(th, html.Th))


def test_the_heatmaps_level_colours_in_the_stylesheet_are_the_level_colours():
    css = (PROJECT_ROOT / "assets" / "maturity.css").read_text()
    found = {int(level): (background, colour) for level, background, colour in re.findall(
        r"\.heatmap \.level-(\d) \{ background-color: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}", css)}
    assert found == LEVEL_COLOURS
