"""tracker.services.excel: the plan exported to Excel, the blank template, and the import of a workbook
(every kind of error, all or nothing, permissions per row, the round trip).

Workbooks are built here with openpyxl, from the export itself or from scratch: no binary fixtures.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tests.factories import build_world
from tracker.db import session_scope
from tracker.models import Action, AuditEvent, Person, RagLevel, StatusUpdate, Subgroup
from tracker.services import action_views, actions, excel, plan, reference
from tracker.services.errors import PermissionDenied

# --- Helpers ---------------------------------------------------------------------------------


def exported(session: Session, actor: Person, plan_filter=None) -> Workbook:
    return load_workbook(io.BytesIO(excel.export_plan(session, actor, TODAY, plan_filter).content))


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def column(heading: str) -> int:
    return excel.HEADINGS.index(heading) + 1


def row_of(ws, ref: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == ref:
            return r
    raise AssertionError(f"no row for {ref}")


def values_of(ws, ref: str) -> dict:
    r = row_of(ws, ref)
    return {h: ws.cell(row=r, column=i).value for i, h in enumerate(excel.HEADINGS, start=1)}


def set_cell(ws, ref: str, heading: str, value) -> int:
    r = row_of(ws, ref)
    ws.cell(row=r, column=column(heading)).value = value
    return r


def add_row(ws, **by_heading) -> int:
    r = ws.max_row + 1
    for heading, value in by_heading.items():
        ws.cell(row=r, column=column(heading.replace("_", " ")), value=value)
    return r


def sheet_of(rows: list[dict], headings=tuple(excel.HEADINGS)) -> bytes:
    """A workbook from scratch: a Plan sheet with these headings and rows (by heading)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(list(headings))
    for row in rows:
        ws.append([row.get(h) for h in headings])
    return to_bytes(wb)


def rejected(session: Session, actor: Person, content: bytes) -> list[str]:
    """Preview the file expecting it to be refused; every problem as "Row n, Column: message"."""
    with pytest.raises(excel.PlanImportRejected) as caught:
        excel.preview_import(session, actor, content, TODAY, "plan.xlsx")
    return [str(e) for e in caught.value.errors]


def snapshot(engine: Engine) -> dict:
    """Everything an import may touch: every action's columns, every update, the audit trail's size."""
    with Session(engine) as s:
        return {
            "actions": {a.ref: a.model_dump(exclude={"updated_at"}) for a in s.exec(select(Action))},
            "updates": sorted((u.action_id, u.update_date, u.rag, u.progress, u.narrative)
                              for u in s.exec(select(StatusUpdate))),
            "audit": s.exec(select(func.count()).select_from(AuditEvent)).one(),
        }


def by_ref(session: Session, ref: str) -> Action:
    return session.exec(select(Action).where(Action.ref == ref)).one()


# --- Export ----------------------------------------------------------------------------------


def test_export_has_four_sheets_and_a_dated_file_name(session, admin):
    file = excel.export_plan(session, admin, TODAY)
    assert file.filename == "northamptonshire-delivery-plan-2026-11-23.xlsx"
    assert file.media_type == excel.XLSX_MIME
    wb = load_workbook(io.BytesIO(file.content))
    assert wb.sheetnames == ["Plan", "Updates", "Summary", "RAG key"]


def test_plan_sheet_headings_are_frozen_filtered_and_sized(session, admin):
    ws = exported(session, admin)["Plan"]
    assert [c.value for c in ws[1]] == [
        "Ref", "Theme", "Objective", "Subgroup", "Title", "Description", "Owner", "Lead organisation", "Start",
        "Due", "Status", "RAG", "Progress %", "Last update", "Latest narrative", "Next steps", "Blockers",
        "Exceptions"]
    assert ws.freeze_panes == "B2"  # the heading row (and the refs) stay in view
    actions_count = session.exec(select(func.count()).select_from(Action)).one()
    assert ws.auto_filter.ref == f"A1:R{actions_count + 1}"
    assert ws.max_row == actions_count + 1  # every action, cancelled ones included
    # Excel stores a width with the padding of its cells (45 characters are 45.71); it shows 45
    assert [int(ws.column_dimensions[c].width) for c in "AE"] == [10, 45]
    assert all(c.font.bold for c in ws[1])


def test_the_sheets_print_on_a4_landscape_one_page_wide_with_their_headings_on_every_page(session, admin):
    wb = exported(session, admin)
    for name, headings in (("Plan", "$1:$1"), ("Updates", "$2:$2"), ("Summary", None)):
        ws = wb[name]
        assert (ws.page_setup.orientation, int(ws.page_setup.paperSize)) == ("landscape", 9), name  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0, name
        assert ws.print_title_rows == headings, name


