"""Running an import: check every row, apply them through the services, and keep all or nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from tracker.models import Partnership, Person
from tracker.services import actions, audit
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tracker.services.excel.columns import FIELD_COLUMNS, HEADINGS, THEIR_REF_HEADING
from tracker.services.excel.lookups import Lookups
from tracker.services.excel.mapping import Layout, SheetView, inspect_workbook, read_mapped
from tracker.services.excel.reader import CellError, PlanImportRejected, Sheet, read_sheet
from tracker.services.excel.remembered import apply_remembered, remember
from tracker.services.excel.rows import ImportSummary, ParsedRow, RowChange, action_state, parse_row
from tracker.services.permissions import can_edit_action, is_admin, led_subgroup_ids

# --- Import: running it ----------------------------------------------------------------------


def require_importer(session: Session, actor: Person | None) -> Person:
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to import the plan.")
    if not (is_admin(actor) or led_subgroup_ids(session, actor)):
        raise PermissionDenied("Only an administrator or a subgroup lead can import the plan.")
    return actor


def may_import(session: Session, actor: Person | None) -> bool:
    try:
        require_importer(session, actor)
    except PermissionDenied:
        return False
    return True


def _lower_first(message: str) -> str:
    # "The due date ..." reads "Row 7, Due: the due date ..."; "RAG ..." keeps its capitals.
    first = message.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or not first.isupper()):
        return message[0].lower() + message[1:]
    return message




def _run(session: Session, actor: Person | None, content: bytes, today: date, filename: str,
         expected: dict | None, layout: Layout | None = None) -> tuple[ImportSummary, Sheet]:
    actor = require_importer(session, actor)
    filename = str(filename or "")[:200]
    sheet = read_sheet(content) if layout is None else read_mapped(content, layout)
    lookups = Lookups(session, actor, today)
    errors: list[CellError] = []
    parsed: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        row, problems = parse_row(number, cells, sheet.columns, lookups, today, seen, filename, expected, sheet)
        errors.extend(problems)
        if row is not None:
            parsed.append(row)
    warnings = list(sheet.notes) + [f"Row {r.number}, {note}" for r in parsed for note in r.notes]
    warnings += _likely_duplicates(lookups, parsed)
    if "progress" not in sheet.columns and any(r.action is None and r.update for r in parsed):
        warnings.append("There is no Progress % column: the first update of each new action records 0% "
                        "(100% when its RAG is Blue)")

    seen_now = {}
    for row in parsed:
        if row.action is not None:
            version, update_id = action_state(row.action, lookups)
            seen_now[row.action.ref] = {"version": version, "update_id": update_id}
    summary = ImportSummary(filename=filename, rows=[], expected=seen_now, warnings=warnings,
                            readings=lookups.readings)
    for row in parsed:
        try:
            summary.rows.append(_apply(session, actor, row, today))
        except InvalidInput as exc:
            for name, message in exc.errors.items():
                errors.append(CellError(row.number, FIELD_COLUMNS.get(name, ""), _lower_first(message)))
        except PermissionDenied as exc:
            column = "Subgroup" if row.action is None or can_edit_action(session, actor, row.action) else (
                THEIR_REF_HEADING if row.matched else "Ref")
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
        # A council's sheet: each problem under the file's own heading ("Target date", not "Due").
        raise PlanImportRejected([CellError(e.row, sheet.labels.get(e.column, e.column), e.message)
                                  for e in errors])
    return summary, sheet


def _likely_duplicates(lookups: Lookups, parsed: list[ParsedRow]) -> list[str]:
    """New rows with the title and subgroup of an action already in the plan, or of an earlier row: most
    often the same sheet imported twice. Said before anything is written; not refused."""
    def key(subgroup_id, title) -> tuple:
        return subgroup_id, " ".join(str(title or "").casefold().split())

    existing = {key(a.subgroup_id, a.title): a.ref for a in lookups.actions.values()}
    in_file: dict[tuple, int] = {}
    found = []
    for row in parsed:
        if row.action is not None:
            continue
        k = key(row.details.get("subgroup_id"), row.details.get("title"))
        if k in existing:
            found.append(f"Row {row.number} looks like a duplicate of {existing[k]} (the same title and subgroup): "
                         "it would be added as a new action. Give it the Ref of the action to change that one "
                         "instead, or delete the row")
        elif k in in_file:
            found.append(f"Row {row.number} has the same title and subgroup as row {in_file[k]}: both would be "
                         "added")
        in_file.setdefault(k, row.number)
    return found


def _apply(session: Session, actor: Person, row: ParsedRow, today: date) -> RowChange:
    if row.action is None:
        action = actions.create_action(session, actor, row.details)
        if row.set_their_ref is not None:
            actions.set_external_ref(session, actor, action.id, action.version, row.set_their_ref)
        if row.update is not None:
            actions.record_status_update(session, actor, action.id, row.update, today)
        return RowChange(row.number, action.ref, action.id, action.title, created=True,
                         update=row.update_words.replace("New update", "First update"), notes=row.notes,
                         their_ref=row.their_ref)
    action = row.action
    change = RowChange(row.number, action.ref, action.id, row.details.get("title", action.title),
                       changes=row.changes, update=row.update_words, notes=row.notes, their_ref=row.their_ref,
                       matched=row.matched)
    if row.set_their_ref is not None:
        # At the version read when the file was checked (equal to the preview's, or refused then); the
        # edit below follows on from the version this one leaves.
        action = actions.set_external_ref(session, actor, action.id, action.version, row.set_their_ref)
    if row.details:
        # The version read when the file was checked (equal to the preview's, or it was refused above).
        # A due date moved by the import is kept in the action's history, with this as its reason.
        actions.edit_action(session, actor, action.id, action.version,
                            row.details | {"due_date_reason": "Changed by an import of the plan from Excel"})
    if row.update is not None:
        actions.record_status_update(session, actor, action.id, row.update, today)
    return change


def inspect_upload(session: Session, actor: Person | None, content: bytes, sheet: str | None = None,
                   header_row: int | None = None) -> SheetView:
    """For the column-choosing step: the workbook's sheets, the header row and the suggested fields
    (excel.mapping.inspect_workbook), for those who may import."""
    actor = require_importer(session, actor)
    return apply_remembered(session, actor, inspect_workbook(content, sheet, header_row))


def preview_import(session: Session, actor: Person | None, content: bytes, today: date,
                   filename: str = "", layout: Layout | None = None) -> ImportSummary:
    """Check a workbook and say what importing it would do, writing nothing.

    It runs the import through the services in `session` and rolls the session back at the end, so give
    it a session of its own. Raises PlanImportRejected listing every problem, or PermissionDenied.
    """
    try:
        return _run(session, actor, content, today, filename, expected=None, layout=layout)[0]
    finally:
        session.rollback()


def import_plan(session: Session, actor: Person | None, content: bytes, today: date, filename: str = "",
                expected: dict | None = None, layout: Layout | None = None) -> ImportSummary:
    """Import a workbook: every row, or (PlanImportRejected, PermissionDenied) none.

    Call it inside one unit of work of its own (tracker.db.session_scope): on an exception the session
    is rolled back, and with it every row already applied. `expected` is ImportSummary.expected from the
    preview the user confirmed: an action changed since then is refused as a conflict rather than
    overwritten.
    """
    try:
        summary, sheet = _run(session, actor, content, today, filename, expected, layout)
    except BaseException:
        # The rows before a refused one were applied already: undo them here too, not only when the
        # caller rolls back, so a caller that commits anyway (or goes on after the refusal) keeps none.
        # (Not a savepoint: on the tests' in-memory SQLite, releasing one commits the whole transaction.)
        session.rollback()
        raise
    if layout is not None:
        remember(session, actor, layout, sheet.headings)
    if summary.writes:
        partnership = session.get(Partnership, actor.partnership_id)
        audit.record(session, actor, "import", partnership, partnership_id=partnership.id,
                     after={"file": summary.filename, "rows": len(summary.rows), "created": summary.created,
                            "changed": summary.changed, "updated": summary.updated}
                     | ({"layout": layout.to_data()} if layout else {}),
                     summary=f"Imported the plan from {summary.filename or 'an Excel workbook'}: "
                             f"{summary.words()}")
    session.flush()
    return summary
