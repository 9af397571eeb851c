"""The delivery plan in Excel: export it, hand out a blank template, and import a workbook back.

Export (anyone signed in): a workbook of the plan as it stands, with four sheets.
- "Plan": one row per action (PLAN_COLUMNS); dates are real Excel dates shown dd/mm/yyyy; the header
  row is frozen and filtered; each RAG cell holds its word and is filled with the partnership's colour.
- "Updates": every status update of those actions, oldest first within each action, with its author.
- "Summary": headline figures, counts by theme x RAG and subgroup x RAG, and the exceptions.
- "RAG key": the partnership's own definition of each colour, and what each exception means.

Import (an administrator, or a subgroup lead for the actions of the subgroups they lead): a workbook
laid out like the export's Plan sheet (template_workbook gives a blank one, with a notes row). Rows are
matched by Ref: a row with the ref of an action changes that action (actions.edit_action, with the
version read when the file was checked) and, when its RAG, progress or narrative columns differ from
the action's current position, records a status update (actions.record_status_update); a row with no
ref adds an action (actions.create_action). Every row is checked first, by this module (cells, names,
dates) and then by the services themselves (their rules and each row's permission), so the file's
problems are listed all at once, by row and column heading. preview_import does all of it and rolls
back; import_plan does it for real, and raises PlanImportRejected if any row is bad: the caller's unit
of work (tracker.db.session_scope) then rolls back every row, so nothing is half-imported.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from tracker.formatting import short_date, status_label
from tracker.models import ACTION_STATUSES, Action, Partnership, Person, StatusUpdate, Subgroup, Theme
from tracker.rules.dates import DATE_HELP, parse_date
from tracker.services import actions, audit, plan, reference
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied, ServiceError
from tracker.services.permissions import can_edit_action, is_admin, led_subgroup_ids

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
MAX_UPLOAD_BYTES = 5_000_000
MAX_UNZIPPED_BYTES = 60_000_000  # a workbook is a zip: refuse one that would unpack to far more
MAX_ROWS = 2_000
MAX_COLUMNS = 60
NOTES_PREFIX = "Notes (this row is ignored on import)"


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: int
    note: str
    importable: bool = True
    aliases: tuple[str, ...] = ()


PLAN_COLUMNS = (
    Column("ref", "Ref", 10,
           f"{NOTES_PREFIX}. Ref: leave blank to add a new action (the tracker gives it the next ref of its "
           "subgroup, e.g. TR-09). Keep the ref of an existing action to change it."),
    Column("theme", "Theme", 30, "Shown for reading only, ignored on import: the theme follows the objective "
                                 "(or the subgroup).", importable=False),
    Column("objective", "Objective", 40, "Optional. The local objective's code (e.g. T2.1), as on the Lists sheet; "
                                         "the code followed by its title is also accepted."),
    Column("subgroup", "Subgroup", 30, "Required. The subgroup's name or code (e.g. TR), as on the Lists sheet. "
                                       "A subgroup lead may import only the actions of subgroups they lead."),
    Column("title", "Title", 45, "Required. 3 to 300 characters."),
    Column("description", "Description", 55, "Optional. Up to 5,000 characters."),
    Column("owner", "Owner", 24, "Optional. The owner's email address, or their name exactly as the tracker has "
                                 "it (use the email when two people share a name)."),
    Column("lead_organisation", "Lead organisation", 28, "Optional. Up to 200 characters."),
    Column("start_date", "Start", 12, "Optional. A date, dd/mm/yyyy (e.g. 01/03/2026).",
           aliases=("Start date",)),
    Column("due_date", "Due", 12, "Optional. A date, dd/mm/yyyy, on or after the start date.",
           aliases=("Due date",)),
    Column("status", "Status", 13, "Not started, In progress, Complete or Cancelled. Blank means Not started "
                                   "for a new action."),
    Column("rag", "RAG", 12, "The current RAG: {rags}. A change to RAG, Progress %, Latest narrative, Next "
                             "steps or Blockers records a new status update.", aliases=("RAG status",)),
    Column("progress", "Progress %", 11, "A whole number from 0 to 100. Blue (complete) needs 100.",
           aliases=("Progress",)),
    Column("update_date", "Last update", 12,
           "The date of the latest status update. A new update is dated by this cell if you give a date after "
           "the last update (not in the future); left as it was, or blank, the new update is dated today.",
           aliases=("Update date",)),
    Column("narrative", "Latest narrative", 55, "The narrative of the latest update: required for any RAG other "
                                                "than Green, Blue and Grey. Up to 5,000 characters.",
           aliases=("Narrative",)),
    Column("next_steps", "Next steps", 40, "Optional. Up to 5,000 characters."),
    Column("blockers", "Blockers", 35, "Optional. Up to 5,000 characters."),
    Column("exceptions", "Exceptions", 26, "Shown for reading only, ignored on import: Red, Overdue, "
                                           "Deteriorating, Not updated.", importable=False),
)
HEADINGS = [c.heading for c in PLAN_COLUMNS]
_BY_KEY = {c.key: c for c in PLAN_COLUMNS}
REQUIRED_KEYS = ("ref", "subgroup", "title")
UPDATE_KEYS = ("rag", "progress", "narrative", "next_steps", "blockers")
TEXT_KEYS = ("title", "description", "lead_organisation", "narrative", "next_steps", "blockers")

# The services name fields; the user sees the column headings.
FIELD_COLUMNS = {
    "subgroup_id": "Subgroup", "objective_id": "Objective", "title": "Title", "description": "Description",
    "owner_id": "Owner", "lead_organisation": "Lead organisation", "start_date": "Start", "due_date": "Due",
    "status": "Status", "rag": "RAG", "progress": "Progress %", "update_date": "Last update",
    "narrative": "Latest narrative", "next_steps": "Next steps", "blockers": "Blockers",
}

STATUS_WORDS = {
    "notstarted": "not_started", "notyetstarted": "not_started", "inprogress": "in_progress",
    "underway": "in_progress", "complete": "complete", "completed": "complete", "cancelled": "cancelled",
    "canceled": "cancelled",
}
STATUS_CHOICES = ", ".join(status_label(s) for s in ACTION_STATUSES)

_HEADER_FILL = PatternFill("solid", fgColor="0B0C0C")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_NOTES_FILL = PatternFill("solid", fgColor="F3F2F1")
_THIN = Side(style="thin", color="B1B4B6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


@dataclass(frozen=True)
class ExcelFile:
    filename: str
    content: bytes
    media_type: str = XLSX_MIME


def _signed_in(actor: Person | None) -> Person:
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to export the plan.")
    return actor


def _uk(value: date | None) -> str:
    return short_date(value, empty="")


# --- Writing cells ---------------------------------------------------------------------------


def _put(ws, row: int, column: int, value, wrap: bool = False):
    """Write a value. Text is always text: a title beginning "=" must never become a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    cell.alignment = _WRAP if wrap else _TOP
    cell.border = _BORDER
    return cell