def test_a_known_actions_row(session, admin):
    ws = exported(session, admin)["Plan"]
    row = values_of(ws, "TR-01")
    assert row["Theme"] == "2. Delivering a world-class treatment and recovery system"
    assert row["Objective"].startswith("T2.2 ")
    assert row["Subgroup"] == "Treatment and Recovery Subgroup"
    assert row["Title"] == "Align all drug and alcohol contracts to end on 31 March 2026"
    assert row["Description"].startswith("Use the extension option in the adult structured treatment contract")
    assert row["Owner"] == "Daniel Okafor"
    assert row["Lead organisation"] == "West Northamptonshire Council"
    assert row["Start"] == datetime(2023, 8, 16)
    assert row["Due"] == datetime(2024, 3, 31)
    assert row["Status"] == "Complete"
    assert row["RAG"] == "Blue"
    assert row["Progress %"] == 100
    assert row["Last update"] == datetime(2024, 3, 12)
    assert row["Latest narrative"].startswith("Complete: the Health Scrutiny Committee report of 12 March 2024")
    assert row["Next steps"].startswith("Design and mobilise the service model")
    assert row["Exceptions"] in (None, "")

    red = values_of(ws, "TR-05")  # red, and worse than its previous update
    assert red["RAG"] == "Red" and red["Exceptions"] == "Red, Deteriorating"
    assert values_of(ws, "SUP-04")["Status"] == "Cancelled"


def test_date_cells_are_real_dates_shown_day_first(session, admin):
    ws = exported(session, admin)["Plan"]
    seen = 0
    for heading in ("Start", "Due", "Last update"):
        for r in range(2, ws.max_row + 1):
            cell = ws.cell(row=r, column=column(heading))
            if cell.value is None:
                continue
            seen += 1
            assert cell.is_date and isinstance(cell.value, datetime), (heading, r, cell.value)
            assert cell.number_format == "dd/mm/yyyy"
    assert seen > 100
    updates = exported(session, admin)["Updates"]
    first = updates.cell(row=3, column=4)  # under the note and the headings
    assert first.is_date and first.number_format == "dd/mm/yyyy"


def test_rag_cells_hold_the_word_and_the_partnerships_colour(session, admin, partnership):
    levels = {r.label: r for r in session.exec(select(RagLevel).where(RagLevel.partnership_id == partnership.id))}
    ws = exported(session, admin)["Plan"]
    words = set()
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(row=r, column=column("RAG"))
        assert cell.value in levels, cell.value  # the word, never colour alone
        level = levels[cell.value]
        assert cell.fill.fgColor.rgb[-6:] == level.colour.lstrip("#").upper()
        assert cell.font.color.rgb[-6:] == level.text_colour.lstrip("#").upper()
        words.add(cell.value)
    assert {"Green", "Amber", "Red", "Blue", "Grey"} <= words


def test_updates_sheet_has_the_last_years_updates_with_their_authors(session, admin):
    ws = exported(session, admin)["Updates"]
    assert [c.value for c in ws[2]] == ["Ref", "Action", "Subgroup", "Update date", "RAG", "Progress %",
                                        "Narrative", "Next steps", "Blockers", "Author"]
    assert ws.freeze_panes == "B3" and ws.auto_filter.ref == f"A2:J{ws.max_row}"
    since = date(2025, 11, 23)  # a year before TODAY
    dates = [u.update_date for u in session.exec(select(StatusUpdate))]
    recent = [d for d in dates if d > since]
    assert 0 < len(recent) < len(dates)  # the seed has two updates older than a year (TR-01's of 2024...)
    assert ws.max_row - 2 == len(recent)
    assert all(c.value > datetime(2025, 11, 23) for c in ws["D"][2:])
    tr03 = [[c.value for c in row] for row in ws.iter_rows(min_row=3) if row[0].value == "TR-03"]
    assert [r[3] for r in tr03] == sorted(r[3] for r in tr03)  # oldest first
    assert tr03[-1][4] == "Amber" and tr03[-1][5] == 50 and tr03[-1][9] == "Sophie Brennan"
    assert tr03[-1][8] == "Recruitment to the second outreach post."


def test_updates_sheet_says_which_updates_it_has_and_how_many_it_leaves_out(session, admin):
    note = exported(session, admin)["Updates"]["A1"].value
    older = len(dates := [u.update_date for u in session.exec(select(StatusUpdate))]) - sum(
        d > date(2025, 11, 23) for d in dates)
    assert note.startswith("The status updates of the last 12 months (dated after 23/11/2025)")
    assert f"{older} earlier updates are left out" in note
    assert "the Plan sheet has every action's latest update" in note
    # the latest update of an action last updated before then is still on the Plan sheet
    plan_sheet = exported(session, admin)["Plan"]
    assert values_of(plan_sheet, "TR-01")["Latest narrative"].startswith("Complete: the Health Scrutiny")
    assert excel.export.updates_note(date(2025, 11, 23), 3, 0).endswith(": 3, and there are no earlier ones.")
    assert excel.export.updates_since(date(2028, 2, 29)) == date(2027, 2, 28)


