"""A theme's actions a page at a time: a county x10 theme has a thousand actions, so its page shows 50
with links to the rest (?page=N), and at seed size it shows them all with no page links."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS
from tests.crafted import node_links, node_text, nodes_by_id, page_json, signed_in_client
from tests.generated import grow_plan
from tracker.models import Theme

PAGE = 50  # tracker.web.pages.theme.THEME_ACTIONS_PAGE (a page module is imported only once the app exists)


def _rows(found: dict) -> list[str]:
    body = found["theme-actions"]["props"]["children"][1]
    return [node_text(row["props"]["children"][0]) for row in body["props"]["children"]]


def _counted(page: dict) -> int:
    """N in the page's "Actions by RAG (N)": every action of the theme, counted in SQL."""
    text = json.dumps(page)
    return int(text.split("Actions by RAG (")[1].split(")")[0])


def _theme_ids(db) -> list[int]:
    with Session(db) as s:
        return s.exec(select(Theme.id).order_by(Theme.id)).all()


def test_at_seed_size_a_theme_lists_every_action_and_no_page_links(app, db):
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    theme_id = _theme_ids(db)[0]
    found = nodes_by_id(page_json(client, f"/theme/{theme_id}"))
    assert "theme-actions-pages" not in found and "theme-actions-more" not in found
    assert "theme-actions-pages-top" not in found
    assert len(_rows(found)) == _counted(page_json(client, f"/theme/{theme_id}")) >= 5


@pytest.fixture
def large(app, db, monkeypatch):
    with Session(db) as s:
        grow_plan(s, monkeypatch, subgroups_per_theme=3, actions_per_subgroup=40, indicators=2, tag="p")
    return signed_in_client(app, DEMO_EMAILS["chair"])


def test_a_large_theme_shows_a_page_of_actions_and_links_to_the_others(large, db):
    theme_id = _theme_ids(db)[0]
    first = nodes_by_id(page_json(large, f"/theme/{theme_id}"))
    status = node_text(first["theme-actions-pages-status"])
    total = int(status.split(" of ")[1].split(" actions")[0].replace(",", ""))
    pages = -(-total // PAGE)
    assert pages >= 3, status
    assert status == f"Showing 1–{PAGE} of {total:,} actions (page 1 of {pages})."
    assert len(_rows(first)) == PAGE
    assert node_links(first["theme-actions-pages"]) == [f"/theme/{theme_id}?page=2", f"/theme/{theme_id}?page={pages}"]
    # The same links above the list, named apart from those below it, the status announced once.
    top = first["theme-actions-pages-top"]
    assert node_links(top) == node_links(first["theme-actions-pages"])
    assert node_text(first["theme-actions-pages-top-status"]) == status
    assert top["props"]["aria-label"] != first["theme-actions-pages"]["props"]["aria-label"]
    assert "aria-live" not in first["theme-actions-pages-top-status"]["props"]

    second = nodes_by_id(page_json(large, f"/theme/{theme_id}", "?page=2"))
    assert node_text(second["theme-actions-pages-status"]).startswith(f"Showing {PAGE + 1}–{2 * PAGE} of ")
    assert not set(_rows(second)) & set(_rows(first))  # the next fifty, not the same ones again
    assert node_links(second["theme-actions-pages"]) == [
        f"/theme/{theme_id}", f"/theme/{theme_id}", f"/theme/{theme_id}?page=3", f"/theme/{theme_id}?page={pages}"]
    # The figures above the list count every action of the theme, whichever page is shown.
    assert _counted(page_json(large, f"/theme/{theme_id}", "?page=2")) == total


@pytest.mark.parametrize("search", ["?page=abc", "?page=-1", "?page=0", "?page=1e9", "?page=2&page=x"])
def test_a_page_number_that_is_no_page_shows_a_page_that_is(large, db, search):
    theme_id = _theme_ids(db)[0]
    found = nodes_by_id(page_json(large, f"/theme/{theme_id}", search))
    expected = "Showing 51–" if search.startswith("?page=2") else "Showing 1–"
    assert node_text(found["theme-actions-pages-status"]).startswith(expected)


def test_a_page_past_the_end_shows_the_last(large, db):
    theme_id = _theme_ids(db)[0]
    found = nodes_by_id(page_json(large, f"/theme/{theme_id}", "?page=99999"))
    status = node_text(found["theme-actions-pages-status"])
    total = int(status.split(" of ")[1].split(" actions")[0].replace(",", ""))
    assert len(_rows(found)) == total - (-(-total // PAGE) - 1) * PAGE
    assert f"(page {-(-total // PAGE)} of {-(-total // PAGE)})" in status