def _rag_cell(ws, row: int, column: int, rag: reference.Rag | None):
    """The RAG's word, in a cell filled with the partnership's colour for it (never colour alone)."""
    cell = _put(ws, row, column, rag.label if rag else "")
    if rag is not None:
        cell.fill = PatternFill("solid", fgColor=rag.colour.lstrip("#").upper())
        cell.font = Font(bold=True, color=rag.text_colour.lstrip("#").upper())
    return cell


def _header(ws, row: int, headings: list[str], widths: list[int] | None = None) -> None:
    for i, heading in enumerate(headings, start=1):
        cell = _put(ws, row, i, heading, wrap=True)
        cell.fill = _HEADER_FILL
        cell.font = _HEADER_FONT
        if widths:
            ws.column_dimensions[get_column_letter(i)].width = widths[i - 1]


def _landscape(ws, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Export ----------------------------------------------------------------------------------


def export_filename(partnership: Partnership, today: date) -> str:
    return f"{partnership.slug}-delivery-plan-{today.isoformat()}.xlsx"


def filter_words(session: Session, partnership_id: int, plan_filter: plan.PlanFilter | None) -> str:
    """What a filter keeps, in words, for the top of the Summary sheet."""
    if plan_filter is None:
        return "All actions, cancelled ones included."
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
    if not plan_filter.include_cancelled:
        kept += " Cancelled actions are left out, as on the overview."
    return kept


def export_plan(session: Session, actor: Person | None, today: date,
                plan_filter: plan.PlanFilter | None = None) -> ExcelFile:
    """The plan as a workbook (anyone signed in). Without a filter: every action, cancelled included."""
    actor = _signed_in(actor)
    pid = actor.partnership_id
    partnership = reference.get_partnership(session, pid)
    scale = reference.rag_scale(session, pid)
    by_code = {r.code: r for r in scale}
    rows = plan.plan_rows(session, pid, today, plan_filter)
    latest = _latest_updates(session, pid)
    actions_by_id = {a.id: a for a in session.exec(select(Action).where(Action.partnership_id == pid))}

    wb = Workbook()
    wb.properties.title = f"{partnership.name}: delivery plan"
    wb.properties.creator = "CDP Delivery Tracker"
    ws = wb.active
    ws.title = "Plan"
    _write_plan_sheet(ws, rows, actions_by_id, latest, by_code)
    _write_updates_sheet(wb.create_sheet("Updates"), session, rows, by_code)
    _write_summary_sheet(wb.create_sheet("Summary"), partnership, rows, scale, today,
                         filter_words(session, pid, plan_filter))
    _write_rag_key_sheet(wb.create_sheet("RAG key"), partnership, scale)
    return ExcelFile(export_filename(partnership, today), _save(wb))


def _write_plan_sheet(ws, rows: list[plan.ActionRow], actions_by_id: dict[int, Action],
                      latest: dict[int, StatusUpdate], by_code: dict[str, reference.Rag]) -> None:
    _header(ws, 1, HEADINGS, [c.width for c in PLAN_COLUMNS])
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
                _rag_cell(ws, r, c, by_code.get(row.rag))
            else:
                _put(ws, r, c, values[column.key], wrap=column.key in wrap)
    ws.freeze_panes = "B2"  # the headings and the refs stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(PLAN_COLUMNS))}{max(len(rows) + 1, 2)}"
    _landscape(ws, "1:1")


def _write_updates_sheet(ws, session: Session, rows: list[plan.ActionRow],
                         by_code: dict[str, reference.Rag]) -> None:
    headings = ["Ref", "Action", "Subgroup", "Update date", "RAG", "Progress %", "Narrative", "Next steps",
                "Blockers", "Author"]
    _header(ws, 1, headings, [10, 40, 28, 12, 12, 11, 55, 40, 35, 24])
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
                _rag_cell(ws, r, c, by_code.get(update.rag))
            else:
                _put(ws, r, c, value, wrap=c in (2, 3, 7, 8, 9))
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{max(len(ordered) + 1, 2)}"
    _landscape(ws, "1:1")


def _count_table(ws, top: int, title: str, first_heading: str, groups: dict, scale: list[reference.Rag]) -> int:
    """A table of counts by RAG (one row per group, a total row); returns the next free row."""
    ws.cell(row=top, column=1, value=title).font = Font(bold=True, size=12)
    _put(ws, top + 1, 1, first_heading).font = Font(bold=True)
    for c, rag in enumerate(scale, start=2):
        _rag_cell(ws, top + 1, c, rag)
    _put(ws, top + 1, len(scale) + 2, "Total").font = Font(bold=True)
    r = top + 2
    for name, counts in groups.items():
        _put(ws, r, 1, name, wrap=True)
        for c, rag in enumerate(scale, start=2):
            _put(ws, r, c, counts.get(rag.code, 0))
        _put(ws, r, len(scale) + 2, sum(counts.values()))
        r += 1
    _put(ws, r, 1, "Total").font = Font(bold=True)
    for c, rag in enumerate(scale, start=2):
        _put(ws, r, c, sum(counts.get(rag.code, 0) for counts in groups.values())).font = Font(bold=True)
    _put(ws, r, len(scale) + 2, sum(sum(counts.values()) for counts in groups.values())).font = Font(bold=True)
    return r + 2


def _write_summary_sheet(ws, partnership: Partnership, rows: list[plan.ActionRow], scale: list[reference.Rag],
                         today: date, filtered: str) -> None:
    summary = plan.summarise(rows)
    by_code = {r.code: r for r in scale}
    ws.cell(row=1, column=1, value=f"{partnership.name}: delivery plan summary").font = Font(bold=True, size=14)
    _put(ws, 2, 1, f"As at {_uk(today)}. {filtered}")
    figures = [
        ("Actions", summary.total), ("Red", summary.red), ("Overdue", summary.overdue),
        (f"Not updated in the last {partnership.stale_after_days} days", summary.stale),
        ("Deteriorating since the previous update", summary.deteriorated),
    ]
    for i, (label, value) in enumerate(figures, start=4):
        _put(ws, i, 1, label)
        _put(ws, i, 2, value).font = Font(bold=True)
    r = _count_table(ws, 4 + len(figures) + 1, "RAG by theme", "Theme", summary.by_theme, scale)
    r = _count_table(ws, r, "RAG by subgroup", "Subgroup", summary.by_subgroup, scale)
    ws.cell(row=r, column=1, value=f"Exceptions ({len(summary.exceptions)})").font = Font(bold=True, size=12)
    headings = ["Ref", "Title", "Subgroup", "Owner", "Due", "RAG", "Why"]
    for c, heading in enumerate(headings, start=1):
        cell = _put(ws, r + 1, c, heading)
        cell.fill = _HEADER_FILL
        cell.font = _HEADER_FONT
    for i, row in enumerate(summary.exceptions, start=r + 2):
        for c, value in enumerate([row.ref, row.title, row.subgroup, row.owner, row.due_date], start=1):
            _put(ws, i, c, value, wrap=c in (2, 3))
        _rag_cell(ws, i, 6, by_code.get(row.rag))
        _put(ws, i, 7, ", ".join(row.exceptions), wrap=True)
    if not summary.exceptions:
        _put(ws, r + 2, 1, "None: nothing is red, overdue, deteriorating or out of date.")
    for letter, width in zip("ABCDEFGH", (42, 45, 30, 24, 12, 12, 30, 10), strict=True):
        ws.column_dimensions[letter].width = width
    _landscape(ws)


def _write_rag_key_sheet(ws, partnership: Partnership, scale: list[reference.Rag]) -> None:
    ws.cell(row=1, column=1, value=f"What the RAG colours mean: {partnership.name}").font = Font(bold=True, size=14)
    _header(ws, 3, ["RAG", "Symbol", "What it means"], [14, 10, 90])
    for r, rag in enumerate(scale, start=4):
        _rag_cell(ws, r, 1, rag)
        _put(ws, r, 2, rag.symbol)
        _put(ws, r, 3, rag.definition, wrap=True)
    r = 4 + len(scale) + 1
    ws.cell(row=r, column=1, value="Exceptions").font = Font(bold=True, size=12)
    meanings = [
        ("Red", "The current RAG is Red."),
        ("Overdue", "Open (not started or in progress) and past its due date."),
        ("Deteriorating", "Its RAG is worse than at the previous update."),
        ("Not updated", f"Open, started, and no update in the last {partnership.stale_after_days} days."),
    ]
    for i, (word, meaning) in enumerate(meanings, start=r + 1):
        _put(ws, i, 1, word)
        _put(ws, i, 3, meaning, wrap=True)


# --- The blank template ----------------------------------------------------------------------


def template_filename(partnership: Partnership) -> str:
    return f"{partnership.slug}-delivery-plan-template.xlsx"


def template_workbook(session: Session, actor: Person | None) -> ExcelFile:
    """A blank Plan sheet with the headings and a notes row, and a Lists sheet of the allowed values.
    For those who may import (it lists the partnership's people and their email addresses)."""
    actor = _require_importer(session, actor)
    pid = actor.partnership_id
    partnership = reference.get_partnership(session, pid)
    scale = reference.rag_scale(session, pid)
    rags = ", ".join(r.label for r in scale)
    wb = Workbook()
    wb.properties.title = f"{partnership.name}: delivery plan import template"
    ws = wb.active
    ws.title = "Plan"
    _header(ws, 1, HEADINGS, [c.width for c in PLAN_COLUMNS])
    for c, column in enumerate(PLAN_COLUMNS, start=1):
        cell = _put(ws, 2, c, column.note.format(rags=rags), wrap=True)
        cell.fill = _NOTES_FILL
        cell.font = Font(italic=True, size=9)
    ws.row_dimensions[2].height = 150
    ws.freeze_panes = "B3"

    lists = wb.create_sheet("Lists")
    subgroups = reference.subgroups(session, pid)
    objectives = reference.objectives(session, pid)
    people = reference.people(session, pid)
    blocks = [
        ("Subgroup code", [s.code for s in subgroups]), ("Subgroup name", [s.name for s in subgroups]),
        ("Objective code", [o.code for o in objectives]), ("Objective", [o.title for o in objectives]),
        ("Owner email", [p.email for p in people]), ("Owner name", [p.name for p in people]),
        ("Status", [status_label(s) for s in ACTION_STATUSES]), ("RAG", [r.label for r in scale]),
    ]
    _header(lists, 1, [b[0] for b in blocks], [14, 40, 14, 60, 34, 26, 14, 12])
    for c, (_, values) in enumerate(blocks, start=1):
        for r, value in enumerate(values, start=2):
            _put(lists, r, c, value)
    lists.freeze_panes = "A2"

    # Pick lists for the columns with a fixed set of values (typing a value is still allowed).
    def choose(column_key: str, source: str, what: str) -> None:
        letter = get_column_letter(HEADINGS.index(_BY_KEY[column_key].heading) + 1)
        rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False,
                              promptTitle=_BY_KEY[column_key].heading, prompt=what, showInputMessage=True)
        rule.add(f"{letter}3:{letter}{MAX_ROWS + 2}")
        ws.add_data_validation(rule)

    def lists_range(index: int, count: int) -> str:
        letter = get_column_letter(index)
        return f"Lists!${letter}$2:${letter}${max(count, 1) + 1}"

    choose("subgroup", lists_range(2, len(subgroups)), "A subgroup's name (or its code)")
    choose("status", lists_range(7, len(ACTION_STATUSES)), STATUS_CHOICES)
    choose("rag", lists_range(8, len(scale)), rags)
    return ExcelFile(template_filename(partnership), _save(wb))


