"""Re-importing a council's own sheet: its own reference ("No." 1.1) is kept on each action, so the next
import of the sheet updates those actions instead of adding them again, row by row as the preview says
("New", "Updates TR-03 (1 change)", "No change"); the reference is unique within a partnership and never
matched across partnerships; and the column choices of an import are remembered for the next upload of
the same headings, for that partnership alone."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tests.factories import build_world
from tests.unit import test_excel_mapping as mapping_tests
from tests.unit.test_excel_mapping import HEADINGS, ROWS, council_workbook, counts, layout_of
from tracker.db import session_scope
from tracker.models import Action, AuditEvent, ImportMapping, StatusUpdate
from tracker.services import actions, audit_log, excel
from tracker.services.errors import Conflict, PermissionDenied

# The council's sheet a month on: 1.1 turned Amber, 1.2 renamed, 2.1 now In progress (as the tracker
# already has it after its first update), 2.2 as it was, and a new row 3.1.
CHANGED = [
    ROWS[0][:7] + ("A", "In progress", "Mapping delayed by the police restructure"),
    ROWS[1][:3] + ("Closure orders on cuckooed and exploited addresses",) + ROWS[1][4:],
    ROWS[2][:8] + ("In progress",) + ROWS[2][9:],
    ROWS[3],
    ("3.1", "Supply", "Supply and Enforcement", "Test purchase operations with trading standards", "",
     "Trading Standards", "30/09/2027", "G", "Not started", ""),
]


def first_import(engine, content: bytes | None = None) -> dict[str, str]:
    """Import the council's sheet; return its references -> the tracker's refs."""
    content = content or council_workbook()
    with session_scope(engine) as s:
        excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), content, TODAY, "council.xlsx",
                          layout=layout_of(content))
    with Session(engine) as s:
        return {a.external_ref: a.ref for a in s.exec(select(Action).where(Action.external_ref.is_not(None)))}


def person_name(engine, email: str) -> str:
    with Session(engine) as s:
        return person_by_email(s, email).name


def preview(engine, content: bytes, email: str = DEMO_EMAILS["admin"], layout=None) -> excel.ImportSummary:
    with Session(engine) as s:
        return excel.preview_import(s, person_by_email(s, email), content, TODAY, "council.xlsx",
                                    layout=layout or layout_of(content))


# --- The reference kept, and matched again ------------------------------------------------------


def test_the_first_import_keeps_each_rows_own_reference_on_its_action(engine):
    refs = first_import(engine)
    assert set(refs) == {"1.1", "1.2", "2.1", "2.2"}
    with Session(engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.summary.like("%given the reference 1.1%"))).all()
    assert len(events) == 1 and events[0].entity_type == "Action"



def test_the_audit_trail_shows_each_reference_the_import_gave_as_an_edit_of_the_action(engine):
    refs = first_import(engine)
    with Session(engine) as s:
        log = audit_log.list_events(s, person_by_email(s, DEMO_EMAILS["chair"]), entity_type="Action")
        action = s.exec(select(Action).where(Action.ref == refs["1.1"])).one()
    [entry] = [e for e in log.events if e.entity_id == action.id and "given the reference" in e.summary]
    assert entry.actor_name == person_name(engine, DEMO_EMAILS["admin"]) and entry.verb == "update"
    assert [(c.before, c.after) for c in entry.changes if c.after == "1.1"] == [("—", "1.1")]
    assert action.version == 2  # created, then given its reference: an edit, like any other


def test_giving_a_reference_is_refused_for_a_stale_version_or_someone_who_may_not_edit(engine):
    with session_scope(engine) as s:
        action = s.exec(select(Action).where(Action.external_ref.is_(None)).order_by(Action.id)).first()
        action_id, version = action.id, action.version
        actions.edit_action(s, person_by_email(s, DEMO_EMAILS["admin"]), action_id, version,
                            {"lead_organisation": "Changed meanwhile"})
    with Session(engine) as s:
        admin, viewer = person_by_email(s, DEMO_EMAILS["admin"]), person_by_email(s, DEMO_EMAILS["viewer"])
        events = s.exec(select(func.count()).select_from(AuditEvent)).one()
        with pytest.raises(Conflict, match="was changed by"):
            actions.set_external_ref(s, admin, action_id, version, "9.9")
        with pytest.raises(PermissionDenied):
            actions.set_external_ref(s, viewer, action_id, version + 1, "9.9")
        assert s.get(Action, action_id).external_ref is None
        assert s.exec(select(func.count()).select_from(AuditEvent)).one() == events
        actions.set_external_ref(s, admin, action_id, version + 1, "9.9")
        assert s.get(Action, action_id).external_ref == "9.9"


def test_a_changed_copy_previews_new_updates_and_no_change_per_row_and_writes_nothing(engine):
    refs = first_import(engine)
    content = council_workbook(CHANGED)
    before = counts(engine)
    summary = preview(engine, content)
    assert counts(engine) == before
    assert [r.label for r in summary.rows] == [f"Updates {refs['1.1']} (1 change)",
                                               f"Updates {refs['1.2']} (1 change)", "No change", "No change", "New"]
    assert summary.rows[0].update.startswith("New update: Amber")
    assert summary.rows[1].changes == ["Title: Closure orders on cuckooed addresses → Closure orders on cuckooed "
                                       "and exploited addresses"]
    assert (summary.created, summary.changed, summary.updated, summary.unchanged, summary.matched) == (1, 1, 1, 2, 4)
    assert not [w for w in summary.warnings if "duplicate" in w]


def test_importing_the_changed_copy_updates_the_matched_actions_and_adds_the_new_one(engine):
    refs = first_import(engine)
    content = council_workbook(CHANGED)
    actions_before, updates_before, _ = counts(engine)
    checked = preview(engine, content)
    with session_scope(engine) as s:
        done = excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), content, TODAY, "council.xlsx",
                                 expected=checked.expected, layout=layout_of(content))
    assert done.words() == "1 action created, 1 changed, 1 with a new status update, 2 unchanged"
    assert counts(engine)[:2] == (actions_before + 1, updates_before + 2)  # 3.1's first update too
    with Session(engine) as s:
        by_ref = {a.external_ref: a for a in s.exec(select(Action).where(Action.external_ref.is_not(None)))}
        assert by_ref["1.2"].ref == refs["1.2"]
        assert by_ref["1.2"].title == "Closure orders on cuckooed and exploited addresses"
        assert by_ref["1.1"].latest_rag == "amber" and by_ref["3.1"].title.startswith("Test purchase")
        s.expunge_all()
    # The same copy again: nothing to do. 3.1's first update started it, and an import never moves a
    # status back, so the sheet's "Not started" is pointed out rather than applied.
    again = preview(engine, content)
    assert [r.label for r in again.rows] == ["No change"] * 5
    assert [w for w in again.warnings if "looks older" in w] == [
        f"Row 10, {by_ref['3.1'].ref} is In progress in the tracker but the sheet says Not started: the row looks "
        "older than the tracker, so it changes nothing (an import never moves a status back; to do that, change "
        "it on the action's page)"]


def test_a_sheet_older_than_the_tracker_never_moves_statuses_back(engine):
    refs = first_import(engine)
    with session_scope(engine) as s:  # 1.2 is finished in the tracker after the sheet was saved
        admin = person_by_email(s, DEMO_EMAILS["admin"])
        action = s.exec(select(Action).where(Action.ref == refs["1.2"])).one()
        actions.edit_action(s, admin, action.id, action.version, {"status": "complete"})
    stale = [ROWS[0][:8] + ("Not started",) + ROWS[0][9:], ROWS[1][:6] + ("31/12/2027",) + ROWS[1][7:]] + ROWS[2:]
    content = council_workbook(stale)
    summary = preview(engine, content)
    assert [r.label for r in summary.rows][:2] == ["No change", "No change"]
    older = [w for w in summary.warnings if "looks older" in w]
    assert [w.split(":")[0] for w in older] == [
        f"Row 6, {refs['1.1']} is In progress in the tracker but the sheet says Not started",
        f"Row 7, {refs['1.2']} is Complete in the tracker but the sheet says In progress",
        f"Row 8, {refs['2.1']} is In progress in the tracker but the sheet says Not started"]  # its first update
    with session_scope(engine) as s:
        excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), content, TODAY, "council.xlsx",
                          expected=summary.expected, layout=layout_of(content))
    with Session(engine) as s:
        kept = {a.external_ref: a for a in s.exec(select(Action).where(Action.external_ref.is_not(None)))}
        assert (kept["1.1"].status, kept["1.2"].status) == ("in_progress", "complete")
        assert kept["1.2"].due_date.isoformat() == "2027-06-30"  # the stale row's new due date is not applied


def test_an_action_changed_since_the_preview_is_refused_as_a_conflict_and_nothing_is_saved(engine):
    refs = first_import(engine)
    content = council_workbook(CHANGED)
    checked = preview(engine, content)
    with session_scope(engine) as s:  # someone updates 1.2's action on its page meanwhile
        admin = person_by_email(s, DEMO_EMAILS["admin"])
        action = s.exec(select(Action).where(Action.ref == refs["1.2"])).one()
        actions.edit_action(s, admin, action.id, action.version, {"lead_organisation": "Borough councils"})
    before = counts(engine)
    with pytest.raises(excel.PlanImportRejected) as caught, session_scope(engine) as s:
        excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), content, TODAY, "council.xlsx",
                          expected=checked.expected, layout=layout_of(content))
    assert [str(e) for e in caught.value.errors] == [
        f"Row 7, No.: {refs['1.2']} was changed by someone else after you checked the file. Nothing was saved: "
        "upload the file again to check it against the plan as it is now"]
    assert counts(engine) == before  # not even the new row 3.1


def test_one_reference_on_two_rows_is_refused_naming_both(engine):
    first_import(engine)
    content = council_workbook([*ROWS, ("1.1",) + ROWS[0][1:3] + ("Another action with the same number",)
                                + ROWS[0][4:]])
    with pytest.raises(excel.PlanImportRejected) as caught:
        preview(engine, content)
    assert [str(e) for e in caught.value.errors] == [
        "Row 10, No.: row 6 has the same reference 1.1: each row needs its own, so keep one of the two rows"]


def test_the_reference_is_unique_within_a_partnership_but_not_across_partnerships(engine):
    first_import(engine)
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        other = s.exec(select(Action).where(Action.external_ref.is_(None))).first()
        other.external_ref = "1.1"
        s.add(other)
        s.flush()
    with session_scope(engine) as s:
        world = build_world(s, "otherby")
        s.get(Action, world.action.id).external_ref = "1.1"  # the same number in another partnership's plan
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Action).where(Action.external_ref == "1.1")).one() == 2


def test_another_partnerships_references_are_never_matched(engine):
    with session_scope(engine) as s:
        world = build_world(s, "otherby")
        for ref in ("1.1", "1.2"):
            s.get(Action, world.action.id).external_ref = ref
        s.flush()
    summary = preview(engine, council_workbook())
    assert [r.label for r in summary.rows] == ["New"] * 4 and summary.matched == 0
    with Session(engine) as s:  # and the other partnership's action is as it was
        assert s.get(Action, world.action.id).title == world.action.title


def test_a_lead_may_not_update_another_subgroups_action_through_its_reference(engine):
    """The demo lead leads Treatment and Recovery; rows 6 and 7 (1.1, 1.2) are Supply's actions."""
    refs = first_import(engine)
    with pytest.raises(excel.PlanImportRejected) as caught:
        preview(engine, council_workbook(CHANGED[:2] + ROWS[2:]), DEMO_EMAILS["lead"])
    problems = [str(e) for e in caught.value.errors]
    assert [p.split(":")[0] for p in problems] == ["Row 6, No.", "Row 7, No."], problems
    assert refs["1.1"] in problems[0] and refs["1.2"] in problems[1]
    assert all("administrator" in p for p in problems)