def summary_cells(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def count_table(cells: list[list], first: str) -> dict[str, list]:
    """A RAG count table of the Summary sheet: {row name: [Green, Amber, Red, Blue, Grey, Total]}."""
    start = next(i for i, row in enumerate(cells) if row[0] == first and row[1] == "Green")
    out = {}
    for row in cells[start + 1:]:
        if row[0] is None:
            break
        out[row[0]] = row[1:7]
    return out


def test_summary_sheet_counts_agree_with_the_overview(session, admin, partnership):
    ws = exported(session, admin)["Summary"]
    summary = plan.overview(session, partnership.id, TODAY)  # the figures the overview page shows
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[0][0] == "Northamptonshire Combating Drugs Partnership: delivery plan summary"
    assert "As at 23/11/2026" in cells[1][0]
    labels = {row[0]: row[1] for row in cells if row and row[0]}
    assert labels["Actions"] == summary.total and labels["Red"] == summary.red
    assert labels["Overdue"] == summary.overdue

    def table(first: str) -> dict[str, list]:
        return count_table(cells, first)

    scale = [r.label for r in reference.rag_scale(session, partnership.id)]
    assert scale == ["Green", "Amber", "Red", "Blue", "Grey"]
    themes = table("Theme")
    for name, counts in summary.by_theme.items():
        assert themes[name] == [counts.get(c, 0) for c in ("green", "amber", "red", "blue", "grey")] + [
            sum(counts.values())]
    assert themes["Total"][-1] == summary.total
    subgroups = table("Subgroup")
    assert subgroups["Treatment and Recovery Subgroup"][-1] == summary.by_subgroup[
        "Treatment and Recovery Subgroup"].total()
    heading = next(i for i, row in enumerate(cells) if str(row[0]).startswith("Exceptions ("))
    assert cells[heading][0] == f"Exceptions ({len(summary.exceptions)})"
    listed = [row[0] for row in cells[heading + 2: heading + 2 + len(summary.exceptions)]]
    assert listed == [r.ref for r in summary.exceptions]
    # the exceptions' RAG cells are filled too
    rag_cell = ws.cell(row=heading + 3, column=6)
    assert rag_cell.value == "Red" and rag_cell.fill.fgColor.rgb[-6:] == "D4351C"


def test_the_summary_counts_what_the_overview_counts_and_leaves_out_the_cancelled_sup_04(session, admin,
                                                                                       partnership):
    """The overview shows 45 actions of the seed; the export's Summary used to show 46, counting the
    cancelled SUP-04 (whose last update is Green) as Green. Both now come from the overview's service."""
    wb = exported(session, admin)
    overview = plan.overview(session, partnership.id, TODAY)
    sup_04 = plan.plan_row(session, partnership.id, by_ref(session, "SUP-04").id, TODAY)
    assert sup_04.status == "cancelled" and sup_04.rag == "green"  # what the old Summary counted
    assert overview.total == 45
    plan_refs = [c.value for c in wb["Plan"]["A"][1:]]
    assert "SUP-04" in plan_refs and len(plan_refs) == 46  # the Plan sheet still lists every action

    cells = summary_cells(wb["Summary"])
    labels = {row[0]: row[1] for row in cells if row and row[0]}
    assert labels["Actions"] == overview.total == 45
    assert labels["Red"] == overview.red
    codes = ("green", "amber", "red", "blue", "grey")
    per_rag = [overview.by_rag.get(c, 0) for c in codes] + [overview.total]
    assert sum(per_rag[:-1]) == 45
    assert count_table(cells, "Theme")["Total"] == per_rag
    assert count_table(cells, "Subgroup")["Total"] == per_rag
    supply = count_table(cells, "Subgroup")["Supply and Enforcement Subgroup"]
    assert supply == [overview.by_subgroup["Supply and Enforcement Subgroup"].get(c, 0) for c in codes] + [
        overview.by_subgroup["Supply and Enforcement Subgroup"].total()]
    assert "cancelled actions are left out" in cells[1][0]


def test_rag_key_sheet_has_the_partnerships_definitions(session, admin, partnership):
    ws = exported(session, admin)["RAG key"]
    rows = {row[0].value: row[2].value for row in ws.iter_rows(min_row=4, max_row=8)}
    for level in session.exec(select(RagLevel).where(RagLevel.partnership_id == partnership.id)):
        assert rows[level.label] == level.definition
    assert ws.cell(row=4, column=1).fill.fgColor.rgb[-6:] == "00703C"


def test_export_respects_the_overviews_filters(session, admin, partnership):
    tr = session.exec(select(Subgroup).where(Subgroup.code == "SUP")).one()
    wb = exported(session, admin, plan.PlanFilter(subgroup_id=tr.id))
    refs = [c.value for c in wb["Plan"]["A"][1:]]
    assert refs and all(r.startswith("SUP-") for r in refs)
    assert "SUP-04" not in refs  # cancelled actions are left out, as on the overview
    assert {c.value for c in wb["Updates"]["A"][2:]} <= set(refs)
    assert "Filtered to subgroup Supply and Enforcement Subgroup" in wb["Summary"]["A2"].value


def test_anyone_signed_in_may_export_but_not_the_signed_out(session, viewer):
    assert excel.export_plan(session, viewer, TODAY).content[:2] == b"PK"
    with pytest.raises(PermissionDenied):
        excel.export_plan(session, None, TODAY)


def test_text_that_looks_like_a_formula_stays_text(session, admin):
    action = by_ref(session, "TR-03")
    action.title = '=HYPERLINK("http://evil.example","click")'
    session.add(action)
    session.flush()
    content = excel.export_plan(session, admin, TODAY).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "HYPERLINK" in xml
    ws = load_workbook(io.BytesIO(content))["Plan"]
    assert values_of(ws, "TR-03")["Title"].startswith("=HYPERLINK")
    assert ws.cell(row=row_of(ws, "TR-03"), column=column("Title")).data_type == "s"


# --- The template ----------------------------------------------------------------------------


def test_template_has_the_headings_a_notes_row_and_the_allowed_values(session, admin):
    file = excel.template_workbook(session, admin)
    assert file.filename == "northamptonshire-delivery-plan-template.xlsx"
    wb = load_workbook(io.BytesIO(file.content))
    ws = wb["Plan"]
    assert [c.value for c in ws[1]] == excel.HEADINGS
    notes = [c.value for c in ws[2]]
    assert all(notes) and notes[0].startswith(excel.NOTES_PREFIX)
    assert "Green, Amber, Red, Blue, Grey" in notes[column("RAG") - 1]
    assert "dd/mm/yyyy" in notes[column("Due") - 1]
    assert "ignored on import" in notes[column("Theme") - 1]
    assert ws.max_row == 2
    lists = wb["Lists"]
    header = [c.value for c in lists[1]]
    codes = [c.value for c in lists["A"][1:] if c.value]
    assert header[:2] == ["Subgroup code", "Subgroup name"] and "TR" in codes
    emails = [c.value for c in lists[get_column_letter(header.index("Owner email") + 1)][1:] if c.value]
    assert DEMO_EMAILS["owner"] in emails
    validated = {str(v.sqref).split(":")[0] for v in ws.data_validations.dataValidation}
    assert {"D3", "K3", "L3"} <= validated  # pick lists for Subgroup, Status and RAG


def test_template_is_for_those_who_may_import(session, lead, viewer, owner):
    assert excel.template_workbook(session, lead).content[:2] == b"PK"
    for person in (viewer, owner, None):
        with pytest.raises(PermissionDenied):
            excel.template_workbook(session, person)


def test_the_blank_template_has_no_rows_to_import(session, admin):
    content = excel.template_workbook(session, admin).content
    assert rejected(session, admin, content) == ["The Plan sheet has headings but no rows of actions."]


def test_a_filled_in_template_adds_actions(engine):
    with session_scope(engine) as s:
        admin = person_by_email(s, DEMO_EMAILS["admin"])
        wb = load_workbook(io.BytesIO(excel.template_workbook(s, admin).content))
    ws = wb["Plan"]
    ws.append(["", "", "T2.1", "TR", "Peer mentors in every treatment hub", "Recruit and train peer mentors.",
               DEMO_EMAILS["owner"], "Change Grow Live", "01/12/2026", date(2027, 6, 30), "", "", "", "", "",
               "", "", ""])
    ws.append(["", "", "", "Supply and Enforcement Subgroup", "Closure orders for cuckooed homes", "", "Mark Fenwick",
               "", "", "", "In progress", "Green", 10, "", "Protocol drafted.", "", "", ""])
    with session_scope(engine) as s:
        admin = person_by_email(s, DEMO_EMAILS["admin"])
        summary = excel.import_plan(s, admin, to_bytes(wb), TODAY, "filled.xlsx")
    assert (summary.created, summary.changed, summary.updated, summary.unchanged) == (2, 0, 0, 0)
    with Session(engine) as s:
        mentors = s.exec(select(Action).where(Action.title == "Peer mentors in every treatment hub")).one()
        assert mentors.ref == "TR-14" and mentors.status == "not_started"
        assert mentors.start_date == date(2026, 12, 1) and mentors.due_date == date(2027, 6, 30)
        assert mentors.owner_id == person_by_email(s, DEMO_EMAILS["owner"]).id
        assert mentors.source == "Imported from filled.xlsx, row 3"
        assert s.exec(select(StatusUpdate).where(StatusUpdate.action_id == mentors.id)).all() == []
        closures = s.exec(select(Action).where(Action.title == "Closure orders for cuckooed homes")).one()
        assert closures.ref.startswith("SUP-") and closures.status == "in_progress"
        first = s.exec(select(StatusUpdate).where(StatusUpdate.action_id == closures.id)).one()
        assert (first.rag, first.progress, first.narrative, first.update_date) == (
            "green", 10, "Protocol drafted.", TODAY)


# --- Import: the round trip ------------------------------------------------------------------


def test_export_then_import_unchanged_changes_nothing(engine):
    with session_scope(engine) as s:
        content = excel.export_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), TODAY).content
    before = snapshot(engine)
    with session_scope(engine) as s:
        summary = excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), content, TODAY, "plan.xlsx")
    assert not summary.writes
    assert (summary.created, summary.changed, summary.updated) == (0, 0, 0)
    assert summary.unchanged == len(before["actions"])
    assert snapshot(engine) == before  # not even an audit event


