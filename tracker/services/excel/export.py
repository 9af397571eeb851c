"""The plan exported as a workbook (anyone signed in): Plan, Updates (the last year's), Summary and RAG key
sheets, written row by row with XlsxWriter (streamed.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlmodel import Session, func, select

from tracker.formatting import short_date, status_label
from tracker.models import Action, Partnership, Person, StatusUpdate, Subgroup, Theme
from tracker.services import plan, reference
from tracker.services.errors import PermissionDenied
from tracker.services.excel import streamed
from tracker.services.excel.columns import HEADINGS, PLAN_COLUMNS, ExcelFile


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


UPDATES_MONTHS = 12  # the Updates sheet's window: the status updates of the last year


def updates_since(today: date) -> date:
    """The Updates sheet has the updates dated after this day: the same day a year before `today`."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def export_plan(session: Session, actor: Person | None, today: date,
                plan_filter: plan.PlanFilter | None = None) -> ExcelFile:
    """The plan as a workbook (anyone signed in). Without a filter the Plan sheet has every action,
    cancelled included, and the Updates sheet their updates of the last year; the Summary sheet has the
    overview's figures for the same filter, from the overview's own service (plan.overview), so the two
    always agree. It only reads: the caller's unit of work may be a read-only one."""
    actor = _signed_in(actor)
    pid = actor.partnership_id
    partnership = reference.get_partnership(session, pid)
    scale = reference.rag_scale(session, pid)
    by_code = {r.code: r for r in scale}
    rows = plan.plan_rows(session, pid, today, plan_filter)

    book = streamed.Book(scale, f"{partnership.name}: delivery plan")
    _write_plan_sheet(book, rows, _plan_details(session, pid), by_code)
    _write_updates_sheet(book, session, pid, rows, by_code, today)
    overview = plan.overview(session, pid, today, summary_filter(plan_filter))
    _write_summary_sheet(book, partnership, overview, scale, today, filter_words(session, pid, plan_filter))
    _write_rag_key_sheet(book, partnership, scale)
    return ExcelFile(export_filename(partnership, today), book.content())


_DETAILS = (Action.id, Action.description, Action.lead_organisation, Action.start_date, Action.due_date,
            StatusUpdate.narrative, StatusUpdate.next_steps, StatusUpdate.blockers)


def _plan_details(session: Session, partnership_id: int) -> dict[int, tuple]:
    """What the Plan sheet needs beyond the plan rows, one query: each action's description, lead
    organisation and dates, and the words of its latest update (the stored current status points at it,
    the same update the rows' RAG, progress and date come from)."""
    return {r[0]: r for r in session.exec(
        select(*_DETAILS).outerjoin(StatusUpdate, StatusUpdate.id == Action.latest_update_id)
        .where(Action.partnership_id == partnership_id))}


_PLAN_WRAPPED = {"theme", "objective", "subgroup", "title", "description", "narrative", "next_steps", "blockers",
                 "exceptions", "lead_organisation"}


def _write_plan_sheet(book: streamed.Book, rows: list[plan.ActionRow], details: dict[int, tuple],
                      by_code: dict[str, reference.Rag]) -> None:
    ws = book.sheet("Plan", [c.width for c in PLAN_COLUMNS], freeze=(1, 1))  # the headings and refs stay in view
    ws.append([(h, streamed.HEADING) for h in HEADINGS])
    styles = [streamed.WRAPPED if c.key in _PLAN_WRAPPED else streamed.TEXT for c in PLAN_COLUMNS]
    for row in rows:
        _, description, lead, start, due, narrative, next_steps, blockers = details[row.id]
        values = {
            "ref": row.ref, "theme": row.theme, "objective": row.objective, "subgroup": row.subgroup,
            "title": row.title, "description": description, "owner": row.owner, "lead_organisation": lead,
            "start_date": start, "due_date": due, "status": status_label(row.status), "progress": row.progress,
            "update_date": row.last_update, "narrative": narrative or "", "next_steps": next_steps or "",
            "blockers": blockers or "", "exceptions": ", ".join(row.exceptions),
        }
        ws.append([streamed.rag(by_code.get(row.rag)) if column.key == "rag" else (values[column.key], style)
                   for column, style in zip(PLAN_COLUMNS, styles, strict=True)])
    ws.filter(1, len(PLAN_COLUMNS), max(len(rows) + 1, 2))
    ws.landscape(heading_row=1)


