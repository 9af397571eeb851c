"""The board calendar: deadlines in working days, the current reporting period, which actions are
due an update, and who may change the calendar."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from tracker.models import AuditEvent, BoardMeeting, BoardPack, StatusUpdate
from tracker.rules.reporting import (
    ReportingPeriod,
    is_due_update,
    reporting_period,
    update_deadline,
    working_days_between,
)
from tracker.services import actions
from tracker.services.board import calendar
from tracker.services.board.seed import BoardSeedError, load_board_meetings, read_board_meetings
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

# --- The pure rules ----------------------------------------------------------------------------


def test_deadline_counts_working_days_back_from_the_meeting():
    # Thursday 10 December 2026, ten working days before: Thursday 26 November (two weekends skipped).
    assert update_deadline(date(2026, 12, 10), 10) == date(2026, 11, 26)
    # A Monday meeting, one working day before, is the Friday.
    assert update_deadline(date(2026, 12, 7), 1) == date(2026, 12, 4)
    assert update_deadline(date(2026, 12, 7), 0) == date(2026, 12, 7)
    assert working_days_between(date(2026, 11, 26), date(2026, 12, 10)) == 10
    # Bank holidays are ignored on purpose: Christmas Day 2026 counts as a working day.
    assert update_deadline(date(2026, 12, 29), 2) == date(2026, 12, 25)
    with pytest.raises(ValueError):
        update_deadline(date(2026, 12, 7), -1)


def test_period_runs_from_the_last_published_report_to_the_next_meeting():
    meetings = [date(2026, 7, 16), date(2026, 10, 15), date(2026, 12, 10)]
    # Nothing published yet: from the last meeting held.
    assert reporting_period(date(2026, 11, 23), meetings, []) == ReportingPeriod(date(2026, 10, 15), date(2026, 12, 10))
    # The October board was not published, July's was: the period runs since July.
    assert reporting_period(date(2026, 11, 23), meetings, [date(2026, 7, 16)]).start == date(2026, 7, 16)
    # No meeting ever: any update counts; no meeting ahead: open-ended.
    assert reporting_period(date(2026, 11, 23), [], []) == ReportingPeriod(None, None)


def test_due_an_update_when_open_with_no_update_in_the_period():
    period = ReportingPeriod(date(2026, 10, 15), date(2026, 12, 10))
    assert is_due_update("in_progress", [date(2026, 9, 30)], period)
    assert is_due_update("not_started", [], period)
    assert not is_due_update("in_progress", [date(2026, 9, 30), date(2026, 11, 10)], period)
    assert is_due_update("in_progress", [date(2026, 10, 15)], period)  # the board's own day counts as before it
    assert not is_due_update("complete", [], period)
    assert not is_due_update("cancelled", [], period)


# --- The seeded calendar -----------------------------------------------------------------------


def test_seeded_calendar_gives_the_next_board_and_its_deadline(session, partnership, today):
    meetings = calendar.list_meetings(session, partnership.id)
    assert len(meetings) >= 12 and all(m.illustrative for m in meetings)
    assert meetings[-1].meeting_date.year == 2027
    nxt = calendar.next_meeting(session, partnership.id, today)
    assert nxt.meeting.meeting_date == date(2026, 12, 10)
    assert nxt.deadline == date(2026, 11, 26) and nxt.working_days == 10 and nxt.days_to_deadline == 3
    assert not nxt.published


def test_actions_due_an_update_matches_the_rule(session, partnership, today):
    period = calendar.current_period(session, partnership.id, today)
    assert period == ReportingPeriod(date(2026, 10, 15), date(2026, 12, 10))
    due = calendar.actions_due_an_update(session, partnership.id, today)
    due_refs = {r.ref for r in due}
    assert due_refs and all(r.status in ("not_started", "in_progress") for r in due)
    # Checked one by one against the pure rule, from every update of every action.
    from tracker.models import Action

    for action in session.exec(select(Action).where(Action.partnership_id == partnership.id)):
        dates = session.exec(select(StatusUpdate.update_date).where(StatusUpdate.action_id == action.id)).all()
        assert (action.ref in due_refs) == is_due_update(action.status, dates, period), action.ref


def test_an_update_in_the_period_takes_the_action_off_the_list(session, partnership, admin, today):
    row = calendar.actions_due_an_update(session, partnership.id, today)[0]
    actions.record_status_update(session, admin, row.id, {
        "update_date": today, "rag": "green", "progress": 50, "narrative": "", "next_steps": "", "blockers": ""}, today)
    assert row.id not in calendar.due_action_ids(session, partnership.id, today)


def test_publishing_a_report_moves_the_period_start(session, partnership, today):
    july = session.exec(select(BoardMeeting).where(BoardMeeting.meeting_date == date(2026, 7, 16))).one()
    session.add(BoardPack(partnership_id=partnership.id, meeting_id=july.id, meeting_date=july.meeting_date,
                          report_json="{}", docx=b"", pdf=b""))
    session.flush()
    assert calendar.current_period(session, partnership.id, today).start == date(2026, 7, 16)


# --- Changing the calendar ---------------------------------------------------------------------


def audit_count(session) -> int:
    return session.exec(select(func.count()).select_from(AuditEvent)).one()


@pytest.mark.parametrize("who", ["lead", "owner", "viewer"])
def test_only_the_chair_or_an_admin_changes_the_calendar(request, session, partnership, who):
    person = request.getfixturevalue(who)
    meeting = calendar.list_meetings(session, partnership.id)[-1]
    before = (len(calendar.list_meetings(session, partnership.id)), audit_count(session))
    with pytest.raises(PermissionDenied):
        calendar.add_meeting(session, person, partnership.id, {"meeting_date": "2028-01-13"})
    with pytest.raises(PermissionDenied):
        calendar.change_meeting(session, person, meeting.id, {"title": "Hijacked"})
    with pytest.raises(PermissionDenied):
        calendar.remove_meeting(session, person, meeting.id)
    with pytest.raises(PermissionDenied):
        calendar.set_deadline_days(session, person, partnership.id, {"update_deadline_working_days": 1})
    assert (len(calendar.list_meetings(session, partnership.id)), audit_count(session)) == before
    assert partnership.update_deadline_working_days == 10


def test_chair_adds_changes_and_removes_a_meeting_audited(session, partnership, chair, today):
    events = audit_count(session)
    meeting = calendar.add_meeting(session, chair, partnership.id,
                                   {"meeting_date": "2028-01-13", "title": " Extraordinary board ", "location": "Online"})
    assert meeting.title == "Extraordinary board"
    calendar.change_meeting(session, chair, meeting.id, {"meeting_date": "2028-01-20"})
    assert meeting.meeting_date == date(2028, 1, 20) and meeting.location == "Online"
    calendar.remove_meeting(session, chair, meeting.id)
    assert session.get(BoardMeeting, meeting.id) is None
    verbs = session.exec(select(AuditEvent.verb).where(AuditEvent.entity_type == "BoardMeeting")).all()
    assert verbs == ["create", "update", "delete"] and audit_count(session) == events + 3


def test_bad_meeting_input_names_the_field(session, partnership, admin):
    with pytest.raises(InvalidInput) as caught:
        calendar.add_meeting(session, admin, partnership.id, {"meeting_date": "31/02/2026", "title": ""})
    assert set(caught.value.errors) == {"meeting_date", "title"}
    with pytest.raises(InvalidInput) as caught:
        calendar.add_meeting(session, admin, partnership.id, {"meeting_date": "2026-12-10"})
    assert "already a board meeting on 10/12/2026" in caught.value.errors["meeting_date"]
    with pytest.raises(InvalidInput):
        calendar.add_meeting(session, admin, partnership.id, {"meeting_date": "2026-12-11", "partnership_id": 2})
    with pytest.raises(InvalidInput) as caught:
        calendar.set_deadline_days(session, admin, partnership.id, {"update_deadline_working_days": -3})
    assert "update_deadline_working_days" in caught.value.errors
    with pytest.raises(NotFound):
        calendar.change_meeting(session, admin, 99999, {"title": "x"})


def test_a_published_meeting_keeps_its_date(session, partnership, admin):
    meeting = calendar.list_meetings(session, partnership.id)[0]
    session.add(BoardPack(partnership_id=partnership.id, meeting_id=meeting.id, meeting_date=meeting.meeting_date,
                          report_json="{}", docx=b"", pdf=b""))
    session.flush()
    with pytest.raises(Conflict):
        calendar.change_meeting(session, admin, meeting.id, {"meeting_date": "2025-04-24"})
    with pytest.raises(Conflict):
        calendar.remove_meeting(session, admin, meeting.id)


def test_deadline_setting_changes_the_deadline(session, partnership, admin, today):
    calendar.set_deadline_days(session, admin, partnership.id, {"update_deadline_working_days": 5})
    assert calendar.next_meeting(session, partnership.id, today).deadline == date(2026, 12, 3)


def test_seed_file_errors_name_record_and_field(tmp_path, session, partnership):
    bad = tmp_path / "board_meetings.yaml"
    bad.write_text("- {meeting_date: 2026-12-10}\n- {meeting_date: 2026-12-10}\n")
    with pytest.raises(BoardSeedError, match="record 2, field 'meeting_date'"):
        read_board_meetings(bad)
    bad.write_text("- {meeting_date: 2026-12-10, colour: red}\n")
    with pytest.raises(BoardSeedError, match="record 1, field 'colour'"):
        read_board_meetings(bad)
    assert load_board_meetings(session, partnership, tmp_path / "missing") == 0
