"""Filters in the address (tracker.web.components.url_filters): a page's filters and the plan grid's
column filters, one condition or two joined, go into the query string and come back the same; a
query string the tracker never wrote (hand-edited, truncated, hostile) reads as fewer filters, never
as an error."""

from __future__ import annotations

import pytest

from tracker.web.components import url_filters
from tracker.web.components.plan_grid import NUMBER_FIELDS, filter_fields

FIELDS = filter_fields()
DATES = {"due", "original_due", "last_update"}


def round_trip(model: dict) -> dict:
    query = url_filters.grid_filters_to_query(model, NUMBER_FIELDS, FIELDS, DATES)
    return url_filters.grid_filters_from_search(url_filters.to_search(query), NUMBER_FIELDS, FIELDS, DATES)


def text(kind: str, value: str) -> dict:
    return {"filterType": "text", "type": kind, "filter": value}


# --- A page's own filters -------------------------------------------------------------------------


def test_a_pages_filters_go_into_the_address_and_come_back():
    search = url_filters.to_search({"theme": 2, "subgroup": None, "owner": "", "q": "a&b=c"})
    assert search == "?theme=2&q=a%26b%3Dc"
    assert url_filters.from_search(search, ["theme", "subgroup", "q"]) == {"theme": "2", "subgroup": "", "q": "a&b=c"}
    assert url_filters.to_search({}) == ""


def test_a_name_given_twice_keeps_both_values_in_order():
    # Dash's pages hand a layout a repeated name as a list: the address is written back as it was.
    assert url_filters.to_search({"title": ["a", "and:contains:b"]}) == "?title=a&title=and%3Acontains%3Ab"


@pytest.mark.parametrize("search", [
    None, "", "?", "?&&&", "?theme", "?=2", "?theme=%zz", "?theme=%ff%fe", "theme=2&" * 60, "?" + "x" * 10_000,
    ["?theme=2"], {"theme": 2}, 12,
])
def test_a_malformed_address_reads_as_no_filter_or_as_what_it_says(search):
    found = url_filters.from_search(search, ["theme", "owner"])
    assert set(found) == {"theme", "owner"}
    assert all(isinstance(v, str) and len(v) <= url_filters.MAX_VALUE for v in found.values())
    assert found["owner"] == ""


def test_too_many_fields_read_as_no_filters_at_all():
    assert url_filters.from_search("?theme=2&" + "x=1&" * 60, ["theme"]) == {"theme": ""}


# --- The grid's column filters: one condition -------------------------------------------------------


@pytest.mark.parametrize(("model", "search"), [
    ({"rag": text("contains", "Red")}, "?rag=Red"),
    ({"ref_link": text("startsWith", "TR")}, "?ref=startsWith%3ATR"),
    ({"owner": {"filterType": "text", "type": "blank"}}, "?owner=blank%3A"),
    ({"title": text("contains", "note: urgent")}, "?title=contains%3Anote%3A+urgent"),
    ({"progress": {"filterType": "number", "type": "lessThan", "filter": 50}}, "?progress=lessThan%3A50"),
    ({"days_slipped": {"filterType": "number", "type": "inRange", "filter": -5, "filterTo": 2.5}},
     "?days_slipped=inRange%3A-5..2.5"),
    ({"due": {"filterType": "date", "type": "inRange", "dateFrom": "2026-01-01 00:00:00",
              "dateTo": "2026-03-31 00:00:00"}}, "?due=inRange%3A2026-01-01..2026-03-31"),
])
def test_one_condition_is_written_short_and_read_back(model, search):
    query = url_filters.grid_filters_to_query(model, NUMBER_FIELDS, FIELDS, DATES)
    assert url_filters.to_search(query) == search
    back = url_filters.grid_filters_from_search(search, NUMBER_FIELDS, FIELDS, DATES)
    assert url_filters.grid_filters_to_query(back, NUMBER_FIELDS, FIELDS, DATES) == query
    assert set(back) == set(model)