UPDATES_HEADINGS = ["Ref", "Action", "Subgroup", "Update date", "RAG", "Progress %", "Narrative", "Next steps",
                    "Blockers", "Author"]


def updates_note(since: date, shown: int, earlier: int) -> str:
    """The Updates sheet's first line: which updates it has, and how many earlier ones it leaves out."""
    kept = (f"The status updates of the last {UPDATES_MONTHS} months (dated after {short_date(since)}), "
            "oldest first within each action")
    if not earlier:
        return f"{kept}: {shown:,}, and there are no earlier ones."
    return (f"{kept}: {shown:,}. {earlier:,} earlier update{'s are' if earlier != 1 else ' is'} left out: the "
            "Plan sheet has every action's latest update, and each action's page in the tracker its whole history.")


def _write_updates_sheet(book: streamed.Book, session: Session, partnership_id: int, rows: list[plan.ActionRow],
                         by_code: dict[str, reference.Rag], today: date) -> None:
    since = updates_since(today)
    by_id = {row.id: row for row in rows}
    in_plan = (StatusUpdate.action_id == Action.id) & (Action.partnership_id == partnership_id)
    updates = [u for u in session.exec(
        select(StatusUpdate.action_id, StatusUpdate.id, StatusUpdate.update_date, StatusUpdate.rag,
               StatusUpdate.progress, StatusUpdate.narrative, StatusUpdate.next_steps, StatusUpdate.blockers,
               Person.name)
        .join(Action, in_plan).outerjoin(Person, Person.id == StatusUpdate.author_id)
        .where(StatusUpdate.update_date > since)) if u[0] in by_id]
    updates.sort(key=lambda u: (by_id[u[0]].ref, u[2], u[1]))
    earlier = sum(n for action_id, n in session.exec(
        select(StatusUpdate.action_id, func.count()).join(Action, in_plan)
        .where(StatusUpdate.update_date <= since).group_by(StatusUpdate.action_id)) if action_id in by_id)

    ws = book.sheet("Updates", [10, 40, 28, 12, 12, 11, 55, 40, 35, 24], freeze=(2, 1))
    ws.append([(updates_note(since, len(updates), earlier), streamed.NOTE)])
    ws.append([(h, streamed.HEADING) for h in UPDATES_HEADINGS])
    text, wrapped = streamed.TEXT, streamed.WRAPPED
    for action_id, _, when, rag, progress, narrative, next_steps, blockers, author in updates:
        row = by_id[action_id]
        ws.append([(row.ref, text), (row.title, wrapped), (row.subgroup, wrapped), (when, text),
                   streamed.rag(by_code.get(rag)), (progress, text), (narrative, wrapped),
                   (next_steps, wrapped), (blockers, wrapped), (author or "Unknown", text)])
    ws.filter(2, len(UPDATES_HEADINGS), max(len(updates) + 2, 3))
    ws.landscape(heading_row=2)


def _count_table(g: streamed.Grid, top: int, title: str, first_heading: str, groups: dict,
                 scale: list[reference.Rag]) -> int:
    """A table of counts by RAG (one row per group, a total row); returns the next free row."""
    bold = streamed.BOLD
    g.put(top, 1, title, streamed.SECTION)
    g.put(top + 1, 1, first_heading, bold)
    for c, rag in enumerate(scale, start=2):
        g.rag(top + 1, c, rag)
    g.put(top + 1, len(scale) + 2, "Total", bold)
    r = top + 2
    for name, counts in groups.items():
        g.put(r, 1, name, streamed.WRAPPED)
        for c, rag in enumerate(scale, start=2):
            g.put(r, c, counts.get(rag.code, 0))
        g.put(r, len(scale) + 2, sum(counts.values()))
        r += 1
    g.put(r, 1, "Total", bold)
    for c, rag in enumerate(scale, start=2):
        g.put(r, c, sum(counts.get(rag.code, 0) for counts in groups.values()), bold)
    g.put(r, len(scale) + 2, sum(sum(counts.values()) for counts in groups.values()), bold)
    return r + 2


