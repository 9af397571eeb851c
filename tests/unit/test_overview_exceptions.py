"""The overview's exceptions a page at a time: the worst 25 first, "Show 25 more" adds the next, in the
order the figures put them, each row with its own action's RAG; at seed size all are listed."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tests.crafted import call_callback, node_text, nodes_by_id, page_json, signed_in_client
from tests.generated import grow_plan
from tracker.services import plan_counts, reference
from tracker.services.plan import PlanFilter

PAGE = 25  # tracker.web.pages.overview.EXCEPTIONS_PAGE (a page module is imported only once the app exists)


def listed(node) -> list[tuple[str, str]]:
    """(action reference, RAG badge text) of each row of the exceptions table."""
    body = nodes_by_id(node)["exceptions-table"]["props"]["children"][1]
    return [(node_text(row["props"]["children"][0]).split(" ")[0], node_text(row["props"]["children"][4]))
            for row in body["props"]["children"]]


def worst(db, pid: int, count: int) -> tuple[list[tuple[str, str]], int]:
    """The worst `count` exceptions as the overview's figures order them, with each one's RAG as its
    badge reads (symbol, then word)."""
    with Session(db) as s:
        labels = {r.code: r.symbol + r.label for r in reference.rag_scale(s, pid)}
        rows, total = plan_counts.exceptions(s, pid, TODAY, PlanFilter(), count)
    return [(r.ref, labels[r.rag]) for r in rows], total


def show_more(client, clicks) -> dict:
    reply = call_callback(client, ("exceptions-more", "n_clicks", clicks),
                          {("filter-theme", "value"): "", ("filter-subgroup", "value"): "",
                           ("filter-owner", "value"): ""})
    assert reply.status == 200
    return reply.json


@pytest.fixture
def large(app, db, monkeypatch):
    with Session(db) as s:
        pid = grow_plan(s, monkeypatch, subgroups_per_theme=2, actions_per_subgroup=20, tag="x")
    return signed_in_client(app, DEMO_EMAILS["chair"]), pid


def test_a_large_plan_lists_the_worst_exceptions_a_page_at_a_time(large, db):
    client, pid = large
    with Session(db) as s:
        assert person_by_email(s, DEMO_EMAILS["chair"]).partnership_id == pid  # the chair sees the grown plan
    first = page_json(client, "/")
    expected, total = worst(db, pid, 2 * PAGE)
    assert total > 2 * PAGE + 1, "the grown plan should have more than two pages of exceptions"
    found = nodes_by_id(first)
    assert listed(first) == expected[:PAGE]
    assert node_text(found["exceptions-shown"]) == f"Showing the worst {PAGE} of {total:,}."
    assert node_text(found["exceptions-more"]) == f"Show {PAGE} more"

    second = show_more(client, 1)
    assert listed(second) == expected[:2 * PAGE]  # the first page again, then the next 25
    assert node_text(nodes_by_id(second)["exceptions-shown"]) == f"Showing the worst {2 * PAGE} of {total:,}."

    clicks = -(-total // PAGE) - 1  # the click that reaches the last exception
    last = show_more(client, clicks)
    everything, _ = worst(db, pid, total)
    assert listed(last) == everything and len(everything) == total
    assert "exceptions-more" not in nodes_by_id(last) and "exceptions-shown" not in nodes_by_id(last)


def test_at_seed_size_every_exception_is_listed_with_no_button(app, db):
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    page = page_json(client, "/")
    with Session(db) as s:
        pid = person_by_email(s, DEMO_EMAILS["chair"]).partnership_id
    expected, total = worst(db, pid, PAGE)
    assert 0 < total <= PAGE
    assert listed(page) == expected
    assert "exceptions-more" not in nodes_by_id(page)


@pytest.mark.parametrize("clicks", [-1, "many", 10**9, None])
def test_a_click_count_that_is_no_count_shows_the_first_page(large, db, clicks):
    client, pid = large
    expected, _ = worst(db, pid, PAGE)
    assert listed(show_more(client, clicks)) == expected