# --- Import: reading the workbook ------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    row: int  # as the spreadsheet numbers it (the headings are row 1); 0 for the file as a whole
    column: str  # the column's heading; "" for the row or the file as a whole
    message: str  # what to fix

    def __str__(self) -> str:
        where = ", ".join(p for p in (f"Row {self.row}" if self.row else "", self.column) if p)
        return f"{where}: {self.message}" if where else self.message


class PlanImportRejected(ServiceError):
    """The workbook has problems: `errors` lists every one. Nothing may be kept of the import."""

    def __init__(self, errors: list[CellError]):
        self.errors = list(errors)
        rows = {e.row for e in self.errors if e.row}
        where = f" in {len(rows)} row{'s' if len(rows) != 1 else ''}" if rows else ""
        count = len(self.errors)
        super().__init__(f"Nothing was saved: the file has {count} problem{'s' if count != 1 else ''}{where}. "
                         "Fix them and upload the whole file again.")


@dataclass(frozen=True)
class _Cell:
    value: object
    number_format: str = "General"


@dataclass
class _Sheet:
    columns: dict[str, int]  # column key -> position in the row
    rows: list[tuple[int, list[_Cell]]]  # (spreadsheet row number, cells)


def _key(heading) -> str:
    return re.sub(r"\s+", " ", str(heading or "")).strip().rstrip("*").strip().lower()


