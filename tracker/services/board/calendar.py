"""The board calendar: meetings, the next meeting and its update deadline, the current reporting
period, and which actions are due an update before the next board.

Deadlines count working days (Monday to Friday); UK bank holidays are not taken into account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func
from sqlmodel import Session, select

from tracker.models import (
    Action,
    BoardMeeting,
    BoardPack,
    Partnership,
    PeriodLock,
    Person,
    StatusUpdate,
    utcnow,
)
from tracker.rules.reporting import CLOSED_STATUSES, ReportingPeriod, reporting_period, update_deadline
from tracker.services import audit
from tracker.services.board.inputs import BoardMeetingIn, DeadlineSettingIn
from tracker.services.errors import Conflict, InvalidInput, NotFound, validated
from tracker.services.permissions import require_chair_or_admin, require_same_partnership
from tracker.services.plan import ActionRow, plan_rows
from tracker.services.reference import as_id, owned

MEETING_FIELDS = ["meeting_date", "title", "location", "notes", "illustrative"]
BANK_HOLIDAY_NOTE = "Deadlines count working days, Monday to Friday; UK bank holidays are not taken into account."


@dataclass
class MeetingDeadline:
    meeting: BoardMeeting
    deadline: date
    working_days: int  # the partnership's setting the deadline was computed with
    days_to_deadline: int  # calendar days from today (negative once it has passed)
    published: bool


def list_meetings(session: Session, partnership_id: int) -> list[BoardMeeting]:
    return list(session.exec(
        select(BoardMeeting).where(BoardMeeting.partnership_id == partnership_id).order_by(BoardMeeting.meeting_date)
    ).all())


def get_meeting(session: Session, partnership_id: int, meeting_id: int) -> BoardMeeting:
    meeting = owned(session, BoardMeeting, partnership_id, as_id(meeting_id))
    if meeting is None:
        raise NotFound(f"There is no board meeting {meeting_id} in this partnership.")
    return meeting


def deadline_days(session: Session, partnership_id: int) -> int:
    partnership = session.get(Partnership, partnership_id)
    return partnership.update_deadline_working_days if partnership else 10


def published_dates(session: Session, partnership_id: int) -> list[date]:
    return list(session.exec(select(BoardPack.meeting_date).where(BoardPack.partnership_id == partnership_id)).all())


def deadline_for(session: Session, meeting: BoardMeeting, today: date) -> MeetingDeadline:
    days = deadline_days(session, meeting.partnership_id)
    deadline = update_deadline(meeting.meeting_date, days)
    published = session.exec(select(BoardPack.id).where(BoardPack.meeting_id == meeting.id)).first() is not None
    return MeetingDeadline(meeting=meeting, deadline=deadline, working_days=days,
                           days_to_deadline=(deadline - today).days, published=published)


def next_meeting(session: Session, partnership_id: int, today: date) -> MeetingDeadline | None:
    """The next board meeting (today or later) and its update deadline; None if none is planned."""
    meeting = session.exec(
        select(BoardMeeting)
        .where(BoardMeeting.partnership_id == partnership_id, BoardMeeting.meeting_date >= today)
        .order_by(BoardMeeting.meeting_date)
    ).first()
    return deadline_for(session, meeting, today) if meeting else None


def previous_meeting(session: Session, partnership_id: int, before: date) -> BoardMeeting | None:
    return session.exec(
        select(BoardMeeting)
        .where(BoardMeeting.partnership_id == partnership_id, BoardMeeting.meeting_date < before)
        .order_by(BoardMeeting.meeting_date.desc())
    ).first()


def current_period(session: Session, partnership_id: int, today: date) -> ReportingPeriod:
    """Since the last published board report (or the last meeting, before any is published) up to
    the next meeting."""
    dates = [m.meeting_date for m in list_meetings(session, partnership_id)]
    return reporting_period(today, dates, published_dates(session, partnership_id))


def due_action_ids(session: Session, partnership_id: int, today: date,
                   period: ReportingPeriod | None = None, among: list[int] | None = None) -> set[int]:
    """Ids of the open actions with no update dated in the current reporting period (one query);
    with `among`, only those of these actions. Correlated per action (NOT EXISTS on the
    action_id/update_date index) rather than NOT IN a list of every partnership's updates in the
    period: at region x100 that list was 53 ms of the my-actions page, this is a few."""
    period = period or current_period(session, partnership_id, today)
    updated = [StatusUpdate.action_id == Action.id, StatusUpdate.update_date <= (period.end or date.max)]
    if period.start is not None:
        updated.append(StatusUpdate.update_date > period.start)
    rows = session.exec(
        select(Action.id).where(
            Action.partnership_id == partnership_id,
            Action.status.not_in(CLOSED_STATUSES),
            ~exists().where(*updated),
            *([Action.id.in_(among)] if among is not None else []),
        )
    ).all()
    return set(rows)


def actions_due_an_update(session: Session, partnership_id: int, today: date) -> list[ActionRow]:
    """The plan rows (as the overview computes them) of the actions due an update, by due date."""
    due = due_action_ids(session, partnership_id, today)
    rows = [r for r in plan_rows(session, partnership_id, today) if r.id in due]
    rows.sort(key=lambda r: (r.due_date or date.max, r.ref))
    return rows


# --- Changes (the chair or an administrator) ---------------------------------------------------


def _clash(session: Session, partnership_id: int, day: date, meeting_id: int | None) -> None:
    other = session.exec(select(BoardMeeting).where(
        BoardMeeting.partnership_id == partnership_id, BoardMeeting.meeting_date == day)).first()
    if other is not None and other.id != meeting_id:
        raise InvalidInput({"meeting_date": f"There is already a board meeting on {day:%d/%m/%Y}: choose another date"})


def add_meeting(session: Session, actor: Person, partnership_id: int, data: dict) -> BoardMeeting:
    require_chair_or_admin(actor)
    require_same_partnership(actor, partnership_id)
    payload = validated(BoardMeetingIn, dict(data))
    _clash(session, partnership_id, payload.meeting_date, None)
    meeting = BoardMeeting(partnership_id=partnership_id, **payload.model_dump())
    session.add(meeting)
    session.flush()
    audit.record(session, actor, "create", meeting,
                 summary=f"Added board meeting on {meeting.meeting_date:%d/%m/%Y}: {meeting.title}")
    return meeting


def _published(session: Session, meeting: BoardMeeting) -> bool:
    return session.exec(select(BoardPack.id).where(BoardPack.meeting_id == meeting.id)).first() is not None


def change_meeting(session: Session, actor: Person, meeting_id: int, data: dict) -> BoardMeeting:
    require_chair_or_admin(actor)
    meeting = get_meeting(session, actor.partnership_id, meeting_id)
    current = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    payload = validated(BoardMeetingIn, current | dict(data))
    if payload.meeting_date != meeting.meeting_date and _published(session, meeting):
        raise Conflict("The report for this meeting has been published: its date can no longer change.")
    _clash(session, meeting.partnership_id, payload.meeting_date, meeting.id)
    before = audit.snapshot(meeting, MEETING_FIELDS)
    for name, value in payload.model_dump().items():
        setattr(meeting, name, value)
    meeting.updated_at = utcnow()
    session.add(meeting)
    session.flush()
    audit.record(session, actor, "update", meeting, before=before, after=audit.snapshot(meeting, MEETING_FIELDS),
                 summary=f"Changed board meeting of {meeting.meeting_date:%d/%m/%Y}")
    return meeting


def remove_meeting(session: Session, actor: Person, meeting_id: int) -> None:
    require_chair_or_admin(actor)
    meeting = get_meeting(session, actor.partnership_id, meeting_id)
    if _published(session, meeting):
        raise Conflict("The report for this meeting has been published: the meeting cannot be removed.")
    for lock in session.exec(select(PeriodLock).where(PeriodLock.meeting_id == meeting.id)):
        lock.meeting_id = None
        session.add(lock)
    audit.record(session, actor, "delete", meeting, before=audit.snapshot(meeting, MEETING_FIELDS),
                 summary=f"Removed board meeting of {meeting.meeting_date:%d/%m/%Y}")
    session.delete(meeting)
    session.flush()


def set_deadline_days(session: Session, actor: Person, partnership_id: int, data: dict) -> Partnership:
    """Change how many working days before each meeting updates are due."""
    require_chair_or_admin(actor)
    require_same_partnership(actor, partnership_id)
    payload = validated(DeadlineSettingIn, dict(data))
    partnership = session.get(Partnership, partnership_id)
    before = {"update_deadline_working_days": partnership.update_deadline_working_days}
    partnership.update_deadline_working_days = payload.update_deadline_working_days
    session.add(partnership)
    session.flush()
    audit.record(session, actor, "update", partnership, before=before, after=payload.model_dump(),
                 summary=f"Update deadline set to {payload.update_deadline_working_days} working days before each board")
    return partnership


def meeting_count(session: Session, partnership_id: int) -> int:
    return session.exec(select(func.count()).select_from(BoardMeeting)
                        .where(BoardMeeting.partnership_id == partnership_id)).one()
