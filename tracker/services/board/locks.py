"""Locked periods: after a board, the chair or an administrator locks everything dated up to that
meeting. A change to a locked period is then refused, except for an administrator who gives a reason;
such a late change is audited (verb "late_change") and flagged in the next board report."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from tracker.models import PeriodLock, Person
from tracker.services import audit
from tracker.services.board.calendar import get_meeting
from tracker.services.board.inputs import LateChangeIn, MeetingChoiceIn
from tracker.services.board.report_parts import LATE_CHANGE_VERB
from tracker.services.errors import Conflict, InvalidInput, PermissionDenied, validated
from tracker.services.permissions import is_admin, require_chair_or_admin


def locked_until(session: Session, partnership_id: int) -> date | None:
    """The last day of the locked periods (None if nothing is locked)."""
    dates = session.exec(select(PeriodLock.locked_until).where(PeriodLock.partnership_id == partnership_id)).all()
    return max(dates) if dates else None


def list_locks(session: Session, partnership_id: int) -> list[PeriodLock]:
    return list(session.exec(select(PeriodLock).where(PeriodLock.partnership_id == partnership_id)
                             .order_by(PeriodLock.locked_until)).all())


def lock_period(session: Session, actor: Person, data: dict, today: date) -> PeriodLock:
    """Lock the period up to a board meeting that has taken place."""
    require_chair_or_admin(actor)
    choice = validated(MeetingChoiceIn, dict(data))
    meeting = get_meeting(session, actor.partnership_id, choice.meeting_id)
    if meeting.meeting_date > today:
        raise InvalidInput({"meeting_id": f"The board of {meeting.meeting_date:%d/%m/%Y} has not met yet: "
                                          "lock a period only after its board"})
    until = locked_until(session, meeting.partnership_id)
    if until is not None and until >= meeting.meeting_date:
        raise Conflict(f"Everything up to {until:%d/%m/%Y} is already locked.")
    lock = PeriodLock(partnership_id=meeting.partnership_id, meeting_id=meeting.id,
                      locked_until=meeting.meeting_date, locked_by_id=actor.id)
    session.add(lock)
    session.flush()
    audit.record(session, actor, "lock", lock, summary=f"Locked the period up to the board of {meeting.meeting_date:%d/%m/%Y}")
    return lock


def check_period_open(session: Session, partnership_id: int, on_date: date | None, person: Person,
                      reason: str | None = None, what: str = "") -> None:
    """Refuse a change dated in a locked period, unless an administrator gives a reason (then the
    late change is audited). Call it before writing; it writes nothing when the period is open."""
    until = locked_until(session, partnership_id)
    if on_date is None or until is None or on_date > until:
        return
    if not is_admin(person):
        raise PermissionDenied(
            f"The period up to {until:%d/%m/%Y} is locked after its board: {what or 'this change'} "
            f"(dated {on_date:%d/%m/%Y}) can only be made by an administrator, with a reason.")
    if not reason or not str(reason).strip():
        raise InvalidInput({"reason": f"The period up to {until:%d/%m/%Y} is locked: give a reason for this late change"})
    payload = validated(LateChangeIn, {"reason": reason})
    lock = session.exec(select(PeriodLock).where(PeriodLock.partnership_id == partnership_id,
                                                 PeriodLock.locked_until >= on_date)
                        .order_by(PeriodLock.locked_until)).first()
    audit.record(session, person, LATE_CHANGE_VERB, lock, partnership_id=partnership_id,
                 after={"reason": payload.reason, "on_date": on_date.isoformat(), "what": what},
                 summary=f"Changed after the board: {what or 'a change'} dated {on_date:%d/%m/%Y}")


DATED_FIELDS = ("start_date", "due_date")


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def check_action_edit(session: Session, partnership_id: int, before: dict, after: dict, person: Person,
                      reason: str | None = None, ref: str = "") -> None:
    """An edit that moves a start or due date lying in a locked period (from or to it) changes the
    action as the board saw it: the same rule as check_period_open."""
    days = [d for name in DATED_FIELDS if _day(before.get(name)) != _day(after.get(name))
            for d in (_day(before.get(name)), _day(after.get(name))) if d is not None]
    if days:
        check_period_open(session, partnership_id, min(days), person, reason, f"a date of action {ref}".strip())