_HEADING_KEYS = {_key(h): c.key for c in PLAN_COLUMNS for h in (c.heading, *c.aliases)}


def _file_error(message: str, row: int = 0) -> PlanImportRejected:
    return PlanImportRejected([CellError(row, "", message)])


def _read_sheet(content: bytes) -> _Sheet:
    if not content:
        raise _file_error("The file is empty: choose the Excel workbook (.xlsx) of the plan.")
    if len(content) > MAX_UPLOAD_BYTES:
        raise _file_error(f"The file is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB: remove the other sheets "
                          "or split the plan into smaller files.")
    not_xlsx = ("The file is not an Excel workbook (.xlsx). In Excel, choose File, Save As, and the type "
                "'Excel Workbook (*.xlsx)'; an older .xls or a CSV file cannot be read.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise _file_error("The workbook is too large to read: keep only the Plan sheet and upload again.")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except PlanImportRejected:
        raise
    except Exception:  # noqa: BLE001  (a damaged or foreign file can fail in many ways inside openpyxl)
        raise _file_error(not_xlsx) from None
    try:
        return _read_plan(workbook)
    finally:
        workbook.close()


def _read_plan(workbook) -> _Sheet:
    names = {name.strip().lower(): name for name in workbook.sheetnames}
    if "plan" in names:
        ws = workbook[names["plan"]]
    elif len(workbook.sheetnames) == 1:
        ws = workbook[workbook.sheetnames[0]]
    else:
        raise _file_error("The workbook has no sheet called Plan: name the sheet of actions Plan, as in the "
                          "template, and upload it again.")
    ws.reset_dimensions()  # some programs write a wrong size; read what is there
    columns: dict[str, int] | None = None
    rows: list[tuple[int, list[_Cell]]] = []
    blank_run = 0
    for row_number, raw in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
        cells = [_Cell(c.value, getattr(c, "number_format", "General") or "General") for c in raw]
        if not any(_is_filled(c.value) for c in cells):
            blank_run += 1
            if blank_run > 1000:
                break  # the rest of a formatted but empty sheet
            continue
        blank_run = 0
        if columns is None:
            if row_number > 10:
                raise _file_error("The headings must be in row 1 of the Plan sheet, as in the template: "
                                  + ", ".join(HEADINGS))
            columns = _headings(cells, row_number)
            continue
        ref = cells[columns["ref"]].value if columns["ref"] < len(cells) else None
        if isinstance(ref, str) and ref.strip().lower().startswith(NOTES_PREFIX[:25].lower()):
            continue  # the template's notes row
        rows.append((row_number, cells))
        if len(rows) > MAX_ROWS:
            raise _file_error(f"The sheet has more than {MAX_ROWS:,} rows of actions: split it into smaller files.")
    if columns is None:
        raise _file_error("The Plan sheet is empty: it needs the headings in row 1 (" + ", ".join(HEADINGS)
                          + ") and a row for each action.")
    if not rows:
        raise _file_error("The Plan sheet has headings but no rows of actions.")
    return _Sheet(columns, rows)


def _headings(cells: list[_Cell], row_number: int) -> dict[str, int]:
    found: dict[str, int] = {}
    unknown, repeated = [], []
    for i, cell in enumerate(cells):
        if not _is_filled(cell.value):
            continue
        key = _HEADING_KEYS.get(_key(cell.value))
        if key is None:
            unknown.append(str(cell.value).strip())
        elif key in found:
            repeated.append(_BY_KEY[key].heading)
        else:
            found[key] = i
    problems = []
    missing = [_BY_KEY[k].heading for k in REQUIRED_KEYS if k not in found]
    if missing:
        problems.append(CellError(row_number, "", f"The headings need the column{'s' if len(missing) > 1 else ''} "
                                                  f"{', '.join(missing)}. Use the headings of the template: "
                                                  f"{', '.join(HEADINGS)}"))
    if unknown:
        problems.append(CellError(row_number, "", f"Unexpected heading{'s' if len(unknown) > 1 else ''} "
                                                  f"{', '.join(repr(u) for u in unknown)}: use only the headings "
                                                  f"of the template ({', '.join(HEADINGS)})"))
    if repeated:
        problems.append(CellError(row_number, "", f"The column{'s' if len(repeated) > 1 else ''} "
                                                  f"{', '.join(repeated)} appear{'' if len(repeated) > 1 else 's'} "
                                                  "more than once"))
    if problems:
        raise PlanImportRejected(problems)
    return found


def _is_filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# --- Import: reading cells -------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return _uk(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _norm(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _date(cell: _Cell) -> date | None:
    """A date from an Excel date cell or from text typed the UK way; ValueError says what to fix."""
    value = cell.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a date: {DATE_HELP}")
    if isinstance(value, int | float):
        # A date cell that lost its format shows as Excel's day number (46082 is 01/03/2026).
        if 20_000 <= value <= 80_000:
            return from_excel(value).date()
        raise ValueError(f"{_text(value)} is a number, not a date: {DATE_HELP}")
    return parse_date(_text(value))


def _progress(cell: _Cell) -> int | None:
    value = cell.value
    help_text = "write progress as a whole number from 0 to 100, for example 40"
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, datetime | date):
        raise ValueError(f"{_text(value)} is not a percentage: {help_text}")
    if isinstance(value, int | float):
        number = float(value) * (100 if "%" in cell.number_format else 1)
        shown = _text(value)
    else:
        shown = _text(value)
        try:
            number = float(shown.rstrip("%").strip())
        except ValueError:
            raise ValueError(f"{shown!r} is not a number: {help_text}") from None
    number = round(number, 6)
    if not number.is_integer():
        raise ValueError(f"{shown} is not a whole number: {help_text}")
    if not 0 <= number <= 100:
        raise ValueError(f"{shown} is outside 0 to 100: {help_text}")
    return int(number)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