def test_a_lead_may_import_the_whole_export_unchanged(session, lead):
    # Rows of other subgroups are refused only when they would change something.
    content = excel.export_plan(session, lead, TODAY).content
    summary = excel.preview_import(session, lead, content, TODAY, "plan.xlsx")
    assert not summary.writes


def test_export_edit_one_cell_import_changes_exactly_that(engine):
    with session_scope(engine) as s:
        wb = exported(s, person_by_email(s, DEMO_EMAILS["admin"]))
    set_cell(wb["Plan"], "TR-03", "Due", "30/06/2027")  # typed as text, the UK way
    before = snapshot(engine)
    with session_scope(engine) as s:
        admin = person_by_email(s, DEMO_EMAILS["admin"])
        preview = excel.preview_import(s, admin, to_bytes(wb), TODAY, "plan.xlsx")
    assert (preview.created, preview.changed, preview.updated) == (0, 1, 0)
    change = next(r for r in preview.rows if not r.unchanged)
    assert change.ref == "TR-03" and change.changes == ["Due: 31/03/2027 → 30/06/2027"]
    assert snapshot(engine) == before  # the preview wrote nothing

    with session_scope(engine) as s:
        excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), to_bytes(wb), TODAY, "plan.xlsx",
                          expected=preview.expected)
    after = snapshot(engine)
    old, new = before["actions"].pop("TR-03"), after["actions"].pop("TR-03")
    assert after["actions"] == before["actions"] and after["updates"] == before["updates"]
    assert {k for k in old if old[k] != new[k]} == {"due_date", "version", "updated_by_id"}
    assert new["due_date"] == date(2027, 6, 30) and new["version"] == old["version"] + 1
    with Session(engine) as s:
        events = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(3)).all()
    imported, edited, moved = events
    # The moved due date is kept in the action's history, with the import as its reason.
    assert after["audit"] == before["audit"] + 3
    assert moved.entity_type == "DueDateChange" and "import of the plan from Excel" in moved.summary
    assert edited.verb == "update" and edited.entity_type == "Action" and edited.actor_name == "Priya Natarajan"
    assert json.loads(edited.before) == {"due_date": "2027-03-31"}
    assert json.loads(edited.after) == {"due_date": "2027-06-30"}
    assert imported.verb == "import" and "plan.xlsx" in imported.summary and "1 changed" in imported.summary


