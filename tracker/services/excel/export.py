"""The plan exported as a workbook (anyone signed in): Plan, Updates, Summary and RAG key sheets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlmodel import Session, select

from tracker.formatting import short_date, status_label
from tracker.models import Action, Partnership, Person, StatusUpdate, Subgroup, Theme
from tracker.services import plan, reference
from tracker.services.errors import PermissionDenied
from tracker.services.excel.columns import HEADINGS, PLAN_COLUMNS, ExcelFile
from tracker.services.excel.sheets import (
    HEADER_FILL,
    HEADER_FONT,
    header,
    landscape,
    put,
    rag_cell,
    save_workbook,
)


def _signed_in(actor: Person | None) -> Person:
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to export the plan.")
    return actor


# --- Export ----------------------------------------------------------------------------------


def export_filename(partnership: Partnership, today: date) -> str:
    return f"{partnership.slug}-delivery-plan-{today.isoformat()}.xlsx"


CANCELLED_LEFT_OUT = "Cancelled actions are left out, as on the overview."


def filter_words(session: Session, partnership_id: int, plan_filter: plan.PlanFilter | None) -> str:
    """What the workbook holds, in words, for the top of the Summary sheet: the Plan sheet's filter, and
    that the Summary's figures (the overview's) leave cancelled actions out."""
    if plan_filter is None:
        return ("The Plan and Updates sheets have every action, cancelled ones included. The figures below "
                "are the overview's: cancelled actions are left out.")
    parts = []
    if plan_filter.theme_id is not None:
        theme = session.get(Theme, plan_filter.theme_id)
        ok = theme is not None and theme.partnership_id == partnership_id
        parts.append(f"theme {theme.number}. {theme.name}" if ok else "an unknown theme")
    if plan_filter.subgroup_id is not None:
        subgroup = session.get(Subgroup, plan_filter.subgroup_id)
        ok = subgroup is not None and subgroup.partnership_id == partnership_id
        parts.append(f"subgroup {subgroup.name}" if ok else "an unknown subgroup")
    if plan_filter.owner_id is not None:
        owner = session.get(Person, plan_filter.owner_id)
        ok = owner is not None and owner.partnership_id == partnership_id
        parts.append(f"owner {owner.name}" if ok else "an unknown owner")
    kept = ("Filtered to " + "; ".join(parts) + ".") if parts else "All actions."
    if plan_filter.include_cancelled:
        return (f"{kept} The Plan sheet includes cancelled actions; the figures below leave them out, as the "
                "overview does.")
    return f"{kept} {CANCELLED_LEFT_OUT}"


def summary_filter(plan_filter: plan.PlanFilter | None) -> plan.PlanFilter:
    """The overview's filter for the Summary sheet: the same theme, subgroup and owner, never a cancelled action."""
    return replace(plan_filter or plan.PlanFilter(), include_cancelled=False)


def export_plan(session: Session, actor: Person | None, today: date,
                plan_filter: plan.PlanFilter | None = None) -> ExcelFile:
    """The plan as a workbook (anyone signed in). Without a filter the Plan and Updates sheets have every
    action, cancelled included; the Summary sheet has the overview's figures for the same filter, from the
    overview's own service (plan.overview), so the two always agree."""
    actor = _signed_in(actor)
    pid = actor.partnership_id
    partnership = reference.get_partnership(session, pid)
    scale = reference.rag_scale(session, pid)
    by_code = {r.code: r for r in scale}
    rows = plan.plan_rows(session, pid, today, plan_filter)
    latest = latest_updates(session, pid)
    actions_by_id = {a.id: a for a in session.exec(select(Action).where(Action.partnership_id == pid))}

    wb = Workbook()
    wb.properties.title = f"{partnership.name}: delivery plan"
    wb.properties.creator = "CDP Delivery Tracker"
    ws = wb.active
    ws.title = "Plan"
    _write_plan_sheet(ws, rows, actions_by_id, latest, by_code)
    _write_updates_sheet(wb.create_sheet("Updates"), session, rows, by_code)
    overview = plan.overview(session, pid, today, summary_filter(plan_filter))
    _write_summary_sheet(wb.create_sheet("Summary"), partnership, overview, scale, today,
                         filter_words(session, pid, plan_filter))
    _write_rag_key_sheet(wb.create_sheet("RAG key"), partnership, scale)
    return ExcelFile(export_filename(partnership, today), save_workbook(wb))


