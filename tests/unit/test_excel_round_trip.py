"""tracker.services.excel: the blank template, and an export imported back (unchanged, or one cell edited)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tests.unit.excel_support import by_ref, column, exported, rejected, set_cell, snapshot, to_bytes
from tracker.db import session_scope
from tracker.models import Action, AuditEvent, StatusUpdate
from tracker.services import action_views, excel
from tracker.services.errors import PermissionDenied

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