def test_changed_rag_and_narrative_record_a_status_update(engine):
    with session_scope(engine) as s:
        wb = exported(s, person_by_email(s, DEMO_EMAILS["admin"]))
    ws = wb["Plan"]
    set_cell(ws, "TR-04", "RAG", "Red")
    set_cell(ws, "TR-04", "Latest narrative", "The provider has withdrawn: the board must decide.")
    set_cell(ws, "TR-06", "Progress %", 80)
    set_cell(ws, "TR-06", "Last update", date(2026, 11, 20))  # after its last update: the date is used
    with session_scope(engine) as s:
        admin = person_by_email(s, DEMO_EMAILS["admin"])
        summary = excel.import_plan(s, admin, to_bytes(wb), TODAY, "plan.xlsx")
        assert (summary.created, summary.changed, summary.updated) == (0, 0, 2)
    with Session(engine) as s:
        admin = person_by_email(s, DEMO_EMAILS["admin"])
        tr04 = action_views.history(s, by_ref(s, "TR-04").id)
        assert (tr04[0].update.rag, tr04[0].update.update_date, tr04[0].author) == ("red", TODAY, "Priya Natarajan")
        assert tr04[0].update.narrative == "The provider has withdrawn: the board must decide."
        assert tr04[0].update.progress == tr04[1].update.progress  # the columns not changed carry over
        assert tr04[0].update.next_steps == tr04[1].update.next_steps
        tr06 = action_views.history(s, by_ref(s, "TR-06").id)
        assert (tr06[0].update.progress, tr06[0].update.update_date) == (80, date(2026, 11, 20))
        events = s.exec(select(AuditEvent).where(AuditEvent.entity_type == "StatusUpdate")
                        .order_by(AuditEvent.id.desc())).all()
        assert events[0].actor_id == admin.id and "TR-06" in events[0].summary
        assert "TR-04" in events[1].summary


# --- Import: each kind of error --------------------------------------------------------------


def test_due_before_start_names_the_row_the_column_and_both_dates(session, admin):
    wb = exported(session, admin)
    r = set_cell(wb["Plan"], "TR-03", "Start", "01/03/2026")
    set_cell(wb["Plan"], "TR-03", "Due", "01/02/2026")
    assert rejected(session, admin, to_bytes(wb)) == [
        f"Row {r}, Due: the due date 01/02/2026 is before the start date 01/03/2026"]


