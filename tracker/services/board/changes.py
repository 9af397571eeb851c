"""What changed between two boards, from the action rows of the previous meeting's published pack.

Pure functions of two lists of action snapshots (the `actions` list every board report carries), so
"what changed since the last board" compares with what that board saw, not with today's history.
"""

from __future__ import annotations

from typing import Any

CHANGE_KINDS = {
    "new_red": "New reds",
    "rag_down": "RAG worse",
    "rag_up": "RAG better",
    "newly_overdue": "Newly overdue",
    "completed": "Completed",
    "new": "New actions",
    "cancelled": "Cancelled",
    "due_moved": "Due dates moved",
}


def _item(now: dict, before_value: Any = None, after_value: Any = None) -> dict:
    return {"id": now["id"], "ref": now["ref"], "title": now["title"], "subgroup": now["subgroup"],
            "from": before_value, "to": after_value}


def compare_actions(previous: list[dict], current: list[dict], severity: dict[str, int | None]) -> dict[str, list[dict]]:
    """Each kind of change (CHANGE_KINDS) with the actions it concerns. Actions are matched by id, so
    a renamed action is the same action; `severity` ranks the RAG codes (higher is worse)."""
    before = {a["id"]: a for a in previous}
    result: dict[str, list[dict]] = {kind: [] for kind in CHANGE_KINDS}
    for now in current:
        was = before.get(now["id"])
        if was is None:
            result["new"].append(_item(now, None, now["rag"]))
            if now["rag"] == "red":
                result["new_red"].append(_item(now, None, "red"))
            continue
        if now["status"] == "cancelled" and was["status"] != "cancelled":
            result["cancelled"].append(_item(now, was["status"], now["status"]))
            continue
        if now["status"] == "complete" and was["status"] != "complete":
            result["completed"].append(_item(now, was["rag"], now["rag"]))
        if now["rag"] == "red" and was["rag"] != "red":
            result["new_red"].append(_item(now, was["rag"], "red"))
        s_now, s_was = severity.get(now["rag"]), severity.get(was["rag"])
        if s_now is not None and s_was is not None and s_now != s_was:
            result["rag_down" if s_now > s_was else "rag_up"].append(_item(now, was["rag"], now["rag"]))
        if now["overdue"] and not was["overdue"]:
            result["newly_overdue"].append(_item(now, was["due_date"], now["due_date"]))
        if now["due_date"] != was["due_date"]:
            result["due_moved"].append(_item(now, was["due_date"], now["due_date"]))
    return result


def deteriorated_ids(previous: list[dict], current: list[dict], severity: dict[str, int | None]) -> set[int]:
    """Open actions whose RAG is worse now than at the previous board."""
    before = {a["id"]: a["rag"] for a in previous}
    worse = set()
    for now in current:
        s_now, s_was = severity.get(now["rag"]), severity.get(before.get(now["id"], ""))
        if now["status"] in ("not_started", "in_progress") and s_now is not None and s_was is not None and s_now > s_was:
            worse.add(now["id"])
    return worse


def compare_figures(first: dict, second: dict) -> list[dict]:
    """The figures of two board reports side by side: totals, by RAG, by theme and by subgroup,
    with the difference (second minus first). Used to compare any two published packs."""
    rows: list[dict] = []

    def add(section: str, name: str, a: int | float | None, b: int | float | None) -> None:
        diff = None if a is None or b is None else round(b - a, 1)
        rows.append({"section": section, "name": name, "first": a, "second": b, "change": diff})

    labels = {r["code"]: r["label"] for r in second.get("rag_scale", []) + first.get("rag_scale", [])}
    t1, t2 = first["totals"], second["totals"]
    for key, name in (("actions", "Actions"), ("red", "Red"), ("overdue", "Overdue"),
                      ("deteriorated", "Deteriorating"), ("due_update", "Not updated this period"),
                      ("exceptions", "Exceptions")):
        add("Totals", name, t1.get(key), t2.get(key))
    for code in dict.fromkeys([*t1["by_rag"], *t2["by_rag"]]):
        add("By RAG", labels.get(code, code), t1["by_rag"].get(code, 0), t2["by_rag"].get(code, 0))
    for section in ("by_theme", "by_subgroup"):
        title = "By theme" if section == "by_theme" else "By subgroup"
        a = {r["name"]: r["total"] for r in first[section]}
        b = {r["name"]: r["total"] for r in second[section]}
        for name in dict.fromkeys([*a, *b]):
            add(title, name, a.get(name), b.get(name))
    a = {r["code"]: r["latest"] for r in first.get("indicators", [])}
    b = {r["code"]: r["latest"] for r in second.get("indicators", [])}
    for code in dict.fromkeys([*a, *b]):
        add("Indicators (latest value)", code, a.get(code), b.get(code))
    return rows
