"""The delivery plan in Excel: export it, hand out a blank template, and import a workbook back.

Export (anyone signed in): a workbook of the plan as it stands, with four sheets.
- "Plan": one row per action (PLAN_COLUMNS); dates are real Excel dates shown dd/mm/yyyy; the header
  row is frozen and filtered; each RAG cell holds its word and is filled with the partnership's colour.
- "Updates": the status updates of those actions dated in the last 12 months, oldest first within each
  action, with its author; its first row says how many earlier updates it leaves out.
- "Summary": headline figures, counts by theme x RAG and subgroup x RAG, and the exceptions: the
  overview's own figures (tracker.services.plan.overview), so cancelled actions are left out as there.
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

- columns: the Plan sheet's columns and the limits; sheets: writing cells
- export: the four-sheet workbook (streamed: written row by row); template: the blank template
- reader: the uploaded file and its cells; lookups: the names a row may use
- rows: what each row asks for; importer: checking and applying every row, all or nothing
- mapping: a council's own sheet: the sheet, the header row and the column of each field (guessed from
  the headings, confirmed by the officer), read as the template's rows are; values such as G/A/R/C,
  "Mar-27" (the month's end) and "Ongoing" (no date, if the officer says so) are read there and in rows
- the council's own reference (their_ref) is kept as Action.external_ref, unique in the partnership: a
  re-import of the sheet finds each action by it (rows: "New", "Updates TR-03 (2 changes)", "No change")
- remembered: the layout of a successful import, kept per partnership under a fingerprint of the sheet's
  headings, pre-fills the column-choosing step the next time the same headings are uploaded
"""

from tracker.services.excel.columns import (
    HEADINGS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    NOTES_PREFIX,
    PLAN_COLUMNS,
    XLSX_MIME,
    Column,
    ExcelFile,
)
from tracker.services.excel.export import export_filename, export_plan, filter_words
from tracker.services.excel.importer import import_plan, inspect_upload, may_import, preview_import
from tracker.services.excel.mapping import FIELDS, REQUIRED, Layout, SheetView
from tracker.services.excel.reader import CellError, PlanImportRejected
from tracker.services.excel.remembered import REMEMBERED_NOTE
from tracker.services.excel.rows import ImportSummary, RowChange
from tracker.services.excel.template import template_filename, template_workbook

__all__ = [
    "HEADINGS", "MAX_ROWS", "MAX_UPLOAD_BYTES", "NOTES_PREFIX", "PLAN_COLUMNS", "XLSX_MIME", "CellError", "Column",
    "ExcelFile", "FIELDS", "REQUIRED", "ImportSummary", "Layout", "SheetView", "inspect_upload", "PlanImportRejected", "RowChange", "export_filename", "export_plan",
    "filter_words", "REMEMBERED_NOTE", "import_plan", "may_import", "preview_import", "template_filename", "template_workbook",
]
