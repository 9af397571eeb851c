"""tracker.services.excel: the plan exported to Excel (its four sheets, the cells, the filters, print)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from tests.conftest import TODAY
from tests.unit.excel_support import by_ref, column, exported, row_of, values_of
from tracker.models import Action, RagLevel, StatusUpdate, Subgroup
from tracker.services import excel, plan, reference
from tracker.services.errors import PermissionDenied

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
