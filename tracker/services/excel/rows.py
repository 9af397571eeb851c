"""What each imported row asks for: the changes to an action's details and the status update to record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tracker.formatting import short_date, status_label
from tracker.models import Action
from tracker.rules.enums import status_goes_back
from tracker.services import plan
from tracker.services.excel.columns import (
    BY_KEY,
    FIELD_COLUMNS,
    STATUS_CHOICES,
    TEXT_KEYS,
    THEIR_REF_HEADING,
    THEIR_REF_LENGTH,
    UPDATE_KEYS,
)
from tracker.services.excel.lookups import Lookups
from tracker.services.excel.reader import (
    Cell,
    CellError,
    DateInWords,
    Sheet,
    cell_date,
    cell_progress,
    cell_text,
    norm,
)

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
    notes: list[str] = field(default_factory=list)  # what was read leniently: "Due: 'Ongoing' read as no date"
    their_ref: str = ""  # the council's own reference given in the row
    matched: bool = False  # the action was found by that reference (a re-import of the council's sheet)

    @property
    def label(self) -> str:
        """What the row does, in the preview's words: "New", "Updates TR-03 (2 changes)" or "No change"."""
        if self.created:
            return "New"
        count = len(self.changes) + bool(self.update)
        return f"Updates {self.ref} ({_n(count, 'change')})" if count else "No change"

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
    # Worth knowing before importing, but no reason to refuse: likely duplicates, rows read leniently,
    # columns not imported, section headings skipped.
    warnings: list[str] = field(default_factory=list)
    # How each distinct value of the RAG, Status and Subgroup columns was read: {"RAG": {"G": "Green"}}.
    readings: dict[str, dict[str, str]] = field(default_factory=dict)

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
    def matched(self) -> int:
        """Rows found in the plan by the council's own reference."""
        return sum(r.matched for r in self.rows)

    @property
    def writes(self) -> bool:
        return any(not r.unchanged for r in self.rows)

    def words(self) -> str:
        return (f"{_n(self.created, 'action')} created, {self.changed} changed, {self.updated} with a new status "
                f"update, {self.unchanged} unchanged")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


@dataclass
class ParsedRow:
    number: int
    action: Action | None
    details: dict  # service field -> value, the details to write (all of them for a new action)
    changes: list[str]
    update: dict | None  # the status update to record, if any
    update_words: str = ""
    notes: list[str] = field(default_factory=list)
    their_ref: str = ""  # the council's reference in the row ("" if none)
    set_their_ref: str | None = None  # the reference to store on the action (None: keep the one it has)
    matched: bool = False  # the action was found by the council's reference


def _shown(key: str, value, lookups: Lookups) -> str:
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
        return short_date(value)
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


