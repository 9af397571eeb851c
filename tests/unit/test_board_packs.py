"""Publishing a board pack freezes it; locked periods refuse late changes except an admin's, with a
reason, audited and flagged in the next report."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from tests.conftest import DEMO_EMAILS, person_by_email
from tracker.models import Action, AuditEvent, BoardPack, PeriodLock, StatusUpdate
from tracker.services import actions, plan
from tracker.services.board import calendar, locks, packs
from tracker.services.board.report import build_report
from tracker.services.errors import Conflict, InvalidInput, PermissionDenied


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def october(session, partnership, today):
    return calendar.previous_meeting(session, partnership.id, today)


@pytest.fixture
def next_board(session, partnership, today):
    return calendar.next_meeting(session, partnership.id, today).meeting


@pytest.mark.parametrize("who", ["lead", "owner", "viewer"])
def test_only_the_chair_or_an_admin_publishes_or_locks(request, session, next_board, october, today, who):
    person = request.getfixturevalue(who)
    before = (count(session, BoardPack), count(session, PeriodLock), count(session, AuditEvent))
    with pytest.raises(PermissionDenied):
        packs.publish(session, person, {"meeting_id": next_board.id}, today)
    with pytest.raises(PermissionDenied):
        locks.lock_period(session, person, {"meeting_id": october.id}, today)
    assert (count(session, BoardPack), count(session, PeriodLock), count(session, AuditEvent)) == before


def test_bad_publish_requests_are_refused(session, chair, next_board, today):
    with pytest.raises(InvalidInput):
        packs.publish(session, chair, {"meeting_id": "x"}, today)
    with pytest.raises(InvalidInput):
        packs.publish(session, chair, {"meeting_id": next_board.id, "report_json": "{}"}, today)
    packs.publish(session, chair, {"meeting_id": next_board.id}, today)
    with pytest.raises(Conflict, match="already published"):
        packs.publish(session, chair, {"meeting_id": next_board.id}, today)


def test_a_published_pack_never_changes(session, partnership, chair, admin, next_board, today):
    pack = packs.publish(session, chair, {"meeting_id": next_board.id}, today)
    session.commit()
    frozen = (pack.report_json, hashlib.sha256(pack.docx).hexdigest(), hashlib.sha256(pack.pdf).hexdigest())
    figures = packs.pack_report(pack)
    assert figures["totals"]["actions"] == plan.overview(session, partnership.id, today).total
    assert pack.published_by_name == chair.name
    # Edit an action, add updates, rename an action.
    row = next(r for r in plan.plan_rows(session, partnership.id, today) if r.status == "in_progress")
    action = session.get(Action, row.id)
    actions.edit_action(session, admin, action.id, action.version, {"title": "A completely new name"})
    actions.record_status_update(session, admin, action.id, {"update_date": today, "rag": "red", "progress": 5,
                                                            "narrative": "Worse than it looked."}, today)
    actions.record_status_update(session, admin, action.id, {"update_date": today, "rag": "blue", "progress": 100},
                                 today)
    session.commit()
    session.expire_all()
    again = packs.get_pack(session, partnership.id, pack.id)
    assert (again.report_json, hashlib.sha256(again.docx).hexdigest(), hashlib.sha256(again.pdf).hexdigest()) == frozen
    assert packs.pack_report(again) == figures
    assert next(a for a in figures["actions"] if a["id"] == action.id)["title"] == row.title
    # Today's report has moved on.
    now = build_report(session, partnership.id, next_board.id, today)
    assert next(a for a in now["actions"] if a["id"] == action.id)["title"] == "A completely new name"


def test_packs_are_listed_and_compared(session, partnership, chair, october, next_board, today):
    first = packs.publish(session, chair, {"meeting_id": october.id}, today)
    row = next(r for r in plan.plan_rows(session, partnership.id, today) if r.rag == "green" and r.status == "in_progress")
    admin_actor = person_by_email(session, DEMO_EMAILS["admin"])
    actions.record_status_update(session, admin_actor, row.id, {"update_date": today, "rag": "red", "progress": 5,
                                                               "narrative": "Stalled."}, today)
    second = packs.publish(session, chair, {"meeting_id": next_board.id}, today)
    assert [p.meeting_date for p in packs.list_packs(session, partnership.id)] == [next_board.meeting_date,
                                                                                  october.meeting_date]
    diff = {(r["section"], r["name"]): r for r in packs.compare_packs(session, partnership.id, first.id, second.id)}
    assert diff[("Totals", "Red")]["change"] == 1
    assert diff[("Totals", "Actions")]["change"] == 0
    # The second report lists what changed since the first.
    report = packs.pack_report(second)
    assert row.ref in {i["ref"] for i in report["changes"]["items"]["new_red"]}
    with pytest.raises(Conflict, match="earlier board"):
        packs.publish(session, chair, {"meeting_id": calendar.previous_meeting(
            session, partnership.id, october.meeting_date).id}, today)


# --- Locked periods ------------------------------------------------------------------------------


def test_only_a_held_board_can_be_locked(session, chair, october, next_board, today):
    with pytest.raises(InvalidInput, match="has not met yet"):
        locks.lock_period(session, chair, {"meeting_id": next_board.id}, today)
    locks.lock_period(session, chair, {"meeting_id": october.id}, today)
    with pytest.raises(Conflict, match="already locked"):
        locks.lock_period(session, chair, {"meeting_id": october.id}, today)


def test_a_locked_period_refuses_updates_and_date_edits(session, partnership, chair, lead, admin, october, today):
    locks.lock_period(session, chair, {"meeting_id": october.id}, today)
    tr = next(r for r in plan.plan_rows(session, partnership.id, today)
              if r.subgroup.startswith("Treatment") and r.status == "in_progress")
    in_lock = october.meeting_date - timedelta(days=3)
    after_lock = october.meeting_date + timedelta(days=1)
    updates = count(session, StatusUpdate)
    data = {"update_date": in_lock.isoformat(), "rag": "green", "progress": 50}
    with pytest.raises(PermissionDenied, match="locked"):
        actions.record_status_update(session, lead, tr.id, data, today)
    assert count(session, StatusUpdate) == updates
    # After the locked period: accepted as ever.
    actions.record_status_update(session, lead, tr.id, data | {"update_date": after_lock.isoformat()}, today)
    # An admin needs a reason; with one the change lands, audited as a late change.
    with pytest.raises(InvalidInput) as caught:
        actions.record_status_update(session, admin, tr.id, data, today)
    assert "reason" in caught.value.errors
    actions.record_status_update(session, admin, tr.id, data, today, late_reason="Correcting a misdated update")
    late = session.exec(select(AuditEvent).where(AuditEvent.verb == "late_change")).all()
    assert len(late) == 1 and "Correcting a misdated update" in late[0].after
    # Moving a due date that lay in the locked period is a late change too.
    action = session.get(Action, tr.id)
    old_due = action.due_date
    session.execute(Action.__table__.update().where(Action.__table__.c.id == action.id)
                    .values(due_date=date(2026, 9, 30)))
    session.expire_all()
    action = session.get(Action, tr.id)
    with pytest.raises(PermissionDenied, match="locked"):
        actions.edit_action(session, lead, action.id, action.version, {"due_date": "2027-03-31"})
    # A change of title alone does not touch the locked dates.
    actions.edit_action(session, lead, action.id, action.version, {"title": "Renamed after the board"})
    assert old_due is not None


def test_late_changes_are_flagged_in_the_next_report(session, partnership, chair, admin, october, next_board, today):
    packs.publish(session, chair, {"meeting_id": october.id}, today)
    locks.lock_period(session, chair, {"meeting_id": october.id}, today)
    row = next(r for r in plan.plan_rows(session, partnership.id, today) if r.status == "in_progress")
    actions.record_status_update(session, admin, row.id, {"update_date": "2026-10-01", "rag": "green", "progress": 60},
                                 today, late_reason="The owner's update was lost in the e-mail")
    report = build_report(session, partnership.id, next_board.id, today)
    assert [c["reason"] for c in report["late_changes"]] == ["The owner's update was lost in the e-mail"]
    assert row.ref in report["late_changes"][0]["summary"]