@pytest.mark.parametrize(("typed", "expected"), [
    ("31/02/2026", "31/02/2026 is not a real date"),
    ("03/31/2026", "03/31/2026 is not a real date: dates are day first"),
    ("01/03/26", "01/03/26: write the year in full"),
    ("next week", "'next week' is not a date: write it as dd/mm/yyyy"),
    ("01/03/0226", "the year 226 looks wrong"),
])
def test_dates_typed_as_text_are_read_the_uk_way_or_refused(session, admin, typed, expected):
    wb = exported(session, admin)
    r = set_cell(wb["Plan"], "TR-03", "Start", typed)
    problems = rejected(session, admin, to_bytes(wb))
    assert len(problems) == 1 and problems[0].startswith(f"Row {r}, Start: ") and expected in problems[0]


@pytest.mark.parametrize("typed", ["05/01/2026", "5/1/2026", "05.01.2026", "2026-01-05", "5 January 2026",
                                   datetime(2026, 1, 5), 46027])
def test_the_same_date_in_any_accepted_form_is_unchanged(session, admin, typed):
    # TR-03 starts on 05/01/2026: however the cell gives that date, nothing changes.
    wb = exported(session, admin)
    set_cell(wb["Plan"], "TR-03", "Start", typed)
    assert not excel.preview_import(session, admin, to_bytes(wb), TODAY).writes


def test_unknown_names_refs_and_values_are_row_errors(session, admin):
    wb = exported(session, admin)
    ws = wb["Plan"]
    rows = {
        "ref": add_row(ws, Ref="TR-99", Subgroup="TR", Title="A ref that does not exist"),
        "subgroup": set_cell(ws, "TR-03", "Subgroup", "Harm Reduction Subgroup"),
        "objective": set_cell(ws, "TR-04", "Objective", "T9.9"),
        "owner_email": set_cell(ws, "TR-05", "Owner", "nobody@example.org"),
        "owner_name": set_cell(ws, "TR-06", "Owner", "Someone Unknown"),
        "status": set_cell(ws, "TR-07", "Status", "Finished"),
        "rag": set_cell(ws, "TR-08", "RAG", "Purple"),
        "progress": set_cell(ws, "TR-09", "Progress %", 150),
        "progress_text": set_cell(ws, "TR-10", "Progress %", "about half"),
        "progress_fraction": set_cell(ws, "TR-11", "Progress %", 40.5),
        "title": set_cell(ws, "TR-12", "Title", None),
        "subgroup_blank": set_cell(ws, "TR-13", "Subgroup", ""),
    }
    problems = rejected(session, admin, to_bytes(wb))
    expected = [
        (rows["subgroup"], "Subgroup", "there is no subgroup 'Harm Reduction Subgroup' in this partnership"),
        (rows["objective"], "Objective", "there is no objective 'T9.9'"),
        (rows["owner_email"], "Owner", "no one in this partnership has the email address 'nobody@example.org'"),
        (rows["owner_name"], "Owner", "no one in this partnership is called 'Someone Unknown'"),
        (rows["status"], "Status", "'Finished' is not a status: write one of Not started, In progress, Complete, "
                                   "Cancelled"),
        (rows["rag"], "RAG", "'Purple' is not on the partnership's RAG scale: write one of Green, Amber, Red, "
                             "Blue, Grey"),
        (rows["progress"], "Progress %", "150 is outside 0 to 100"),
        (rows["progress_text"], "Progress %", "'about half' is not a number"),
        (rows["progress_fraction"], "Progress %", "40.5 is not a whole number"),
        (rows["title"], "Title", "write the action's title"),
        (rows["subgroup_blank"], "Subgroup", "write the subgroup's name or code"),
        (rows["ref"], "Ref", "there is no action TR-99 in the plan: leave Ref blank to add a new action"),
    ]
    assert len(problems) == len(expected), problems
    for row, heading, message in expected:
        assert any(p.startswith(f"Row {row}, {heading}: {message}") for p in problems), (row, heading, problems)
    assert problems == sorted(problems, key=lambda p: int(p.split(",")[0].split()[1]))  # in row order


def test_a_name_two_people_share_must_be_an_email(session, admin, partnership):
    session.add(Person(partnership_id=partnership.id, name="Sophie Brennan", email="s.brennan2@example.org"))
    session.commit()  # a preview rolls its session back
    wb = exported(session, admin)
    # TR-03's owner is one of the two Sophies: left as it is, it stays hers ...
    assert not excel.preview_import(session, admin, to_bytes(wb), TODAY).writes
    # ... but giving the name to another action is ambiguous.
    r = set_cell(wb["Plan"], "TR-05", "Owner", "Sophie Brennan")
    assert rejected(session, admin, to_bytes(wb)) == [
        f"Row {r}, Owner: 2 people are called 'Sophie Brennan': write the owner's email address instead"]


def test_a_repeated_ref_is_refused(session, admin):
    wb = exported(session, admin)
    ws = wb["Plan"]
    first = row_of(ws, "TR-03")
    second = add_row(ws, Ref="TR-03", Subgroup="TR", Title="Again")
    assert rejected(session, admin, to_bytes(wb)) == [
        f"Row {second}, Ref: row {first} is also TR-03: keep one of the two rows"]


