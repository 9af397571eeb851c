"""The columns of the Plan sheet (export, template and import share them), and the workbook limits."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.formatting import status_label
from tracker.models import ACTION_STATUSES

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
MAX_UPLOAD_BYTES = 5_000_000
MAX_UNZIPPED_BYTES = 60_000_000  # a workbook is a zip: refuse one that would unpack to far more
MAX_ROWS = 2_000
MAX_COLUMNS = 60
NOTES_PREFIX = "Notes (this row is ignored on import)"
# A council's own reference for an action (excel.mapping's their_ref, kept as Action.external_ref): the
# heading messages give it (the file's own heading replaces it) and its longest length.
THEIR_REF_HEADING = "Your reference"
THEIR_REF_LENGTH = 40


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
BY_KEY = {c.key: c for c in PLAN_COLUMNS}
REQUIRED_KEYS = ("ref", "subgroup", "title")
UPDATE_KEYS = ("rag", "progress", "narrative", "next_steps", "blockers")
TEXT_KEYS = ("title", "description", "lead_organisation", "narrative", "next_steps", "blockers")

# The services name fields; the user sees the column headings.
FIELD_COLUMNS = {
    "subgroup_id": "Subgroup", "objective_id": "Objective", "title": "Title", "description": "Description",
    "owner_id": "Owner", "lead_organisation": "Lead organisation", "start_date": "Start", "due_date": "Due",
    "status": "Status", "rag": "RAG", "progress": "Progress %", "update_date": "Last update",
    "narrative": "Latest narrative", "next_steps": "Next steps", "blockers": "Blockers",
    "external_ref": THEIR_REF_HEADING,
}

STATUS_WORDS = {
    "notstarted": "not_started", "notyetstarted": "not_started", "inprogress": "in_progress",
    "underway": "in_progress", "ongoing": "in_progress", "started": "in_progress", "complete": "complete",
    "done": "complete", "completed": "complete", "cancelled": "cancelled",
    "canceled": "cancelled",
}
STATUS_CHOICES = ", ".join(status_label(s) for s in ACTION_STATUSES)


@dataclass(frozen=True)
class ExcelFile:
    filename: str
    content: bytes
    media_type: str = XLSX_MIME
