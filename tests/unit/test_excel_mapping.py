"""A council's own spreadsheet imported through excel.mapping: the sheet and header row found under
merged title rows, columns guessed from the council's headings, values (G/A/R/C, "Amber/Green",
"Mar-27", "Ongoing", UK dates as text and as Excel dates) read as the preview says, every problem by row
and the file's own heading, and nothing written until the import, nor when any row is bad.

The workbook is built here with openpyxl, as a council officer's plan tends to be laid out.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tracker.db import session_scope
from tracker.models import Action, AuditEvent, Person, StatusUpdate
from tracker.services import excel
from tracker.services.errors import PermissionDenied
from tracker.services.excel.mapping import heading_score, inspect_workbook, suggest

HEADINGS = ["No.", "Theme", "Workstream", "Action", "Lead officer", "Lead agency", "Target date", "RAG",
            "Status", "Progress update"]
ROWS = [
    # ref, theme, subgroup, title, owner, agency, due, rag, status, narrative
    ("1.1", "Supply", "Supply & Enforcement", "Map county lines activity with the police", "Priya Natarajan",
     "Northamptonshire Police", "31/03/2027", "G", "In progress", "Partnership mapping under way"),
    ("1.2", "Supply", "Supply and Enforcement", "Closure orders on cuckooed addresses", "",
     "District councils", datetime(2027, 6, 30), "Amber/Green", "In progress", "Two orders granted"),
    ("2.1", "Treatment", "Treatment & Recovery", "Extend outreach to women and BAME communities", "",
     "Provider", "Mar-27", "A", "Not started", "Awaiting the commissioner's decision"),
    ("2.2", "Treatment", "Treatment and Recovery", "Publish the recovery community directory", "",
     "Provider", "Ongoing", "C", "Complete", "Directory published"),
]


def council_workbook(rows=ROWS, *, mmm_yy_row: int | None = None) -> bytes:
    """A cover sheet, then the plan under two merged title rows, a blank row, the headings in row 4
    and a merged section heading before the rows."""
    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "Combating Drugs Partnership"
    plan = wb.create_sheet("Action plan 2025-26")
    plan["A1"] = "Northamptonshire Combating Drugs Partnership: delivery plan 2025/26"
    plan.merge_cells("A1:J1")
    plan["A2"] = "Updated for the November board"
    plan.merge_cells("A2:J2")
    plan.append([])
    plan.append(HEADINGS)
    plan.append(["Theme 1 and 2: supply and treatment"])
    plan.merge_cells("A5:J5")
    for row in rows:
        plan.append(list(row))
    if mmm_yy_row is not None:  # an Excel date shown as a month only
        cell = plan.cell(row=mmm_yy_row, column=7)
        cell.value = datetime(2027, 9, 1)
        cell.number_format = "mmm-yy"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as s:
        changes = select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type != "Account")
        return (s.exec(select(func.count()).select_from(Action)).one(),
                s.exec(select(func.count()).select_from(StatusUpdate)).one(), s.exec(changes).one())


def layout_of(content: bytes, words_as_blank: bool = True) -> excel.Layout:
    view = inspect_workbook(content)
    layout = view.layout()
    return excel.Layout(layout.sheet, layout.header_row, layout.columns, words_as_blank)


def rejected(session, actor, content, layout) -> list[str]:
    with pytest.raises(excel.PlanImportRejected) as caught:
        excel.preview_import(session, actor, content, TODAY, "council.xlsx", layout=layout)
    return [str(e) for e in caught.value.errors]


# --- The headings ----------------------------------------------------------------------------


@pytest.mark.parametrize(("heading", "field"), [
    ("Lead officer", "owner"), ("Responsible Officer", "owner"), ("Target date", "due_date"),
    ("Deadline", "due_date"), ("RAG", "rag"), ("RAG status", "rag"), ("RAG Rating", "rag"),
    ("Sub-group", "subgroup"), ("Workstream", "subgroup"), ("Action", "title"), ("Status", "status"),
    ("% complete", "progress"), ("Progress update", "narrative"), ("Lead Agency", "lead_organisation"),
    ("Start date", "start_date"), ("Target date (revised)", "due_date"),
])
def test_a_councils_headings_are_read_as_the_trackers_fields(heading, field):
    assert suggest([heading]) == {0: field}, {k: round(heading_score(heading, k), 2) for k in excel.FIELDS}


def test_headings_that_mean_nothing_here_are_left_unchosen():
    assert suggest(["Theme", "Colour", "Budget £"]) == {}


def test_a_ref_column_is_the_trackers_refs_only_when_the_values_are():
    assert suggest(["Ref", "Action"], [["TR-03", "x"], ["SUP-01", "y"]]) == {0: "ref", 1: "title"}
    assert suggest(["Ref", "Action"], [["1.1", "x"], ["1.2", "y"]]) == {0: "their_ref", 1: "title"}


def test_each_field_is_suggested_for_one_column_only():
    chosen = suggest(["Owner name", "Owner", "Action"])
    assert sorted(chosen.values()) == ["owner", "title"] and chosen[1] == "owner"


# --- Finding the sheet and the headings ------------------------------------------------------


def test_the_sheet_and_header_row_are_found_under_merged_titles(session, admin):
    view = excel.inspect_upload(session, admin, council_workbook())
    assert view.sheets == ["Cover", "Action plan 2025-26"]
    assert (view.sheet, view.header_row, view.template) == ("Action plan 2025-26", 4, False)
    assert view.headings == HEADINGS
    assert {HEADINGS[i]: k for i, k in view.suggested.items()} == {
        "No.": "their_ref", "Workstream": "subgroup", "Action": "title", "Lead officer": "owner",
        "Lead agency": "lead_organisation", "Target date": "due_date", "RAG": "rag", "Status": "status",
        "Progress update": "narrative",
    }
    assert view.row_count == 5  # the section heading is still a row here; the import skips it
    assert view.sample[1][:4] == ["1.1", "Supply", "Supply & Enforcement", "Map county lines activity with the police"]


def test_another_sheet_and_row_may_be_chosen(session, admin):
    view = excel.inspect_upload(session, admin, council_workbook(), sheet="Cover", header_row=1)
    assert (view.sheet, view.header_row, view.headings) == ("Cover", 1, ["Combating Drugs Partnership"])
    with pytest.raises(excel.PlanImportRejected) as caught:
        excel.inspect_upload(session, admin, council_workbook(), sheet="Actions")
    assert str(caught.value.errors[0]) == ("The workbook has no sheet called 'Actions': choose one of Cover, "
                                           "Action plan 2025-26")


def test_the_template_itself_is_recognised_as_it_is(session, admin):
    view = excel.inspect_upload(session, admin, excel.export_plan(session, admin, TODAY).content)
    assert view.template and view.header_row == 1 and view.sheet == "Plan"


def test_only_those_who_may_import_may_inspect_a_file(session, viewer):
    with pytest.raises(PermissionDenied):
        excel.inspect_upload(session, viewer, council_workbook())


# --- The preview -----------------------------------------------------------------------------


def test_the_preview_reads_the_councils_values_and_writes_nothing(engine):
    content = council_workbook(mmm_yy_row=8)
    before = counts(engine)
    with Session(engine) as s:
        admin = person_by_email(s, DEMO_EMAILS["admin"])
        summary = excel.preview_import(s, admin, content, TODAY, "council.xlsx", layout=layout_of(content))
    assert counts(engine) == before
    assert (summary.created, summary.changed) == (4, 0)
    assert summary.readings["RAG"] == {"G": "Green", "Amber/Green": "Amber", "A": "Amber", "C": "Blue"}
    assert summary.readings["Subgroup"] == {
        "Supply & Enforcement": "Supply and Enforcement Subgroup",
        "Supply and Enforcement": "Supply and Enforcement Subgroup",
        "Treatment & Recovery": "Treatment and Recovery Subgroup",
        "Treatment and Recovery": "Treatment and Recovery Subgroup",
    }
    assert summary.readings["Status"]["Not started"] == "Not started"
    warnings = "\n".join(summary.warnings)
    assert "Row 5 was read as a section heading and skipped" in warnings
    assert "Not imported (no field chosen): 'Theme'" in warnings
    assert "Row 9, Due: 'Ongoing' read as no date" in warnings
    assert "There is no Progress % column" in warnings


def test_dates_in_words_are_refused_unless_the_officer_says_leave_them_empty(session, admin):
    content = council_workbook()
    problems = rejected(session, admin, content, layout_of(content, words_as_blank=False))
    assert len(problems) == 1, problems
    assert problems[0].startswith("Row 9, Target date: 'Ongoing' is not a date")  # the file's own heading
    assert "leave dates given in words empty" in problems[0]


def test_an_unknown_subgroup_suggests_the_near_match_and_nothing_is_written(engine):
    rows = [*ROWS[:2], ("3.1", "", "Suply and Enforcment", "Test purchase operations", "", "", "01/02/2027",
                        "Purple", "", "")]
    content = council_workbook(rows)
    before = counts(engine)
    with pytest.raises(excel.PlanImportRejected) as caught, session_scope(engine) as s:
        excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), content, TODAY, "council.xlsx",
                          layout=layout_of(content))
    problems = [str(e) for e in caught.value.errors]
    assert "Row 8, Workstream: there is no subgroup 'Suply and Enforcment' in this partnership: did you mean " \
           "Supply and Enforcement Subgroup?" in problems[0]
    assert problems[1].startswith("Row 8, RAG: 'Purple' is not on the partnership's RAG scale")
    assert len(problems) == 2 and counts(engine) == before


def test_the_layout_must_name_a_title_and_a_subgroup_once_each(session, admin):
    content = council_workbook()
    layout = layout_of(content)
    no_title = excel.Layout(layout.sheet, 4, {i: k for i, k in layout.columns.items() if k != "title"})
    assert rejected(session, admin, content, no_title) == [
        "Choose the column that holds the title: every action needs a title"]
    twice = excel.Layout(layout.sheet, 4, layout.columns | {1: "owner"})
    assert rejected(session, admin, content, twice) == [
        "The columns 'Theme' and 'Lead officer' are both read as Owner: choose one of them, and 'Not imported' "
        "for the other"]


@pytest.mark.parametrize("data", [None, "x", {"sheet": 3}, {"sheet": "Plan", "header_row": "four"},
                                  {"sheet": "Plan", "header_row": 4, "columns": {"0": "password"}},
                                  {"sheet": "Plan", "header_row": 99, "columns": {}}])
def test_a_layout_sent_back_malformed_is_refused_with_a_message(data):
    with pytest.raises(excel.PlanImportRejected) as caught:
        excel.Layout.from_data(data)
    assert [str(e) for e in caught.value.errors] == [
        "The column choices could not be read: upload the file again and choose the columns."]


def test_a_layout_round_trips_through_the_browser():
    layout = excel.Layout("Action plan", 4, {0: "their_ref", 3: "title", 2: "subgroup"}, True)
    assert excel.Layout.from_data(layout.to_data()) == layout


# --- The import ------------------------------------------------------------------------------


def test_the_council_sheet_imports_in_one_pass_and_a_second_import_matches_its_own_refs(engine):
    content = council_workbook(mmm_yy_row=8)
    before = counts(engine)
    with session_scope(engine) as s:
        admin = person_by_email(s, DEMO_EMAILS["admin"])
        summary = excel.import_plan(s, admin, content, TODAY, "council.xlsx", layout=layout_of(content))
        assert summary.created == 4
    actions_before, updates_before, _ = before
    assert counts(engine)[:2] == (actions_before + 4, updates_before + 4)
    with Session(engine) as s:
        made = {a.external_ref: a for a in s.exec(select(Action).where(
            Action.source.like("Imported from council.xlsx%")))}
        assert set(made) == {"1.1", "1.2", "2.1", "2.2"}
        assert made["1.1"].due_date == date(2027, 3, 31)  # typed as text, the UK way
        assert made["1.2"].due_date == date(2027, 6, 30)  # an Excel date
        assert made["2.1"].due_date == date(2027, 9, 30)  # an Excel date shown as Sep-27: the month's end
        assert made["2.2"].due_date is None and made["2.2"].status == "complete"
        assert s.get(Person, made["1.1"].owner_id).name == "Priya Natarajan"
        assert made["1.1"].lead_organisation == "Northamptonshire Police"
        latest = s.exec(select(StatusUpdate).where(StatusUpdate.action_id == made["2.2"].id)).one()
        assert (latest.rag, latest.progress, latest.narrative) == ("blue", 100, "Directory published")
        audit = s.exec(select(AuditEvent).where(AuditEvent.verb == "import")).all()[-1]
        assert '"header_row": 4' in audit.after and "Action plan 2025-26" in audit.after

        ref_21 = made["2.1"].ref
        admin = person_by_email(s, DEMO_EMAILS["admin"])
        again = excel.preview_import(s, admin, content, TODAY, "council.xlsx", layout=layout_of(content))
        # The same sheet without its own references chosen: nothing to match by, so duplicates are said.
        layout = layout_of(content)
        unreferenced = excel.Layout(layout.sheet, layout.header_row,
                                    {i: k for i, k in layout.columns.items() if k != "their_ref"}, True)
        blind = excel.preview_import(s, admin, content, TODAY, "council.xlsx", layout=unreferenced)
    # Row 8 says Not started; its first update moved the action to In progress, and an import never
    # moves a status back: the row changes nothing, and the check says why.
    labels = [r.label for r in again.rows]
    assert labels == ["No change"] * 4 and again.matched == 4, labels
    assert [w[:58] for w in again.warnings if "looks older" in w] == [
        f"Row 8, {ref_21} is In progress in the tracker but the sheet says Not "[:58]]
    assert not [w for w in again.warnings if "looks like a duplicate of" in w]
    duplicates = [w for w in blind.warnings if "looks like a duplicate of" in w]
    assert len(duplicates) == 4 and duplicates[0].startswith("Row 6 looks like a duplicate of SUP-")