def parse_row(number: int, cells: list[Cell], columns: dict[str, int], lookups: Lookups, today: date,
               seen_refs: dict[str, int], filename: str,
               expected: dict | None, sheet: Sheet | None = None) -> tuple[ParsedRow | None, list[CellError]]:
    errors: list[CellError] = []
    notes: list[str] = []
    their_ref = ""
    if sheet is not None and sheet.their_ref is not None and sheet.their_ref < len(cells):
        their_ref = " ".join(cell_text(cells[sheet.their_ref].value).split())

    def cell(key: str) -> Cell:
        i = columns.get(key)
        return cells[i] if i is not None and i < len(cells) else Cell(None)

    def fail(key: str, message: str) -> None:
        errors.append(CellError(number, BY_KEY[key].heading, message))

    ref = cell_text(cell("ref").value)
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
    action, matched, set_ref = _by_their_ref(number, their_ref, action, lookups, seen_refs, errors)
    if errors:
        return None, errors
    if action is not None and expected is not None and action_state(action, lookups) != expected_state(expected, action):
        # Changed since the user checked the file: the row holds what the plan said then, and writing it
        # now could undo the other person's change.
        errors.append(CellError(number, THEIR_REF_HEADING if matched else "Ref", (
            f"{action.ref} was changed by someone else after you checked the file. Nothing was saved: "
            "upload the file again to check it against the plan as it is now")))
        return None, errors
    new = action is None
    plan_row = lookups.rows.get(action.id) if action else None

    values: dict[str, object] = {}
    present = [k for k in columns if BY_KEY[k].importable]
    for key in present:
        raw = cell(key)
        try:
            if key in TEXT_KEYS:
                values[key] = cell_text(raw.value)
            elif key == "subgroup":
                text = cell_text(raw.value)
                if not text:
                    raise ValueError("write the subgroup's name or code: every action belongs to a subgroup")
                values["subgroup_id"] = lookups.subgroup(text)
            elif key == "objective":
                values["objective_id"] = lookups.objective(cell_text(raw.value))
            elif key == "owner":
                values["owner_id"] = lookups.owner(cell_text(raw.value), action.owner_id if action else None)
            elif key in ("start_date", "due_date", "update_date"):
                try:
                    values[key] = cell_date(raw)
                except DateInWords as exc:
                    if sheet is None or not sheet.mapped:
                        raise
                    if not sheet.words_as_blank:
                        raise ValueError(f"{exc}; or choose to leave dates given in words empty, and check the "
                                         "file again") from None
                    values[key] = None
                    notes.append(f"{BY_KEY[key].heading}: {cell_text(raw.value)!r} read as no date")
            elif key == "status":
                text = cell_text(raw.value)
                if not text and not new:
                    raise ValueError(f"write the action's status: {STATUS_CHOICES}")
                values["status"] = lookups.status(text) if text else "not_started"
            elif key == "rag":
                text = cell_text(raw.value)
                if not text and not new:
                    raise ValueError(f"write the current RAG: {', '.join(r.label for r in lookups.scale)}")
                values["rag"] = lookups.rag(text) if text else None
            elif key == "progress":
                values["progress"] = cell_progress(raw)
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
            fail("due_date", f"the due date {short_date(due)} is before the start date {short_date(start)}")
    if errors:
        return None, errors

    if action is not None and "status" in values and status_goes_back(action.status, values["status"]):
        # Most likely the row is older than the tracker: importing it would undo the work recorded since.
        notes.append(f"{action.ref} is {status_label(action.status)} in the tracker but the sheet says "
                     f"{status_label(values['status'])}: the row looks older than the tracker, so it changes "
                     "nothing (an import never moves a status back; to do that, change it on the action's page)")
        return ParsedRow(number, action, {}, [], None, "", notes, their_ref, None, matched), []

    detail_fields = ["subgroup_id", "objective_id", "title", "description", "owner_id", "lead_organisation",
                     "start_date", "due_date", "status"]
    details: dict = {}
    changes: list[str] = []
    if new:
        details = {k: values[k] for k in detail_fields if k in values}
        details["source"] = (f"Imported from {filename}, row {number}" if filename
                             else f"Imported from an Excel workbook, row {number}")[:300]
    else:
        if set_ref is not None:
            changes.append(f"{THEIR_REF_HEADING}: {action.external_ref or '(blank)'} → {set_ref}")
        for name in detail_fields:
            if name not in values:
                continue
            old, wanted = getattr(action, name), values[name]
            same = norm(old) == norm(wanted) if name in TEXT_KEYS else old == wanted
            if not same:
                details[name] = wanted
                heading = FIELD_COLUMNS[name]
                changes.append(f"{heading}: {_shown(name, old, lookups)} → {_shown(name, wanted, lookups)}")

    update, words = _update_for(number, values, action, plan_row, lookups, today, errors)
    if errors:
        return None, errors
    return ParsedRow(number, action, details, changes, update, words, notes, their_ref, set_ref, matched), []