def test_the_services_own_rules_are_row_errors_too(session, admin):
    wb = exported(session, admin)
    ws = wb["Plan"]
    amber = set_cell(ws, "TR-06", "RAG", "Amber")
    set_cell(ws, "TR-06", "Latest narrative", "")  # Amber needs a narrative
    blue = set_cell(ws, "TR-07", "RAG", "Blue")  # Blue needs 100%
    short = set_cell(ws, "TR-08", "Title", "ab")
    future = set_cell(ws, "TR-09", "Progress %", 90)
    set_cell(ws, "TR-09", "Last update", "01/12/2026")  # after today
    early = set_cell(ws, "TR-10", "Progress %", 90)
    set_cell(ws, "TR-10", "Last update", "01/01/2026")  # before its latest update
    reopened = set_cell(ws, "TR-01", "RAG", "Green")  # a complete action must be reopened first
    problems = rejected(session, admin, to_bytes(wb))
    assert f"Row {amber}, Latest narrative: explain the position in the narrative: it is required for any RAG " \
           "other than Green" in problems
    assert f"Row {blue}, Progress %: a complete (Blue) update must have progress 100%" in problems
    assert f"Row {short}, Title: enter at least 3 characters" in problems
    assert f"Row {future}, Last update: an update cannot be dated in the future" in problems
    assert any(p.startswith(f"Row {early}, Last update: 01/01/2026 is before the latest update of TR-10")
               for p in problems)
    assert any(p.startswith(f"Row {reopened}, RAG: this action is complete: reopen it") for p in problems)
    assert len(problems) == 6, problems


@pytest.mark.parametrize(("make", "expected"), [
    (lambda: b"ref,title\nTR-01,x\n", "The file is not an Excel workbook (.xlsx)"),
    (lambda: b"", "The file is empty"),
    (lambda: sheet_of([], headings=("Ref", "Title")), "The headings need the column Subgroup"),
    (lambda: sheet_of([{"Ref": "TR-01"}], headings=("Ref", "Subgroup", "Title", "Colour")),
     "Unexpected heading 'Colour'"),
    (lambda: sheet_of([], headings=("Ref", "Subgroup", "Title", "Ref")), "The column Ref appears more than once"),
], ids=["csv", "empty", "missing-heading", "unknown-heading", "repeated-heading"])
def test_file_level_problems(session, admin, make, expected):
    problems = rejected(session, admin, make())
    assert len(problems) == 1 and expected in problems[0], problems


def test_a_workbook_without_a_plan_sheet(session, admin):
    wb = Workbook()
    wb.active.title = "Actions"
    wb.create_sheet("Other")
    assert "no sheet called Plan" in rejected(session, admin, to_bytes(wb))[0]


def test_a_sheet_with_only_some_columns_changes_only_those(engine):
    content = sheet_of([{"Ref": "TR-03", "Subgroup": "TR", "Title": "Bring more people into treatment"}],
                       headings=("Ref", "Subgroup", "Title"))
    with session_scope(engine) as s:
        summary = excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), content, TODAY)
        assert (summary.changed, summary.updated) == (1, 0)
    with Session(engine) as s:
        tr03 = by_ref(s, "TR-03")
        assert tr03.title == "Bring more people into treatment" and tr03.due_date == date(2027, 3, 31)


# --- Import: all or nothing ------------------------------------------------------------------


def test_one_bad_row_and_nothing_is_written(engine):
    with session_scope(engine) as s:
        wb = exported(s, person_by_email(s, DEMO_EMAILS["admin"]))
    ws = wb["Plan"]
    set_cell(ws, "TR-03", "Due", "30/06/2027")  # good, and applied first ...
    set_cell(ws, "TR-04", "RAG", "Amber")
    set_cell(ws, "TR-04", "Latest narrative", "Slipping.")  # ... good ...
    add_row(ws, Subgroup="TR", Title="A new action, fine on its own")  # ... good ...
    bad = set_cell(ws, "TR-06", "RAG", "Red")
    set_cell(ws, "TR-06", "Latest narrative", "")  # ... but this row fails in the service
    before = snapshot(engine)
    with pytest.raises(excel.PlanImportRejected) as caught, session_scope(engine) as s:
        excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), to_bytes(wb), TODAY)
    assert [(e.row, e.column) for e in caught.value.errors] == [(bad, "Latest narrative")]
    assert str(caught.value).startswith("Nothing was saved: the file has 1 problem in 1 row")
    assert snapshot(engine) == before


