"""The indicators list a page at a time: a county x10 has 300 indicators, so the list shows 50 with
links to the rest (?page=N, kept with ?outcome=), the status counts above it still counting every
indicator; at seed size it shows them all with no page links."""

from __future__ import annotations

import random

import pytest
from sqlmodel import Session, select

from benchmarks import generate
from tests.conftest import DEMO_EMAILS
from tests.crafted import call_callback, node_links, node_text, nodes_by_id, page_json, signed_in_client
from tracker.models import Indicator, Outcome, Partnership

PAGE = 50  # tracker.services.indicators.LIST_PAGE
GENERATED = 60


def _listed(found: dict) -> list[str]:
    """The codes of the indicators listed on the page, in order (each row's id is indicator-row-<code>)."""
    return [key.removeprefix("indicator-row-") for key in found if key.startswith("indicator-row-")]


def _counted(found: dict) -> int:
    """N in "Status of the N indicators", checked against the count tiles under it."""
    heading = node_text(found["status-heading"])
    total = int(heading.removeprefix("Status of the ").removesuffix(" indicators"))
    tiles = sum(int(node_text(node["props"]["children"][0])) for key, node in found.items()
                if key.startswith("status-count-"))
    assert tiles == total, (heading, tiles)
    return total


def _codes(db, outcome: str | None = None) -> set[str]:
    with Session(db) as s:
        query = select(Indicator.code)
        if outcome:
            query = query.join(Outcome, Outcome.id == Indicator.outcome_id).where(Outcome.code == outcome)
        return set(s.exec(query).all())


def test_at_seed_size_every_indicator_is_listed_with_no_page_links(app, db):
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    found = nodes_by_id(page_json(client, "/indicators"))
    assert "indicators-pages" not in found and not any(k.startswith("outcome-all-") for k in found)
    assert set(_listed(found)) == _codes(db) and _counted(found) == len(_codes(db)) < PAGE
    assert "(continued)" not in str(found)


@pytest.fixture
def large(app, db, monkeypatch):
    """The seed and 60 generated indicators, all under outcome S1: 62 in S1, 87 in all (two pages)."""
    for name, value in {"SUBGROUPS_PER_THEME": 0, "INDICATORS": GENERATED, "MONTHS": 2, "ROUNDS": 0}.items():
        monkeypatch.setattr(generate, name, value)
    with Session(db) as s:
        pid = s.exec(select(Partnership.id).order_by(Partnership.id)).first()
        generate.grow(s, pid, random.Random(5), tag="q")
        s1 = s.exec(select(Outcome.id).where(Outcome.partnership_id == pid, Outcome.code == "S1")).one()
        for indicator in s.exec(select(Indicator).where(Indicator.code.like("GEN-q-%"))):
            indicator.outcome_id = s1
            s.add(indicator)
        s.commit()
    return signed_in_client(app, DEMO_EMAILS["chair"])


def test_a_long_list_shows_a_page_of_indicators_and_links_to_the_next(large, db):
    total = len(_codes(db))
    assert total > PAGE
    first = nodes_by_id(page_json(large, "/indicators"))
    assert node_text(first["indicators-pages-status"]) == f"Showing 1–{PAGE} of {total} indicators (page 1 of 2)."
    assert node_links(first["indicators-pages"]) == ["/indicators?page=2", "/indicators?page=2"]
    assert len(_listed(first)) == PAGE

    second = nodes_by_id(page_json(large, "/indicators", "?page=2"))
    assert node_text(second["indicators-pages-status"]).startswith(f"Showing {PAGE + 1}–{total} of {total} ")
    assert node_links(second["indicators-pages"]) == ["/indicators", "/indicators"]
    # The next indicators, not the same ones again: every indicator is on one page or the other.
    assert not set(_listed(first)) & set(_listed(second))
    assert set(_listed(first)) | set(_listed(second)) == _codes(db)
    # S1 began on page 1 and goes on on page 2, and says so; its counts are the whole outcome's.
    assert node_text(second["outcome-S1"]) == "S1 Reducing drug use (continued)"
    assert node_text(first["outcome-S1"]) == "S1 Reducing drug use"
    about = node_text(second["indicators-by-outcome"]).split("(continued)Strategic outcome. ")[1].split(".")[0]
    national, local = (int(about.split(" national")[0]), int(about.split(" and ")[1].split(" local")[0]))
    assert national + local == len(_codes(db, "S1")) > len(_listed(second)), about


