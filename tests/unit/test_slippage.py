"""The baseline due date and slippage: an action keeps its first due date; moving it needs a reason,
kept with the change (DueDateChange, audited); the plan rows say how many days it has slipped; an
administrator changes a locked period only with a reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from tracker.models import Action, AuditEvent, DueDateChange, Subgroup
from tracker.rules.slippage import days_slipped, slippage_words
from tracker.services import action_views, actions, due_dates, plan
from tracker.services.board import calendar, locks
from tracker.services.errors import InvalidInput, PermissionDenied


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def tr_action(session, ref: str = "TR-03") -> Action:
    return session.exec(select(Action).where(Action.ref == ref)).one()


def test_days_slipped_and_its_words():
    assert days_slipped(date(2027, 3, 31), date(2027, 5, 15)) == 45
    assert days_slipped(date(2027, 3, 31), date(2027, 3, 21)) == -10
    assert days_slipped(None, date(2027, 3, 31)) == 0 and days_slipped(date(2027, 3, 31), None) == 0
    assert slippage_words(45) == "+45 days slipped"
    assert slippage_words(1) == "+1 day slipped"
    assert slippage_words(-10) == "10 days earlier than planned"
    assert slippage_words(0) == "On its original due date"


def test_the_seed_gives_every_action_its_due_date_as_the_original(session):
    rows = session.exec(select(Action.due_date, Action.original_due_date)).all()
    assert rows and all(due == original for due, original in rows)


def test_a_new_action_keeps_its_first_due_date_as_the_original(session, lead):
    tr = session.exec(select(Subgroup).where(Subgroup.code == "TR")).one()
    created = actions.create_action(session, lead, {"subgroup_id": tr.id, "title": "Naloxone in every hostel",
                                                    "due_date": "2027-06-30"})
    assert created.original_due_date == date(2027, 6, 30)


def test_moving_a_due_date_without_a_reason_is_refused_and_writes_nothing(session, lead):
    action = tr_action(session)
    due, version = action.due_date, action.version
    with pytest.raises(InvalidInput) as caught:
        actions.edit_action(session, lead, action.id, version, {"due_date": (due + timedelta(days=45)).isoformat()})
    assert "Say why the due date is changing" in caught.value.errors["due_date_reason"]
    session.rollback()
    action = tr_action(session)
    assert (action.due_date, action.version) == (due, version) and count(session, DueDateChange) == 0
    with pytest.raises(InvalidInput):  # blank is no reason
        actions.edit_action(session, lead, action.id, version,
                            {"due_date": (due + timedelta(days=45)).isoformat(), "due_date_reason": "   "})


def test_each_move_is_kept_with_its_reason_and_the_original_never_changes(session, lead, admin, today):
    action = tr_action(session)
    original = action.due_date
    actions.edit_action(session, lead, action.id, action.version,
                        {"due_date": (original + timedelta(days=45)).isoformat(),
                         "due_date_reason": "The provider's start moved to the new year"})
    action = tr_action(session)
    actions.edit_action(session, admin, action.id, action.version,
                        {"due_date": (original + timedelta(days=60)).isoformat(),
                         "due_date_reason": "Recruitment took longer"})
    action = tr_action(session)
    assert action.original_due_date == original and action.due_date == original + timedelta(days=60)
    history = due_dates.due_changes(session, action.id)
    assert [(c.old_due, c.new_due, c.reason, c.changed_by) for c in history] == [
        (original, original + timedelta(days=45), "The provider's start moved to the new year", lead.name),
        (original + timedelta(days=45), original + timedelta(days=60), "Recruitment took longer", admin.name)]
    events = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "DueDateChange")
                          .order_by(AuditEvent.id)).all()  # PostgreSQL keeps no order without one
    assert len(events) == 2 and "Recruitment took longer" in events[1].summary
    row = plan.plan_row(session, action.partnership_id, action.id, today)
    assert (row.original_due_date, row.days_slipped) == (original, 60)
    # The page's view model carries the history too.
    assert len(action_views.action_detail(session, action.partnership_id, action.id, today).due_changes) == 2


def test_no_reason_is_needed_when_the_due_date_stays_or_is_given_for_the_first_time(session, lead):
    action = tr_action(session)
    actions.edit_action(session, lead, action.id, action.version, {"title": "Renamed, same due date"})
    action = tr_action(session)
    actions.edit_action(session, lead, action.id, action.version,
                        {"due_date": None, "due_date_reason": "No date until the new contract"})
    action = tr_action(session)
    assert action.due_date is None and action.original_due_date is not None
    # An action that never had a due date: its first one is its baseline, not a change.
    tr = session.exec(select(Subgroup).where(Subgroup.code == "TR")).one()
    fresh = actions.create_action(session, lead, {"subgroup_id": tr.id, "title": "Dateless action"})
    actions.edit_action(session, lead, fresh.id, fresh.version, {"due_date": "2027-09-30"})
    fresh = session.get(Action, fresh.id)
    assert fresh.original_due_date == date(2027, 9, 30)
    assert due_dates.due_changes(session, fresh.id) == []


def test_a_due_date_in_a_locked_period_is_moved_by_an_admin_with_a_late_reason_only(session, partnership, chair,
                                                                                    lead, admin, today):
    october = calendar.previous_meeting(session, partnership.id, today)
    locks.lock_period(session, chair, {"meeting_id": october.id}, today)
    action = tr_action(session)
    session.execute(Action.__table__.update().where(Action.__table__.c.id == action.id)
                    .values(due_date=october.meeting_date - timedelta(days=5),
                            original_due_date=october.meeting_date - timedelta(days=5)))
    session.commit()
    session.expire_all()
    action = tr_action(session)
    moved = {"due_date": "2027-03-31", "due_date_reason": "Agreed at the board"}
    with pytest.raises(PermissionDenied, match="only be made by an administrator, with a reason"):
        actions.edit_action(session, lead, action.id, action.version, moved)
    with pytest.raises(InvalidInput) as caught:
        actions.edit_action(session, admin, action.id, action.version, moved)
    assert "give a reason for this late change" in caught.value.errors["reason"]
    session.rollback()
    action = tr_action(session)
    actions.edit_action(session, admin, action.id, action.version, moved, late_reason="The board agreed it late")
    late = session.exec(select(AuditEvent).where(AuditEvent.verb == "late_change")).one()
    assert "The board agreed it late" in late.after
    assert tr_action(session).due_date == date(2027, 3, 31)


def test_the_plan_tables_and_the_action_page_say_the_slippage_in_words(session, lead, today):
    from tracker.web.components.slippage import due_dates_section, slipped_text

    action = tr_action(session)
    original = action.due_date
    actions.edit_action(session, lead, action.id, action.version,
                        {"due_date": (original + timedelta(days=45)).isoformat(), "due_date_reason": "Late contract"})
    row = plan.plan_row(session, action.partnership_id, action.id, today)
    assert slipped_text(row.days_slipped, row.original_due_date) == "+45 days slipped"
    section = str([c.to_plotly_json() for c in due_dates_section(
        row.original_due_date, row.due_date, row.days_slipped, due_dates.due_changes(session, action.id))])
    assert "+45 days slipped" in section and "Late contract" in section and "Original due date" in section
