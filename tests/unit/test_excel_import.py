"""tracker.services.excel: importing a workbook: each kind of error, all or nothing, permissions per row."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tests.factories import build_world
from tests.unit.excel_support import (
    add_row,
    by_ref,
    exported,
    rejected,
    row_of,
    set_cell,
    sheet_of,
    snapshot,
    to_bytes,
)
from tracker.db import session_scope
from tracker.models import Person
from tracker.services import actions, excel
from tracker.services.errors import PermissionDenied

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