# --- Import: the partnership's names ---------------------------------------------------------


class _Lookups:
    """Everything a row may name, read once: actions by ref, subgroups, objectives, people, the scale."""

    def __init__(self, session: Session, actor: Person, today: date):
        pid = actor.partnership_id
        self.actions = {a.ref.upper(): a for a in session.exec(select(Action).where(Action.partnership_id == pid))}
        self.rows = {r.id: r for r in plan.plan_rows(session, pid, today)}
        self.latest = _latest_updates(session, pid)
        self.subgroups = reference.subgroups(session, pid)
        self.subgroup_names = {s.id: s.name for s in self.subgroups}
        self.objectives = reference.objectives(session, pid)
        self.objective_names = {o.id: f"{o.code} {o.title}" for o in self.objectives}
        self.people = reference.people(session, pid, active_only=False)
        self.people_names = {p.id: p.name for p in self.people}
        self.scale = reference.rag_scale(session, pid)
        self.rag_labels = {r.code: r.label for r in self.scale}
        self.rag_words = {}
        for r in self.scale:
            self.rag_words[_letters(r.label)] = r.code
            self.rag_words.setdefault(_letters(r.code), r.code)

    def subgroup(self, text: str) -> int:
        wanted = text.casefold()
        for s in self.subgroups:
            if wanted in (s.code.casefold(), s.name.casefold()):
                return s.id
        raise ValueError(f"there is no subgroup {text!r} in this partnership: write its name or code (e.g. "
                         f"{self.subgroups[0].code if self.subgroups else 'TR'}), as the Lists sheet of the "
                         "template gives them")

    def objective(self, text: str) -> int | None:
        if not text:
            return None
        wanted = text.casefold()
        first = wanted.split()[0]
        for o in self.objectives:
            if wanted in (o.code.casefold(), o.title.casefold(), f"{o.code} {o.title}".casefold()):
                return o.id
        for o in self.objectives:
            if first == o.code.casefold():
                return o.id
        raise ValueError(f"there is no objective {text!r}: write the objective's code (e.g. T2.1), as the Lists "
                         "sheet of the template gives them, or leave the cell blank")

    def owner(self, text: str, current_owner_id: int | None) -> int | None:
        if not text:
            return None
        wanted = text.casefold()
        if "@" in text:
            for p in self.people:
                if p.email.casefold() == wanted:
                    return p.id
            raise ValueError(f"no one in this partnership has the email address {text!r}: check it against the "
                             "Lists sheet of the template")
        named = [p for p in self.people if p.name.casefold() == wanted]
        if len(named) > 1:
            current = [p for p in named if p.id == current_owner_id]
            if current:
                return current[0].id
            raise ValueError(f"{len(named)} people are called {text!r}: write the owner's email address instead")
        if not named:
            raise ValueError(f"no one in this partnership is called {text!r}: write the owner's email address, "
                             "as the Lists sheet of the template gives it")
        return named[0].id

    def rag(self, text: str) -> str:
        code = self.rag_words.get(_letters(text))
        if code is None:
            raise ValueError(f"{text!r} is not on the partnership's RAG scale: write one of "
                             f"{', '.join(r.label for r in self.scale)}")
        return code


