"""What changed between two boards (a pure comparison of the two boards' action rows), and the
comparison of two packs' figures."""

from __future__ import annotations

from tracker.services.board.changes import compare_actions, compare_figures, deteriorated_ids

SEVERITY = {"green": 1, "amber": 2, "red": 3, "blue": None, "grey": None}


def row(id_, rag="green", status="in_progress", due="2027-03-31", overdue=False, title="An action"):
    return {"id": id_, "ref": f"TR-{id_:02d}", "title": title, "subgroup": "TR", "rag": rag, "status": status,
            "due_date": due, "overdue": overdue}


def refs(result, kind):
    return [i["ref"] for i in result[kind]]


def test_every_kind_of_change_is_found():
    before = [row(1), row(2, "red"), row(3), row(4, "amber"), row(5), row(6), row(7, title="Old name")]
    after = [row(1, "red"), row(2, "amber"), row(3, "blue", "complete"), row(4, "amber", overdue=True),
             row(5, status="cancelled"), row(6, due="2027-06-30"), row(7, title="New name"), row(8, "red")]
    result = compare_actions(before, after, SEVERITY)
    assert refs(result, "new_red") == ["TR-01", "TR-08"]
    assert refs(result, "rag_down") == ["TR-01"]
    assert refs(result, "rag_up") == ["TR-02"]
    assert refs(result, "completed") == ["TR-03"]
    assert refs(result, "newly_overdue") == ["TR-04"]
    assert refs(result, "cancelled") == ["TR-05"]
    assert refs(result, "due_moved") == ["TR-06"] and result["due_moved"][0]["from"] == "2027-03-31"
    assert refs(result, "new") == ["TR-08"]
    # A renamed action is the same action: matched by id, no change listed for it.
    assert all("TR-07" not in refs(result, k) for k in result)
    assert deteriorated_ids(before, after, SEVERITY) == {1}


def test_compare_figures_gives_the_change():
    def report(actions, red, theme_total):
        return {"rag_scale": [{"code": "red", "label": "Red"}],
                "totals": {"actions": actions, "red": red, "overdue": 0, "deteriorated": 0, "due_update": 0,
                           "exceptions": red, "by_rag": {"red": red}},
                "by_theme": [{"name": "1. Supply", "total": theme_total}], "by_subgroup": [],
                "indicators": [{"code": "X", "latest": 10.0}]}

    rows = compare_figures(report(45, 4, 5), report(47, 2, 6))
    got = {(r["section"], r["name"]): r["change"] for r in rows}
    assert got[("Totals", "Actions")] == 2 and got[("Totals", "Red")] == -2
    assert got[("By RAG", "Red")] == -2 and got[("By theme", "1. Supply")] == 1
    assert got[("Indicators (latest value)", "X")] == 0