def test_an_action_changed_after_the_preview_is_not_overwritten(engine):
    with session_scope(engine) as s:
        wb = exported(s, person_by_email(s, DEMO_EMAILS["admin"]))
    set_cell(wb["Plan"], "TR-03", "Due", "30/06/2027")
    set_cell(wb["Plan"], "TR-04", "Progress %", 70)
    with session_scope(engine) as s:
        preview = excel.preview_import(s, person_by_email(s, DEMO_EMAILS["admin"]), to_bytes(wb), TODAY)
    with session_scope(engine) as s:  # meanwhile, the lead records an update on TR-04
        lead = person_by_email(s, DEMO_EMAILS["lead"])
        actions.record_status_update(s, lead, by_ref(s, "TR-04").id, {
            "update_date": TODAY, "rag": "amber", "progress": 65, "narrative": "A late delay."}, TODAY)
    before = snapshot(engine)
    with pytest.raises(excel.PlanImportRejected) as caught, session_scope(engine) as s:
        excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), to_bytes(wb), TODAY,
                          expected=preview.expected)
    [problem] = caught.value.errors
    assert problem.column == "Ref" and "TR-04 was changed by someone else after you checked the file" in \
        problem.message
    assert snapshot(engine) == before  # TR-03's change, fine on its own, was not kept either


def test_an_edit_after_the_preview_is_a_conflict_too(engine):
    with session_scope(engine) as s:
        wb = exported(s, person_by_email(s, DEMO_EMAILS["admin"]))
    set_cell(wb["Plan"], "TR-03", "Title", "Reach more women and minority communities")
    with session_scope(engine) as s:
        preview = excel.preview_import(s, person_by_email(s, DEMO_EMAILS["admin"]), to_bytes(wb), TODAY)
    with session_scope(engine) as s:
        lead = person_by_email(s, DEMO_EMAILS["lead"])
        tr03 = by_ref(s, "TR-03")
        actions.edit_action(s, lead, tr03.id, tr03.version, {"lead_organisation": "CGL"})
    with pytest.raises(excel.PlanImportRejected) as caught, session_scope(engine) as s:
        excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), to_bytes(wb), TODAY,
                          expected=preview.expected)
    assert [e.column for e in caught.value.errors] == ["Ref"]
    with Session(engine) as s:
        tr03 = by_ref(s, "TR-03")
        assert tr03.lead_organisation == "CGL" and tr03.title.startswith("Bring more women")


# --- Import: permissions, per row ------------------------------------------------------------


def test_a_lead_changes_their_subgroups_rows_but_not_anothers(engine):
    with session_scope(engine) as s:
        wb = exported(s, person_by_email(s, DEMO_EMAILS["lead"]))
    ws = wb["Plan"]
    set_cell(ws, "TR-03", "Due", "30/06/2027")  # the lead leads Treatment and Recovery ...
    other = set_cell(ws, "SUP-02", "Due", "30/06/2027")  # ... not Supply and Enforcement
    new_other = add_row(ws, Subgroup="SUP", Title="Not the lead's subgroup")
    before = snapshot(engine)
    with pytest.raises(excel.PlanImportRejected) as caught, session_scope(engine) as s:
        excel.import_plan(s, person_by_email(s, DEMO_EMAILS["lead"]), to_bytes(wb), TODAY)
    errors = caught.value.errors
    assert [(e.row, e.column) for e in errors] == [(other, "Ref"), (new_other, "Subgroup")]
    assert "can change action SUP-02" in errors[0].message
    assert errors[1].message.startswith("only a lead of Supply and Enforcement Subgroup")
    assert snapshot(engine) == before

    set_cell(ws, "SUP-02", "Due", date(2027, 3, 31))  # put it back ...
    ws.delete_rows(new_other)  # ... and drop the other subgroup's new action: now it imports
    with session_scope(engine) as s:
        summary = excel.import_plan(s, person_by_email(s, DEMO_EMAILS["lead"]), to_bytes(wb), TODAY)
    assert [r.ref for r in summary.rows if not r.unchanged] == ["TR-03"]


def test_a_lead_cannot_move_an_action_to_a_subgroup_they_do_not_lead(session, lead):
    wb = exported(session, lead)
    r = set_cell(wb["Plan"], "TR-03", "Subgroup", "SUP")
    [problem] = rejected(session, lead, to_bytes(wb))
    assert problem.startswith(f"Row {r}, Subgroup: only a lead of Supply and Enforcement Subgroup")


@pytest.mark.parametrize("who", ["viewer", "owner", None])
def test_only_admins_and_leads_may_import(session, admin, who):
    content = excel.export_plan(session, admin, TODAY).content
    actor = person_by_email(session, DEMO_EMAILS[who]) if who else None
    with pytest.raises(PermissionDenied):
        excel.preview_import(session, actor, content, TODAY)
    with pytest.raises(PermissionDenied):
        excel.import_plan(session, actor, content, TODAY)
    assert not excel.may_import(session, actor)


def test_another_partnerships_actions_are_out_of_reach(session):
    # Testshire's admin gives the ref of a Northamptonshire action: it is not found in their plan.
    world = build_world(session)
    session.commit()  # a preview rolls its session back
    content = sheet_of([{"Ref": "TR-03", "Subgroup": "TR", "Title": "Bring more women into treatment"}])
    [problem] = rejected(session, world.admin, content)
    assert problem.startswith("Row 2, Ref: there is no action TR-03 in the plan")
    ws = load_workbook(io.BytesIO(excel.export_plan(session, world.admin, TODAY).content))["Plan"]
    assert [c.value for c in ws["A"][1:]] == ["TR-01"]