def _write_plan_sheet(ws, rows: list[plan.ActionRow], actions_by_id: dict[int, Action],
                      latest: dict[int, StatusUpdate], by_code: dict[str, reference.Rag]) -> None:
    header(ws, 1, HEADINGS, [c.width for c in PLAN_COLUMNS])
    wrap = {"theme", "objective", "subgroup", "title", "description", "narrative", "next_steps", "blockers",
            "exceptions", "lead_organisation"}
    for r, row in enumerate(rows, start=2):
        action = actions_by_id[row.id]
        update = latest.get(row.id)
        values = {
            "ref": row.ref, "theme": row.theme, "objective": row.objective, "subgroup": row.subgroup,
            "title": action.title, "description": action.description, "owner": row.owner,
            "lead_organisation": action.lead_organisation, "start_date": action.start_date,
            "due_date": action.due_date, "status": status_label(action.status), "progress": row.progress,
            "update_date": row.last_update, "narrative": update.narrative if update else "",
            "next_steps": update.next_steps if update else "", "blockers": update.blockers if update else "",
            "exceptions": ", ".join(row.exceptions),
        }
        for c, column in enumerate(PLAN_COLUMNS, start=1):
            if column.key == "rag":
                rag_cell(ws, r, c, by_code.get(row.rag))
            else:
                put(ws, r, c, values[column.key], wrap=column.key in wrap)
    ws.freeze_panes = "B2"  # the headings and the refs stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(PLAN_COLUMNS))}{max(len(rows) + 1, 2)}"
    landscape(ws, "1:1")


def _write_updates_sheet(ws, session: Session, rows: list[plan.ActionRow],
                         by_code: dict[str, reference.Rag]) -> None:
    headings = ["Ref", "Action", "Subgroup", "Update date", "RAG", "Progress %", "Narrative", "Next steps",
                "Blockers", "Author"]
    header(ws, 1, headings, [10, 40, 28, 12, 12, 11, 55, 40, 35, 24])
    by_id = {row.id: row for row in rows}
    updates = session.exec(
        select(StatusUpdate, Person)
        .join(Person, Person.id == StatusUpdate.author_id, isouter=True)
        .where(StatusUpdate.action_id.in_(list(by_id) or [-1]))
        .order_by(StatusUpdate.update_date, StatusUpdate.id)
    ).all()
    ordered = sorted(updates, key=lambda pair: (by_id[pair[0].action_id].ref, pair[0].update_date, pair[0].id))
    for r, (update, author) in enumerate(ordered, start=2):
        row = by_id[update.action_id]
        values = [row.ref, row.title, row.subgroup, update.update_date, None, update.progress, update.narrative,
                  update.next_steps, update.blockers, author.name if author else "Unknown"]
        for c, value in enumerate(values, start=1):
            if c == 5:
                rag_cell(ws, r, c, by_code.get(update.rag))
            else:
                put(ws, r, c, value, wrap=c in (2, 3, 7, 8, 9))
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{max(len(ordered) + 1, 2)}"
    landscape(ws, "1:1")


def _count_table(ws, top: int, title: str, first_heading: str, groups: dict, scale: list[reference.Rag]) -> int:
    """A table of counts by RAG (one row per group, a total row); returns the next free row."""
    ws.cell(row=top, column=1, value=title).font = Font(bold=True, size=12)
    put(ws, top + 1, 1, first_heading).font = Font(bold=True)
    for c, rag in enumerate(scale, start=2):
        rag_cell(ws, top + 1, c, rag)
    put(ws, top + 1, len(scale) + 2, "Total").font = Font(bold=True)
    r = top + 2
    for name, counts in groups.items():
        put(ws, r, 1, name, wrap=True)
        for c, rag in enumerate(scale, start=2):
            put(ws, r, c, counts.get(rag.code, 0))
        put(ws, r, len(scale) + 2, sum(counts.values()))
        r += 1
    put(ws, r, 1, "Total").font = Font(bold=True)
    for c, rag in enumerate(scale, start=2):
        put(ws, r, c, sum(counts.get(rag.code, 0) for counts in groups.values())).font = Font(bold=True)
    put(ws, r, len(scale) + 2, sum(sum(counts.values()) for counts in groups.values())).font = Font(bold=True)
    return r + 2


