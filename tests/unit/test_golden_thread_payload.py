"""The golden thread sends what a reader can take in: in a large plan each long list (an objective's
actions and indicators, an outcome's measures, the gaps) shows its first LISTED with a link to where
the rest are listed, and the view of every theme counts long lists instead of listing them. At seed size
nothing is cut."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session

from tests.conftest import DEMO_EMAILS
from tests.crafted import node_links, node_text, nodes_by_id, page_json, signed_in_client
from tests.generated import grow_plan

# Issue 9's "no response over 300 KB", in the KB benchmarks/pages.py prints (1,024 bytes). On PostgreSQL
# the same page is a few KB longer or shorter from run to run: ids come from sequences and their widths vary.
LIMIT = 300 * 1024

LISTED = 12  # tracker.web.pages.golden_thread.LISTED (a page module is imported only once the app exists)


def _page(client, search: str = "") -> dict:
    return page_json(client, "/golden-thread", search)


def _items(node) -> list:
    children = node["props"].get("children") or []
    return [c for c in (children if isinstance(children, list) else [children]) if c]


def test_at_seed_size_no_list_is_cut(app):
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    for search in ("", "?theme=all"):
        found = nodes_by_id(_page(client, search))
        assert not [k for k in found if k.endswith("-more")], search
        assert not any("actions:" in node_text(n) for k, n in found.items() if k.startswith("thread-actions-"))


@pytest.fixture
def large(app, db, monkeypatch):
    with Session(db) as s:
        grow_plan(s, monkeypatch, subgroups_per_theme=2, actions_per_subgroup=40, indicators=60, seed=5, tag="g")
    return signed_in_client(app, DEMO_EMAILS["chair"])


def test_a_large_plan_lists_the_first_few_and_links_to_the_rest(large):
    page = _page(large)
    found = nodes_by_id(page)
    actions = [k for k in found if k.startswith("thread-actions-") and k + "-more" in found]
    assert actions, "an objective of the theme shown has more than LISTED actions"
    for key in actions:
        assert len(_items(found[key])) == LISTED + 1  # the first LISTED and "and N more: ..."
        more = found[key + "-more"]
        assert node_text(more).startswith("and ") and node_links(more)[0].startswith("/theme/")
    measures = [k for k in found if k.startswith("outcome-measures-") and not k.endswith("-more")
                and k + "-more" in found]
    assert measures, "an outcome has more than LISTED measures"
    for key in measures:
        assert len(_items(found[key])) == LISTED
        code = key.removeprefix("outcome-measures-")
        assert node_links(found[key + "-more"]) == [f"/indicators?outcome={code}"]
    gap = found["gaps-measures"]
    assert len(_items(gap)) == LISTED + 1 and node_links(found["gaps-measures-more"]) == ["/indicators"]
    assert len(json.dumps(page)) < LIMIT, len(json.dumps(page))


def test_every_theme_at_once_counts_the_long_lists(large):
    page = _page(large, "?theme=all")
    found = nodes_by_id(page)
    counted = [n for k, n in found.items() if k.startswith("thread-actions-") and n["type"] == "P"
               and "actions:" in node_text(n)]
    assert counted
    for node in counted:
        assert any(h.startswith("/golden-thread?theme=") for h in node_links(node))
    assert len(json.dumps(page)) < LIMIT, len(json.dumps(page))