def _status(text: str) -> str:
    status = STATUS_WORDS.get(_letters(text))
    if status is None:
        raise ValueError(f"{text!r} is not a status: write one of {STATUS_CHOICES}")
    return status


def _latest_updates(session: Session, partnership_id: int) -> dict[int, StatusUpdate]:
    """Each action's latest status update (by date, then the order they were recorded)."""
    latest: dict[int, StatusUpdate] = {}
    for update in session.exec(
        select(StatusUpdate).join(Action, Action.id == StatusUpdate.action_id)
        .where(Action.partnership_id == partnership_id)
        .order_by(StatusUpdate.update_date.desc(), StatusUpdate.id.desc())
    ):
        latest.setdefault(update.action_id, update)
    return latest


# --- Import: what each row asks for ----------------------------------------------------------


@dataclass
class RowChange:
    """What importing one row does (or, in a preview, would do)."""

    row: int
    ref: str  # the action's ref (for a new action, the ref it was given)
    action_id: int | None
    title: str
    created: bool = False
    changes: list[str] = field(default_factory=list)  # "Due: 31/03/2027 → 30/06/2027"
    update: str = ""  # "New update: Amber, 60%, dated 23/11/2026"

    @property
    def changed(self) -> bool:
        return not self.created and bool(self.changes)

    @property
    def updated(self) -> bool:
        return not self.created and bool(self.update)

    @property
    def unchanged(self) -> bool:
        return not self.created and not self.changes and not self.update


@dataclass
class ImportSummary:
    filename: str
    rows: list[RowChange]
    # For each existing action in the file, what the check saw: {ref: {"version": 3, "update_id": 41}}.
    # Pass it back to import_plan, so a change someone makes between preview and import is not overwritten.
    expected: dict[str, dict[str, int | None]] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return sum(r.created for r in self.rows)

    @property
    def changed(self) -> int:
        return sum(r.changed for r in self.rows)

    @property
    def updated(self) -> int:
        return sum(r.updated for r in self.rows)

    @property
    def unchanged(self) -> int:
        return sum(r.unchanged for r in self.rows)

    @property
    def writes(self) -> bool:
        return any(not r.unchanged for r in self.rows)

    def words(self) -> str:
        return (f"{_n(self.created, 'action')} created, {self.changed} changed, {self.updated} with a new status "
                f"update, {self.unchanged} unchanged")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


@dataclass
class _Row:
    number: int
    action: Action | None
    details: dict  # service field -> value, the details to write (all of them for a new action)
    changes: list[str]
    update: dict | None  # the status update to record, if any
    update_words: str = ""


def _shown(key: str, value, lookups: _Lookups) -> str:
    if value is None or value == "":
        return "(blank)"
    if key == "subgroup_id":
        return lookups.subgroup_names.get(value, str(value))
    if key == "objective_id":
        return lookups.objective_names.get(value, str(value))
    if key == "owner_id":
        return lookups.people_names.get(value, str(value))
    if key == "status":
        return status_label(value)
    if isinstance(value, date):
        return _uk(value)
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