def test_a_contains_text_that_looks_like_a_type_stays_text():
    model = {"title": text("contains", "equals:5")}
    assert round_trip(model) == model


# --- Two joined conditions ----------------------------------------------------------------------------


def joined(kind: str, operator: str, *conditions: dict) -> dict:
    return {"filterType": kind, "operator": operator, "conditions": list(conditions)}


@pytest.mark.parametrize("model", [
    {"title": joined("text", "AND", text("contains", "naloxone"), text("contains", "hostel"))},
    {"title": joined("text", "OR", text("startsWith", "Naloxone"), text("endsWith", "or: not"))},
    {"progress": joined("number", "OR", {"filterType": "number", "type": "lessThan", "filter": 10},
                        {"filterType": "number", "type": "blank"})},
    {"due": joined("date", "AND", {"filterType": "date", "type": "greaterThan", "dateFrom": "2026-01-01 00:00:00",
                                   "dateTo": None},
                   {"filterType": "date", "type": "lessThan", "dateFrom": "2026-06-30 00:00:00", "dateTo": None})},
])
def test_two_joined_conditions_survive_the_address(model):
    query = url_filters.grid_filters_to_query(model, NUMBER_FIELDS, FIELDS, DATES)
    assert all(isinstance(v, list) and len(v) == 2 for v in query.values())
    assert round_trip(model) == model


def test_two_conditions_read_as_the_address_says_them():
    search = "?title=naloxone&title=and:contains:hostel&rag=Red"
    model = url_filters.grid_filters_from_search(search, NUMBER_FIELDS, FIELDS)
    assert model == {"title": joined("text", "AND", text("contains", "naloxone"), text("contains", "hostel")),
                     "rag": text("contains", "Red")}
    # Written by hand without the join: both must hold.
    assert url_filters.grid_filters_from_search("?title=a&title=b", NUMBER_FIELDS, FIELDS)["title"]["operator"] == "AND"


def test_old_style_joined_conditions_are_kept_too():
    old = {"title": {"filterType": "text", "operator": "OR", "condition1": text("contains", "a"),
                     "condition2": text("contains", "b")}}
    assert url_filters.grid_filters_to_query(old, NUMBER_FIELDS, FIELDS) == {"title": ["a", "or:b"]}


# --- What cannot be read leaves the column unfiltered ---------------------------------------------------


@pytest.mark.parametrize("search", [
    "?progress=lessThan:fifty",
    "?progress=inRange:5..",
    "?progress=1e400",
    "?progress=nan",
    "?progress=greaterThan:1&progress=or:lessThan:many",
    "?title=a&title=b&title=c",
    "?title=a&title=and:",
    "?due=inRange:2026-02-30..2026-03-01",
    "?due=yesterday",
    "?title=" + "%" * 300,
])
def test_an_unreadable_column_filter_is_left_out(search):
    model = url_filters.grid_filters_from_search(search, NUMBER_FIELDS, FIELDS, DATES)
    assert not {"progress", "due"} & set(model)
    assert "title" not in model or model["title"]["type"] == "contains"


def test_unreadable_conditions_from_the_grid_are_not_written():
    model = {
        "title": joined("text", "XOR", text("contains", "a"), text("contains", "b")),
        "rag": joined("text", "AND", text("contains", "a"), text("sounds-like", "b")),
        "owner": joined("text", "AND", *[text("contains", str(n)) for n in range(3)]),
        "progress": {"filterType": "number", "type": "lessThan", "filter": "lots"},
        "days_slipped": {"filterType": "text", "type": "contains", "filter": "5"},  # not this column's filter
        "status": text("contains", ""),
        "objective": "Red",
        "due": {"filterType": "date", "type": "equals", "dateFrom": 20260101},
    }
    assert url_filters.grid_filters_to_query(model, NUMBER_FIELDS, FIELDS, DATES) == {}
    for junk in (None, [], "x", 5, {"title": None}):
        assert url_filters.grid_filters_to_query(junk, NUMBER_FIELDS, FIELDS) == {}