def _write_summary_sheet(ws, partnership: Partnership, summary: plan.Overview, scale: list[reference.Rag],
                         today: date, filtered: str) -> None:
    by_code = {r.code: r for r in scale}
    ws.cell(row=1, column=1, value=f"{partnership.name}: delivery plan summary").font = Font(bold=True, size=14)
    put(ws, 2, 1, f"As at {short_date(today)}. {filtered}")
    figures = [
        ("Actions", summary.total), ("Red", summary.red), ("Overdue", summary.overdue),
        (f"Not updated in the last {partnership.stale_after_days} days", summary.stale),
        ("Deteriorating since the previous update", summary.deteriorated),
    ]
    for i, (label, value) in enumerate(figures, start=4):
        put(ws, i, 1, label)
        put(ws, i, 2, value).font = Font(bold=True)
    r = _count_table(ws, 4 + len(figures) + 1, "RAG by theme", "Theme", summary.by_theme, scale)
    r = _count_table(ws, r, "RAG by subgroup", "Subgroup", summary.by_subgroup, scale)
    ws.cell(row=r, column=1, value=f"Exceptions ({len(summary.exceptions)})").font = Font(bold=True, size=12)
    headings = ["Ref", "Title", "Subgroup", "Owner", "Due", "RAG", "Why"]
    for c, heading in enumerate(headings, start=1):
        cell = put(ws, r + 1, c, heading)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
    for i, row in enumerate(summary.exceptions, start=r + 2):
        for c, value in enumerate([row.ref, row.title, row.subgroup, row.owner, row.due_date], start=1):
            put(ws, i, c, value, wrap=c in (2, 3))
        rag_cell(ws, i, 6, by_code.get(row.rag))
        put(ws, i, 7, ", ".join(row.exceptions), wrap=True)
    if not summary.exceptions:
        put(ws, r + 2, 1, "None: nothing is red, overdue, deteriorating or out of date.")
    for letter, width in zip("ABCDEFGH", (42, 45, 30, 24, 12, 12, 30, 10), strict=True):
        ws.column_dimensions[letter].width = width
    landscape(ws)


def _write_rag_key_sheet(ws, partnership: Partnership, scale: list[reference.Rag]) -> None:
    ws.cell(row=1, column=1, value=f"What the RAG colours mean: {partnership.name}").font = Font(bold=True, size=14)
    header(ws, 3, ["RAG", "Symbol", "What it means"], [14, 10, 90])
    for r, rag in enumerate(scale, start=4):
        rag_cell(ws, r, 1, rag)
        put(ws, r, 2, rag.symbol)
        put(ws, r, 3, rag.definition, wrap=True)
    r = 4 + len(scale) + 1
    ws.cell(row=r, column=1, value="Exceptions").font = Font(bold=True, size=12)
    meanings = [
        ("Red", "The current RAG is Red."),
        ("Overdue", "Open (not started or in progress) and past its due date."),
        ("Deteriorating", "Its RAG is worse than at the previous update."),
        ("Not updated", f"Open, started, and no update in the last {partnership.stale_after_days} days."),
    ]
    for i, (word, meaning) in enumerate(meanings, start=r + 1):
        put(ws, i, 1, word)
        put(ws, i, 3, meaning, wrap=True)



def latest_updates(session: Session, partnership_id: int) -> dict[int, StatusUpdate]:
    """Each action's latest status update (by date, then the order they were recorded)."""
    latest: dict[int, StatusUpdate] = {}
    for update in session.exec(
        select(StatusUpdate).join(Action, Action.id == StatusUpdate.action_id)
        .where(Action.partnership_id == partnership_id)
        .order_by(StatusUpdate.update_date.desc(), StatusUpdate.id.desc())
    ):
        latest.setdefault(update.action_id, update)
    return latest