# --- The column choices remembered ----------------------------------------------------------


def custom_layout(content: bytes) -> excel.Layout:
    """The officer's own choices: the guesses, less Lead agency, dates in words left empty."""
    guessed = layout_of(content)
    return excel.Layout(guessed.sheet, guessed.header_row,
                        {i: k for i, k in guessed.columns.items() if HEADINGS[i] != "Lead agency"}, True)


def test_an_import_remembers_its_column_choices_and_the_next_upload_starts_from_them(engine):
    content = council_workbook()
    layout = custom_layout(content)
    with Session(engine) as s:
        admin = person_by_email(s, DEMO_EMAILS["admin"])
        assert excel.inspect_upload(s, admin, content).remembered is False
        excel.preview_import(s, admin, content, TODAY, "council.xlsx", layout=layout)  # a check remembers nothing
        assert excel.inspect_upload(s, admin, content).remembered is False
    with session_scope(engine) as s:
        excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), content, TODAY, "council.xlsx", layout=layout)
    with Session(engine) as s:
        view = excel.inspect_upload(s, person_by_email(s, DEMO_EMAILS["lead"]), council_workbook(CHANGED))
        assert s.exec(select(func.count()).select_from(ImportMapping)).one() == 1
    assert view.remembered and view.layout() == layout  # the same headings: the same choices, editable
    assert HEADINGS.index("Lead agency") not in view.suggested


