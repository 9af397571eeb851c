"""The blank import template: the Plan sheet's headings with a notes row, and a Lists sheet of the
allowed values (for those who may import: it lists the partnership's people and their email addresses)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlmodel import Session

from tracker.formatting import status_label
from tracker.models import ACTION_STATUSES, Partnership, Person
from tracker.services import reference
from tracker.services.excel.columns import BY_KEY, HEADINGS, MAX_ROWS, PLAN_COLUMNS, STATUS_CHOICES, ExcelFile
from tracker.services.excel.importer import require_importer
from tracker.services.excel.sheets import NOTES_FILL, header, put, save_workbook

# --- The blank template ----------------------------------------------------------------------


def template_filename(partnership: Partnership) -> str:
    return f"{partnership.slug}-delivery-plan-template.xlsx"


def template_workbook(session: Session, actor: Person | None) -> ExcelFile:
    """A blank Plan sheet with the headings and a notes row, and a Lists sheet of the allowed values.
    For those who may import (it lists the partnership's people and their email addresses)."""
    actor = require_importer(session, actor)
    pid = actor.partnership_id
    partnership = reference.get_partnership(session, pid)
    scale = reference.rag_scale(session, pid)
    rags = ", ".join(r.label for r in scale)
    wb = Workbook()
    wb.properties.title = f"{partnership.name}: delivery plan import template"
    ws = wb.active
    ws.title = "Plan"
    header(ws, 1, HEADINGS, [c.width for c in PLAN_COLUMNS])
    for c, column in enumerate(PLAN_COLUMNS, start=1):
        cell = put(ws, 2, c, column.note.format(rags=rags), wrap=True)
        cell.fill = NOTES_FILL
        cell.font = Font(italic=True, size=9)
    ws.row_dimensions[2].height = 150
    ws.freeze_panes = "B3"

    lists = wb.create_sheet("Lists")
    subgroups = reference.subgroups(session, pid)
    objectives = reference.objectives(session, pid, current_only=True)  # a retired one is not offered
    people = reference.people(session, pid)
    blocks = [
        ("Subgroup code", [s.code for s in subgroups]), ("Subgroup name", [s.name for s in subgroups]),
        ("Objective code", [o.code for o in objectives]), ("Objective", [o.title for o in objectives]),
        ("Owner email", [p.email for p in people]), ("Owner name", [p.name for p in people]),
        ("Status", [status_label(s) for s in ACTION_STATUSES]), ("RAG", [r.label for r in scale]),
    ]
    header(lists, 1, [b[0] for b in blocks], [14, 40, 14, 60, 34, 26, 14, 12])
    for c, (_, values) in enumerate(blocks, start=1):
        for r, value in enumerate(values, start=2):
            put(lists, r, c, value)
    lists.freeze_panes = "A2"

    # Pick lists for the columns with a fixed set of values (typing a value is still allowed).
    def choose(column_key: str, source: str, what: str) -> None:
        letter = get_column_letter(HEADINGS.index(BY_KEY[column_key].heading) + 1)
        rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False,
                              promptTitle=BY_KEY[column_key].heading, prompt=what, showInputMessage=True)
        rule.add(f"{letter}3:{letter}{MAX_ROWS + 2}")
        ws.add_data_validation(rule)

    def lists_range(index: int, count: int) -> str:
        letter = get_column_letter(index)
        return f"Lists!${letter}$2:${letter}${max(count, 1) + 1}"

    choose("subgroup", lists_range(2, len(subgroups)), "A subgroup's name (or its code)")
    choose("status", lists_range(7, len(ACTION_STATUSES)), STATUS_CHOICES)
    choose("rag", lists_range(8, len(scale)), rags)
    return ExcelFile(template_filename(partnership), save_workbook(wb))