def _parse_row(number: int, cells: list[_Cell], columns: dict[str, int], lookups: _Lookups, today: date,
               seen_refs: dict[str, int], filename: str,
               expected: dict | None) -> tuple[_Row | None, list[CellError]]:
    errors: list[CellError] = []

    def cell(key: str) -> _Cell:
        i = columns.get(key)
        return cells[i] if i is not None and i < len(cells) else _Cell(None)

    def fail(key: str, message: str) -> None:
        errors.append(CellError(number, _BY_KEY[key].heading, message))

    ref = _text(cell("ref").value)
    action = None
    if ref:
        action = lookups.actions.get(ref.upper())
        if action is None:
            fail("ref", f"there is no action {ref} in the plan: leave Ref blank to add a new action (the tracker "
                        "gives it a ref), or correct the ref")
        elif ref.upper() in seen_refs:
            fail("ref", f"row {seen_refs[ref.upper()]} is also {action.ref}: keep one of the two rows")
            action = None
        else:
            seen_refs[ref.upper()] = number
    if ref and action is None:
        return None, errors
    if action is not None and expected is not None and _state(action, lookups) != _expected_state(expected, action):
        # Changed since the user checked the file: the row holds what the plan said then, and writing it
        # now could undo the other person's change.
        fail("ref", f"{action.ref} was changed by someone else after you checked the file. Nothing was saved: "
                    "upload the file again to check it against the plan as it is now")
        return None, errors
    new = action is None
    plan_row = lookups.rows.get(action.id) if action else None

    values: dict[str, object] = {}
    present = [k for k in columns if _BY_KEY[k].importable]
    for key in present:
        raw = cell(key)
        try:
            if key in TEXT_KEYS:
                values[key] = _text(raw.value)
            elif key == "subgroup":
                text = _text(raw.value)
                if not text:
                    raise ValueError("write the subgroup's name or code: every action belongs to a subgroup")
                values["subgroup_id"] = lookups.subgroup(text)
            elif key == "objective":
                values["objective_id"] = lookups.objective(_text(raw.value))
            elif key == "owner":
                values["owner_id"] = lookups.owner(_text(raw.value), action.owner_id if action else None)
            elif key in ("start_date", "due_date", "update_date"):
                values[key] = _date(raw)
            elif key == "status":
                text = _text(raw.value)
                if not text and not new:
                    raise ValueError(f"write the action's status: {STATUS_CHOICES}")
                values["status"] = _status(text) if text else "not_started"
            elif key == "rag":
                text = _text(raw.value)
                if not text and not new:
                    raise ValueError(f"write the current RAG: {', '.join(r.label for r in lookups.scale)}")
                values["rag"] = lookups.rag(text) if text else None
            elif key == "progress":
                values["progress"] = _progress(raw)
                if values["progress"] is None and not new:
                    raise ValueError("write progress as a whole number from 0 to 100, for example 40")
            elif key == "ref":
                pass
        except ValueError as exc:
            fail(key, str(exc))
    if "title" in values and not values["title"]:
        fail("title", "write the action's title: every action needs one")

    # Due on or after start, with the values the action will have (a missing column keeps its value).
    if not any(e.column in ("Start", "Due") for e in errors):
        start = values["start_date"] if "start_date" in values else (action.start_date if action else None)
        due = values["due_date"] if "due_date" in values else (action.due_date if action else None)
        if start and due and due < start:
            fail("due_date", f"the due date {_uk(due)} is before the start date {_uk(start)}")
    if errors:
        return None, errors

    detail_fields = ["subgroup_id", "objective_id", "title", "description", "owner_id", "lead_organisation",
                     "start_date", "due_date", "status"]
    details: dict = {}
    changes: list[str] = []
    if new:
        details = {k: values[k] for k in detail_fields if k in values}
        details["source"] = (f"Imported from {filename}, row {number}" if filename
                             else f"Imported from an Excel workbook, row {number}")[:300]
    else:
        for name in detail_fields:
            if name not in values:
                continue
            old, wanted = getattr(action, name), values[name]
            same = _norm(old) == _norm(wanted) if name in TEXT_KEYS else old == wanted
            if not same:
                details[name] = wanted
                heading = FIELD_COLUMNS[name]
                changes.append(f"{heading}: {_shown(name, old, lookups)} → {_shown(name, wanted, lookups)}")

    update, words = _update_for(number, values, action, plan_row, lookups, today, errors)
    if errors:
        return None, errors
    return _Row(number, action, details, changes, update, words), []


def _update_for(number: int, values: dict, action: Action | None, plan_row: plan.ActionRow | None,
                lookups: _Lookups, today: date, errors: list[CellError]) -> tuple[dict | None, str]:
    """The status update a row asks for, if its RAG, progress or narrative columns differ from now."""
    latest = lookups.latest.get(action.id) if action else None
    if action is None:
        asked = any(values.get(k) not in (None, "") for k in UPDATE_KEYS)
        if not asked:
            return None, ""
        current = {"rag": None, "progress": None, "narrative": "", "next_steps": "", "blockers": ""}
    else:
        current = {
            "rag": plan_row.rag if plan_row else "grey",
            "progress": plan_row.progress if plan_row else 0,
            "narrative": latest.narrative if latest else "",
            "next_steps": latest.next_steps if latest else "",
            "blockers": latest.blockers if latest else "",
        }
    wanted = {k: (values[k] if k in values else current[k]) for k in UPDATE_KEYS}
    if action is not None and all(
        (_norm(wanted[k]) == _norm(current[k])) if k in TEXT_KEYS else wanted[k] == current[k] for k in UPDATE_KEYS
    ):
        return None, ""
    given = values.get("update_date")
    last = latest.update_date if latest else None
    if given is None or (last is not None and given == last):
        when = today
    elif last is not None and given < last:
        errors.append(CellError(number, "Last update", (
            f"{_uk(given)} is before the latest update of {action.ref}, on {_uk(last)}: give a later date for "
            "the new update, or leave the date as it was to date it today")))
        return None, ""
    else:
        when = given
    data = {"update_date": when, "rag": wanted["rag"] or "", "progress": wanted["progress"],
            "narrative": wanted["narrative"], "next_steps": wanted["next_steps"], "blockers": wanted["blockers"]}
    label = lookups.rag_labels.get(wanted["rag"], "no RAG")
    progress = "" if wanted["progress"] is None else f", {wanted['progress']}%"
    return data, f"New update: {label}{progress}, dated {_uk(when)}"