def _by_their_ref(number: int, their_ref: str, action: Action | None, lookups: Lookups, seen_refs: dict[str, int],
                  errors: list[CellError]) -> tuple[Action | None, bool, str | None]:
    """The council's own reference of a row: the action it finds (when the row gives no tracker ref), and
    the reference to keep on the action (None: keep the one it has). Problems go to `errors`."""
    if not their_ref:
        return action, False, None
    if len(their_ref) > THEIR_REF_LENGTH:
        errors.append(CellError(number, THEIR_REF_HEADING, f"{their_ref[:20]!r}... is longer than "
                                f"{THEIR_REF_LENGTH} characters: shorten the reference"))
        return action, False, None
    key = "\x00" + their_ref.casefold()  # kept apart from the tracker's refs in the same record
    if key in seen_refs:
        errors.append(CellError(number, THEIR_REF_HEADING, f"row {seen_refs[key]} has the same reference "
                                f"{their_ref}: each row needs its own, so keep one of the two rows"))
        return action, False, None
    seen_refs[key] = number
    known = lookups.by_their_ref.get(their_ref.casefold())
    if action is None and known is not None:
        if known.ref.upper() in seen_refs:
            errors.append(CellError(number, THEIR_REF_HEADING, f"{their_ref} is the reference of {known.ref}, "
                                    f"which row {seen_refs[known.ref.upper()]} also changes: keep one of the two"))
            return None, False, None
        seen_refs[known.ref.upper()] = number
        return known, True, None
    if action is not None and known is not None and known.id != action.id:
        errors.append(CellError(number, THEIR_REF_HEADING, f"{their_ref} is already the reference of {known.ref}, "
                                f"not of {action.ref}: correct the Ref or the reference"))
        return action, False, None
    if action is None:
        return None, False, their_ref  # a new action, given the reference
    same = (action.external_ref or "").casefold() == their_ref.casefold()
    return action, False, None if same else their_ref


def _update_for(number: int, values: dict, action: Action | None, plan_row: plan.ActionRow | None,
                lookups: Lookups, today: date, errors: list[CellError]) -> tuple[dict | None, str]:
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
    if action is None and "progress" not in values:
        # A sheet with no Progress % column: a first update needs a figure; Blue is done, anything else
        # is counted from 0 (the importer says so with the preview).
        wanted["progress"] = 100 if wanted["rag"] == "blue" else 0
    if action is not None and all(
        (norm(wanted[k]) == norm(current[k])) if k in TEXT_KEYS else wanted[k] == current[k] for k in UPDATE_KEYS
    ):
        return None, ""
    given = values.get("update_date")
    last = latest.update_date if latest else None
    if given is None or (last is not None and given == last):
        when = today
    elif last is not None and given < last:
        errors.append(CellError(number, "Last update", (
            f"{short_date(given)} is before the latest update of {action.ref}, on {short_date(last)}: give a later date for "
            "the new update, or leave the date as it was to date it today")))
        return None, ""
    else:
        when = given
    data = {"update_date": when, "rag": wanted["rag"] or "", "progress": wanted["progress"],
            "narrative": wanted["narrative"], "next_steps": wanted["next_steps"], "blockers": wanted["blockers"]}
    label = lookups.rag_labels.get(wanted["rag"], "no RAG")
    progress = "" if wanted["progress"] is None else f", {wanted['progress']}%"
    return data, f"New update: {label}{progress}, dated {short_date(when)}"



def _int_or_none(value) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an infinity sent back as a version
        return None


def action_state(action: Action, lookups: Lookups) -> tuple[int, int | None]:
    latest = lookups.latest.get(action.id)
    return action.version, latest.id if latest else None


def expected_state(expected: dict, action: Action) -> tuple[int | None, int | None] | None:
    seen = expected.get(action.ref) if isinstance(expected, dict) else None
    if not isinstance(seen, dict):
        return None
    return _int_or_none(seen.get("version")), _int_or_none(seen.get("update_id"))