def _write_summary_sheet(book: streamed.Book, partnership: Partnership, summary: plan.Overview, scale: list[reference.Rag],
                         today: date, filtered: str) -> None:
    by_code = {r.code: r for r in scale}
    ws = book.sheet("Summary", [42, 45, 30, 24, 12, 12, 30, 10])
    g = streamed.Grid(ws)
    g.put(1, 1, f"{partnership.name}: delivery plan summary", streamed.TITLE)
    g.put(2, 1, f"As at {short_date(today)}. {filtered}")
    figures = [
        ("Actions", summary.total), ("Red", summary.red), ("Overdue", summary.overdue),
        (f"Not updated in the last {partnership.stale_after_days} days", summary.stale),
        ("Deteriorating since the previous update", summary.deteriorated),
    ]
    for i, (label, value) in enumerate(figures, start=4):
        g.put(i, 1, label)
        g.put(i, 2, value, streamed.BOLD)
    r = _count_table(g, 4 + len(figures) + 1, "RAG by theme", "Theme", summary.by_theme, scale)
    r = _count_table(g, r, "RAG by subgroup", "Subgroup", summary.by_subgroup, scale)
    g.put(r, 1, f"Exceptions ({len(summary.exceptions)})", streamed.SECTION)
    for c, heading in enumerate(["Ref", "Title", "Subgroup", "Owner", "Due", "RAG", "Why"], start=1):
        g.put(r + 1, c, heading, streamed.HEADING)
    for i, row in enumerate(summary.exceptions, start=r + 2):
        for c, value in enumerate([row.ref, row.title, row.subgroup, row.owner, row.due_date], start=1):
            g.put(i, c, value, streamed.WRAPPED if c in (2, 3) else streamed.TEXT)
        g.rag(i, 6, by_code.get(row.rag))
        g.put(i, 7, ", ".join(row.exceptions), streamed.WRAPPED)
    if not summary.exceptions:
        g.put(r + 2, 1, "None: nothing is red, overdue, deteriorating or out of date.")
    g.write()
    ws.landscape()


def _write_rag_key_sheet(book: streamed.Book, partnership: Partnership, scale: list[reference.Rag]) -> None:
    g = streamed.Grid(book.sheet("RAG key", [14, 10, 90]))
    g.put(1, 1, f"What the RAG colours mean: {partnership.name}", streamed.TITLE)
    for c, heading in enumerate(["RAG", "Symbol", "What it means"], start=1):
        g.put(3, c, heading, streamed.HEADING)
    for r, rag in enumerate(scale, start=4):
        g.rag(r, 1, rag)
        g.put(r, 2, rag.symbol)
        g.put(r, 3, rag.definition, streamed.WRAPPED)
    r = 4 + len(scale) + 1
    g.put(r, 1, "Exceptions", streamed.SECTION)
    meanings = [
        ("Red", "The current RAG is Red."),
        ("Overdue", "Open (not started or in progress) and past its due date."),
        ("Deteriorating", "Its RAG is worse than at the previous update."),
        ("Not updated", f"Open, started, and no update in the last {partnership.stale_after_days} days."),
    ]
    for i, (word, meaning) in enumerate(meanings, start=r + 1):
        g.put(i, 1, word)
        g.put(i, 3, meaning, streamed.WRAPPED)
    g.write()


def latest_updates(session: Session, partnership_id: int) -> dict[int, StatusUpdate]:
    """Each action's latest status update (by date, then the order they were recorded): the one its
    stored current status points at (tracker.models.plan.store_current_status), one query."""
    return {u.action_id: u for u in session.exec(
        select(StatusUpdate).join(Action, Action.latest_update_id == StatusUpdate.id)
        .where(Action.partnership_id == partnership_id))}