def test_the_figures_count_every_indicator_whichever_page_or_outcome_is_shown(large, db):
    total = len(_codes(db))
    for search in ("", "?page=2", "?outcome=S1", "?outcome=S1&page=2", "?outcome=I2"):
        assert _counted(nodes_by_id(page_json(large, "/indicators", search))) == total, search


def test_an_outcome_shown_alone_keeps_its_filter_across_its_pages(large, db):
    in_s1 = _codes(db, "S1")
    assert len(in_s1) > PAGE
    first = nodes_by_id(page_json(large, "/indicators", "?outcome=s1"))  # a code in any case
    assert node_text(first["indicators-pages-status"]).startswith(f"Showing 1–{PAGE} of {len(in_s1)} indicators")
    assert node_links(first["indicators-pages"]) == ["/indicators?outcome=S1&page=2"] * 2
    second = nodes_by_id(page_json(large, "/indicators", "?outcome=S1&page=2"))
    assert node_links(second["indicators-pages"]) == ["/indicators?outcome=S1"] * 2
    assert set(_listed(first)) | set(_listed(second)) == in_s1
    assert not set(_listed(first)) & set(_listed(second))
    # Leaving the outcome (a changed filter) starts again at page 1.
    assert node_links(second["outcome-show-every"]) == ["/indicators"]


def test_each_outcome_of_a_long_list_links_to_its_own_list_from_page_1(large, db):
    found = nodes_by_id(page_json(large, "/indicators", "?page=2"))
    links = {key: node_links(node) for key, node in found.items() if key.startswith("outcome-all-")}
    assert links["outcome-all-S1"] == ["/indicators?outcome=S1"]
    assert links and all(len(v) == 1 and "page=" not in v[0] for v in links.values())
    assert node_text(found["outcome-all-S1"]) == f"Only the {len(_codes(db, 'S1'))} indicators of S1 Reducing drug use"


@pytest.mark.parametrize(("search", "expected"), [
    ("?page=abc", "Showing 1–"), ("?page=-1", "Showing 1–"), ("?page=0", "Showing 1–"), ("?page=1e9", "Showing 1–"),
    ("?page=2&page=x", f"Showing {PAGE + 1}–"), ("?page=99999", f"Showing {PAGE + 1}–"),
    ("?outcome=nonsense&page=2", f"Showing {PAGE + 1}–"),  # an unknown outcome: every outcome
])
def test_a_page_number_that_is_no_page_shows_a_page_that_is(large, search, expected):
    found = nodes_by_id(page_json(large, "/indicators", search))
    assert node_text(found["indicators-pages-status"]).startswith(expected)
    assert _listed(found)


def test_after_an_upload_the_list_redraws_the_same_page_of_the_same_outcome(large):
    reply = call_callback(large, ("indicators-refresh", "data", 1),
                          {("indicators-outcome", "data"): "S1", ("indicators-page", "data"): 2},
                          output_contains="indicators-content")
    assert reply.status == 200
    found = nodes_by_id(reply.json)
    assert node_text(found["indicators-pages-status"]).startswith(f"Showing {PAGE + 1}–")
    assert node_links(found["indicators-pages"]) == ["/indicators?outcome=S1"] * 2


def test_the_statuses_read_for_counting_agree_with_the_full_summaries_in_order_and_status(large, db):
    """Counts and choices (the board report's, the list's) come from indicator_statuses and the full
    summaries are read only for the indicators shown: both must place and judge each one alike."""
    from tracker.services import indicators

    with Session(db) as s:
        pid = s.exec(select(Partnership.id).order_by(Partnership.id)).first()
        full = indicators.list_indicators(s, pid)
        light = indicators.indicator_statuses(s, pid)
        assert len(full) == len(light) > PAGE
        assert [(r.id, r.code, r.status, r.outcome, r.objective_id) for r in full] == \
            [(r.id, r.code, r.status, r.outcome, r.objective_id) for r in light]
        assert len({r.status for r in light}) > 1
        some = [light[0].id, light[-1].id, light[0].id]
        assert set(indicators.summaries_by_id(s, pid, some)) == set(some)
        assert indicators.summaries_by_id(s, pid, []) == {}