def test_other_headings_or_another_partnership_get_the_guesses(engine, monkeypatch):
    content = council_workbook()
    with session_scope(engine) as s:
        excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), content, TODAY, "council.xlsx",
                          layout=custom_layout(content))
        world = build_world(s, "otherby")
    with Session(engine) as s:
        other_admin = s.get(type(world.admin), world.admin.id)
        theirs = excel.inspect_upload(s, other_admin, content)
        assert not theirs.remembered and HEADINGS.index("Lead agency") in theirs.suggested
    monkeypatch.setattr(mapping_tests, "HEADINGS", [h.replace("Lead agency", "Lead partner") for h in HEADINGS])
    renamed = council_workbook()
    with Session(engine) as s:
        view = excel.inspect_upload(s, person_by_email(s, DEMO_EMAILS["admin"]), renamed)
    assert not view.remembered


def test_a_second_import_of_the_layout_replaces_the_choices_remembered(engine):
    content = council_workbook()
    for layout in (custom_layout(content), layout_of(content, words_as_blank=True)):
        with session_scope(engine) as s:
            excel.import_plan(s, person_by_email(s, DEMO_EMAILS["admin"]), content, TODAY, "council.xlsx",
                              layout=layout)
    with Session(engine) as s:
        view = excel.inspect_upload(s, person_by_email(s, DEMO_EMAILS["admin"]), content)
        assert s.exec(select(func.count()).select_from(ImportMapping)).one() == 1
        assert s.exec(select(func.count()).select_from(StatusUpdate)).one() > 0
    assert view.remembered and view.layout() == layout_of(content, words_as_blank=True)
