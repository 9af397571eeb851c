"""The board report laid out as a list of blocks (headings, paragraphs, tables) that the Word and
PDF files render the same way, so both carry the same sections, rows and figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.formatting import long_date, short_date, short_date_time
from tracker.services.board.report import SECTIONS
from tracker.services.indicators import format_number


@dataclass
class Block:
    kind: str  # "title", "heading", "subheading", "para", "note", "table"
    text: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # relative column widths of a table
    # A page of the tracker the text points to (e.g. "/"), and the words of the text that name it: the
    # print page makes those words a link; the Word and PDF files carry the words alone.
    link: str = ""
    link_words: str = ""


def _d(value: str | None) -> str:
    return short_date(date.fromisoformat(value)) if value else "—"


def _rag(report: dict, code: str | None) -> str:
    """A RAG as its word (and symbol): never colour alone."""
    for r in report["rag_scale"]:
        if r["code"] == code:
            return f"{r['label']} {r['symbol']}".strip()
    return code or "—"


def _num(value) -> str:
    return format_number(value) if value is not None else "—"


OVERVIEW_WORDS = "the Exceptions list on the tracker's Overview page"
INDICATORS_WORDS = "the tracker's Indicators page"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def more_line(report: dict, key: str) -> Block | None:
    """The line after a list cut at report.LISTED_AT_MOST: how many more, and where the tracker lists
    them all. None when nothing was left out (or the pack was published before lists were cut)."""
    left = report.get(f"{key}_unlisted") or {}
    n = left.get("count", 0)
    if not n:
        return None
    if key == "indicators":
        statuses = ", ".join(f"{x['count']:,} {x['label'].lower()}" for x in left.get("by_status", []))
        return Block("para", f"…and {_plural(n, 'more indicator', 'more indicators')}"
                             + (f" ({statuses})" if statuses else "")
                             + f": see {INDICATORS_WORDS}, which lists every one with its status.",
                     link="/indicators", link_words=INDICATORS_WORDS)
    if key == "decisions":
        text = (f"…and {_plural(n, 'more red action', 'more red actions')} asking the board for help or a "
                f"decision: see the red actions at the top of {OVERVIEW_WORDS}, and each action's page "
                "for its latest update.")
    else:
        kinds = [f"{left[k]:,} {word}" for k, word in (("red", "red"), ("overdue", "overdue"),
                 ("deteriorating", "deteriorating"), ("not_updated", "not updated")) if left.get(k)]
        text = (f"…and {_plural(n, 'more exception action', 'more exception actions')}"
                + (f" ({', '.join(kinds)})" if kinds else "")
                + f": see {OVERVIEW_WORDS}, worst first.")
    return Block("para", text, link="/", link_words=OVERVIEW_WORDS)


def footer_text(report: dict) -> str:
    return f"{report['partnership']['name']} · board of {report['meeting']['date_text']}"


def blocks(report: dict) -> list[Block]:
    out: list[Block] = []
    add = out.append
    meeting, totals = report["meeting"], report["totals"]
    add(Block("title", f"Board report: {report['partnership']['name']}"))
    add(Block("para", f"{meeting['title']}, {meeting['date_text']}" + (f", {meeting['location']}" if meeting["location"] else "")))
    add(Block("para", f"Figures as at {report['as_at_text']}. Reporting period: {report['period']['text']}."))
    prev = report["previous_board"]
    add(Block("para", f"Compared with the published report of the board of {prev['date_text']}." if prev
              else "No earlier board report has been published, so there is nothing to compare with."))
    if meeting.get("illustrative"):
        add(Block("note", "This meeting date is illustrative example data."))

    add(Block("heading", SECTIONS["summary"]))
    add(Block("para", f"{totals['actions']} actions (cancelled actions are not counted): {totals['words']}. "
                      f"{totals['red']} red, {totals['overdue']} overdue, {totals['deteriorated']} deteriorating, "
                      f"{totals['due_update']} not updated this period."))
    for key, label in (("by_theme", "Theme"), ("by_subgroup", "Subgroup")):
        add(Block("table", headers=[label, "Actions", "RAG"], widths=[5, 1.2, 4],
                  rows=[[g["name"], str(g["total"]), g["words"]] for g in report[key]]))

    add(Block("heading", SECTIONS["objectives"]))
    add(Block("table", headers=["Objective", "Actions", "Mean progress", "RAG"], widths=[5, 1.2, 1.5, 3.3],
              rows=[[o["objective"], str(o["actions"]), f"{o['mean_progress']:g}%", o["words"]]
                    for o in report["by_objective"]]))

    add(Block("heading", SECTIONS["exceptions"]))
    if not report["exceptions"]:
        add(Block("para", "No action is red, overdue, deteriorating or without an update this period."))
    more = more_line(report, "exceptions")
    if more:
        add(Block("para", f"{totals['exceptions']:,} actions are exceptions. The {len(report['exceptions'])} "
                          "most serious are listed: red first, then those with the most reasons, then the "
                          "earliest due."))
    for e in report["exceptions"]:
        add(Block("subheading", f"{e['ref']} {e['title']} — {_rag(report, e['rag'])}"))
        add(Block("para", f"Why it is listed: {', '.join(e['reasons'])}. Subgroup: {e['subgroup']}. "
                          f"Owner: {e['owner'] or 'none named'}. Due: {_d(e['due_date'])}. Progress: {e['progress']}%. "
                          f"Last update: {_d(e['last_update'])}."))
        for key, label in (("narrative", "Narrative"), ("next_steps", "Next steps"), ("blockers", "Blockers")):
            if e[key]:
                add(Block("para", f"{label}: {e[key]}"))
    if more:
        add(more)

    add(Block("heading", SECTIONS["decisions"]))
    if report["decisions"]:
        add(Block("table", headers=["Action", "Subgroup", "Owner", "What the board is asked for"], widths=[2.5, 2.2, 1.6, 4.5],
                  rows=[[f"{d['ref']} {d['title']}", d["subgroup"], d["owner"], d["ask"]] for d in report["decisions"]]))
        if more := more_line(report, "decisions"):
            add(more)
    else:
        add(Block("para", "No red action asks the board for a decision."))

    add(Block("heading", SECTIONS["changes"]))
    changes = report["changes"]
    if not changes["compared_with"]:
        add(Block("para", "No earlier board report has been published: changes are listed from the next board on."))
    else:
        for kind, label in changes["kinds"].items():
            items = changes["items"][kind]
            add(Block("subheading", f"{label}: {len(items)}"))
            if items:
                def show(v, k=kind):
                    return _d(v) if k in ("due_moved", "newly_overdue") else (_rag(report, v) if k != "cancelled" else str(v))
                add(Block("table", headers=["Action", "Subgroup", "Before", "Now"], widths=[4, 3, 1.6, 1.6],
                          rows=[[f"{i['ref']} {i['title']}", i["subgroup"],
                                 "—" if i["from"] is None else show(i["from"]), show(i["to"])] for i in items]))

    add(Block("heading", SECTIONS["slippage"]))
    slipped = report.get("slippage")  # a pack published before slippage was reported has none
    if slipped:
        add(Block("para", f"{len(slipped)} action{'s are' if len(slipped) != 1 else ' is'} due later than "
                          "first planned, the most slipped first."))
        add(Block("table", headers=["Action", "Subgroup", "Original due", "Due now", "Slipped", "Latest reason"],
                  widths=[3.4, 2.2, 1.4, 1.4, 1.3, 3],
                  rows=[[f"{r['ref']} {r['title']}", r["subgroup"], _d(r["original_due_date"]), _d(r["due_date"]),
                         f"+{r['days_slipped']} days", r["reason"] or "—"] for r in slipped]))
    elif slipped is None:
        add(Block("para", "This report was published before slippage against original due dates was reported."))
    else:
        add(Block("para", "No action is due later than its original due date."))

    add(Block("heading", SECTIONS["late_changes"]))
    if report["late_changes"]:
        add(Block("table", headers=["When", "Who", "What", "Reason"], widths=[1.6, 1.8, 4, 3],
                  rows=[[short_date_time(datetime.fromisoformat(c["at"])), c["actor"], c["summary"], c["reason"]] for c in report["late_changes"]]))
    else:
        add(Block("para", "Nothing in a locked period was changed after its board."))

    add(Block("heading", SECTIONS["risks"]))
    risks = report.get("risks")  # a pack published before risks were reported has none
    if risks:
        add(Block("table", headers=["Risk", "Owner", "Inherent", "Residual", "Review", "Mitigation"],
                  widths=[3, 1.8, 1.3, 2.6, 1.5, 3.5],
                  rows=[[f"{r['ref']} {r['title']}", r["owner"], r["inherent"], r["residual"],
                         _d(r["review_date"]) + (" (overdue)" if r["review_overdue"] else ""), r["mitigation"]]
                        for r in risks]))
    elif risks is None:
        add(Block("para", "This report was published before risks were reported."))
    else:
        add(Block("para", "No open risks are recorded."))

    add(Block("heading", SECTIONS["maturity"]))
    mat = report["maturity"]
    if mat["rows"]:
        dims = mat["dimensions"]
        add(Block("para", "Latest agreed scores, 1 (not yet in place) to 5 (exemplary). Columns: "
                          + "; ".join(f"{n + 1} {d['name']}" for n, d in enumerate(dims)) + "."))
        add(Block("table", headers=["Subgroup", "As at", *[str(n + 1) for n in range(len(dims))], "Mean"],
                  widths=[3.2, 1.5, *[0.6] * len(dims), 0.9],
                  rows=[[r["subgroup"], _d(r["as_at"]), *[_num(r["scores"].get(d["key"])) for d in dims], _num(r["mean"])]
                        for r in mat["rows"]]))
    else:
        add(Block("para", "No subgroup has an agreed maturity assessment yet."))

    add(Block("heading", SECTIONS["indicators"]))
    if report["indicators"]:
        add(Block("table", headers=["Indicator", "Baseline", "Latest", "Target", "Status"], widths=[4.2, 1.7, 1.7, 1.7, 1.4],
                  rows=[[f"{i['name']}" + (f" ({i['unit']})" if i["unit"] else ""),
                         f"{_num(i['baseline'])} ({i['baseline_period']})" if i["baseline"] is not None else "—",
                         f"{_num(i['latest'])} ({i['latest_period']})" if i["latest"] is not None else "—",
                         f"{_num(i['target'])} by {_d(i['target_date'])}" if i["target"] is not None else "—",
                         f"{i['status_label']} {i['symbol']}".strip()] for i in report["indicators"]]))
        if more := more_line(report, "indicators"):
            add(Block("para", f"The {len(report['indicators'])} listed are the national measures and the local "
                              "indicators that most need attention (off track first)."))
            add(more)
    else:
        add(Block("para", "No indicators are set up."))
    return out


__all__ = ["Block", "blocks", "footer_text", "long_date"]