# --- Import: running it ----------------------------------------------------------------------


def _require_importer(session: Session, actor: Person | None) -> Person:
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to import the plan.")
    if not (is_admin(actor) or led_subgroup_ids(session, actor)):
        raise PermissionDenied("Only an administrator or a subgroup lead can import the plan.")
    return actor


def may_import(session: Session, actor: Person | None) -> bool:
    try:
        _require_importer(session, actor)
    except PermissionDenied:
        return False
    return True


def _lower_first(message: str) -> str:
    # "The due date ..." reads "Row 7, Due: the due date ..."; "RAG ..." keeps its capitals.
    first = message.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or not first.isupper()):
        return message[0].lower() + message[1:]
    return message


def _int_or_none(value) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _state(action: Action, lookups: _Lookups) -> tuple[int, int | None]:
    latest = lookups.latest.get(action.id)
    return action.version, latest.id if latest else None


def _expected_state(expected: dict, action: Action) -> tuple[int | None, int | None] | None:
    seen = expected.get(action.ref) if isinstance(expected, dict) else None
    if not isinstance(seen, dict):
        return None
    return _int_or_none(seen.get("version")), _int_or_none(seen.get("update_id"))


def _run(session: Session, actor: Person | None, content: bytes, today: date, filename: str,
         expected: dict | None) -> ImportSummary:
    actor = _require_importer(session, actor)
    filename = str(filename or "")[:200]
    sheet = _read_sheet(content)
    lookups = _Lookups(session, actor, today)
    errors: list[CellError] = []
    parsed: list[_Row] = []
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        row, problems = _parse_row(number, cells, sheet.columns, lookups, today, seen, filename, expected)
        errors.extend(problems)
        if row is not None:
            parsed.append(row)

    seen_now = {}
    for row in parsed:
        if row.action is not None:
            version, update_id = _state(row.action, lookups)
            seen_now[row.action.ref] = {"version": version, "update_id": update_id}
    summary = ImportSummary(filename=filename, rows=[], expected=seen_now)
    for row in parsed:
        try:
            summary.rows.append(_apply(session, actor, row, today))
        except InvalidInput as exc:
            for name, message in exc.errors.items():
                errors.append(CellError(row.number, FIELD_COLUMNS.get(name, ""), _lower_first(message)))
        except PermissionDenied as exc:
            column = "Subgroup" if row.action is None or can_edit_action(session, actor, row.action) else "Ref"
            errors.append(CellError(row.number, column, _lower_first(str(exc))))
        except (Conflict, NotFound) as exc:
            errors.append(CellError(row.number, "Ref", _lower_first(str(exc))))
        except SQLAlchemyError:
            # The database refused a write the checks let through (e.g. another import at the same moment):
            # the session must be rolled back, so no further row can be tried.
            errors.append(CellError(row.number, "", "this row could not be saved: the plan changed while the "
                                                    "file was being read; upload the file again"))
            raise PlanImportRejected(errors) from None
    if errors:
        errors.sort(key=lambda e: (e.row, HEADINGS.index(e.column) if e.column in HEADINGS else -1))
        raise PlanImportRejected(errors)
    return summary


def _apply(session: Session, actor: Person, row: _Row, today: date) -> RowChange:
    if row.action is None:
        action = actions.create_action(session, actor, row.details)
        if row.update is not None:
            actions.record_status_update(session, actor, action.id, row.update, today)
        return RowChange(row.number, action.ref, action.id, action.title, created=True,
                         update=row.update_words.replace("New update", "First update"))
    action = row.action
    change = RowChange(row.number, action.ref, action.id, row.details.get("title", action.title),
                       changes=row.changes, update=row.update_words)
    if row.details:
        # The version read when the file was checked (equal to the preview's, or it was refused above).
        actions.edit_action(session, actor, action.id, action.version, row.details)
    if row.update is not None:
        actions.record_status_update(session, actor, action.id, row.update, today)
    return change


def preview_import(session: Session, actor: Person | None, content: bytes, today: date,
                   filename: str = "") -> ImportSummary:
    """Check a workbook and say what importing it would do, writing nothing.

    It runs the import through the services in `session` and rolls the session back at the end, so give
    it a session of its own. Raises PlanImportRejected listing every problem, or PermissionDenied.
    """
    try:
        return _run(session, actor, content, today, filename, expected=None)
    finally:
        session.rollback()


def import_plan(session: Session, actor: Person | None, content: bytes, today: date, filename: str = "",
                expected: dict | None = None) -> ImportSummary:
    """Import a workbook: every row, or (PlanImportRejected, PermissionDenied) none.

    Call it inside one unit of work (tracker.db.session_scope): on an exception the caller rolls back,
    and with it every row already applied. `expected` is ImportSummary.expected from the preview the
    user confirmed: an action changed since then is refused as a conflict rather than overwritten.
    """
    summary = _run(session, actor, content, today, filename, expected)
    if summary.writes:
        partnership = session.get(Partnership, actor.partnership_id)
        audit.record(session, actor, "import", partnership, partnership_id=partnership.id,
                     after={"file": summary.filename, "rows": len(summary.rows), "created": summary.created,
                            "changed": summary.changed, "updated": summary.updated},
                     summary=f"Imported the plan from {summary.filename or 'an Excel workbook'}: "
                             f"{summary.words()}")
    session.flush()
    return summary
