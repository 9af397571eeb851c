"""Search: matches on refs, titles and names, within the searcher's own partnership only."""

from __future__ import annotations

from tracker.services.search import search


def test_search_finds_actions_subgroups_people_indicators_and_risks(session, partnership):
    result = search(session, partnership.id, "treatment")
    kinds = {h.kind for h in result.hits}
    assert {"action", "subgroup", "indicator"} <= kinds
    assert any(h.label.startswith("TR-") and h.path.startswith("/action/") for h in result.of("action"))
    assert search(session, partnership.id, "TR-01").of("action")[0].label.startswith("TR-01:")
    assert search(session, partnership.id, "ssmtrg").of("risk")[0].label.startswith("R-01")
    assert search(session, partnership.id, "Castle").of("person")[0].label == "Dr Fiona Castle"


def test_a_short_or_empty_query_asks_for_more_and_wildcards_are_literal(session, partnership):
    assert search(session, partnership.id, " t ").message == "Type at least 2 characters to search."
    assert search(session, partnership.id, None).hits == []
    assert search(session, partnership.id, "%%").hits == []  # not "everything"
    assert search(session, partnership.id, "zzqx").message == "Nothing matches “zzqx”."


def test_search_never_shows_another_partnership(session, partnership):
    assert search(session, partnership.id + 1, "treatment").hits == []
