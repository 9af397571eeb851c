"""A person's own page: the actions they own and, for a subgroup lead, every open action of the
subgroups they lead; the next board meeting with its update deadline; and the maturity ratings
waiting for them.

The rows come from the same plan rows as the overview (tracker.services.plan), so the RAG and
progress agree everywhere; "due an update" is the board calendar's rule (tracker.services.board).
Recording an update from this page goes through tracker.services.actions.record_status_update, the
same service (and so the same rules) as the action page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, or_, select

from tracker.models import Action, Person
from tracker.rules.reporting import ReportingPeriod, is_open
from tracker.services import maturity
from tracker.services.board.calendar import MeetingDeadline, current_period, due_action_ids, next_meeting
from tracker.services.board.report_parts import latest_words
from tracker.services.permissions import led_subgroup_ids
from tracker.services.plan import ActionRow, plan_row, rows_by_id


@dataclass
class MyActionRow:
    """One action on the page, with why it is there and what its last update said."""

    row: ActionRow  # ref, title, subgroup, due date, current RAG, progress, last update date, flags
    owned: bool  # the person owns it
    led: bool  # it belongs to a subgroup the person leads
    due_update: bool  # open, and no update dated in the current reporting period
    last_narrative: str = ""

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def open(self) -> bool:
        return is_open(self.row.status)


@dataclass
class MyActions:
    person_id: int
    next_meeting: MeetingDeadline | None
    period: ReportingPeriod
    rows: list[MyActionRow]
    awaiting_ratings: list[maturity.AssessmentSummary] = field(default_factory=list)
    leads: bool = False  # the person leads at least one subgroup

    @property
    def due_count(self) -> int:
        return sum(r.due_update for r in self.rows)


def sort_key(item: MyActionRow) -> tuple:
    """Due an update first; then the other open actions; closed ones last. Within each: overdue
    first, then by due date (none last), then by reference."""
    return (not item.due_update, not item.open, not item.row.overdue, item.row.due_date or date.max, item.row.ref)


def _candidate_ids(session: Session, person: Person, led: set[int], action_id: int | None) -> list[int]:
    """The actions the person owns or whose subgroup they lead (one indexed query), so only their rows
    are built, not the whole plan's: the page costs the same in a plan of 50 actions or of 4,000."""
    mine = Action.owner_id == person.id
    query = select(Action.id).where(Action.partnership_id == person.partnership_id,
                                    or_(mine, Action.subgroup_id.in_(led)) if led else mine)
    if action_id is not None:
        query = query.where(Action.id == action_id)
    return list(session.exec(query).all())


def _rows_for(session: Session, person: Person, today: date, period: ReportingPeriod,
              action_id: int | None = None) -> tuple[list[MyActionRow], bool]:
    led = led_subgroup_ids(session, person)
    ids = _candidate_ids(session, person, set(led), action_id)
    if action_id is not None:
        row = plan_row(session, person.partnership_id, action_id, today) if ids else None
        rows = [row] if row is not None else []
    else:
        rows = rows_by_id(session, person.partnership_id, ids, today)
    due = due_action_ids(session, person.partnership_id, today, period, among=ids)
    chosen = []
    for row in rows:
        owned = row.owner_id == person.id and row.status != "cancelled"
        in_led = row.subgroup_id in led and is_open(row.status)
        if owned or in_led:
            chosen.append(MyActionRow(row=row, owned=owned, led=row.subgroup_id in led, due_update=row.id in due))
    narratives = {i: u.narrative for i, u in latest_words(session, [r.id for r in chosen]).items()}
    for item in chosen:
        item.last_narrative = narratives.get(item.id, "")
    chosen.sort(key=sort_key)
    return chosen, bool(led)


def my_actions(session: Session, person: Person, today: date) -> MyActions:
    """Everything the person's page shows. A viewer owns and leads nothing, so gets no rows."""
    period = current_period(session, person.partnership_id, today)
    rows, leads = _rows_for(session, person, today, period)
    return MyActions(
        person_id=person.id,
        next_meeting=next_meeting(session, person.partnership_id, today),
        period=period,
        rows=rows,
        awaiting_ratings=maturity.awaiting_my_rating(session, person),
        leads=leads,
    )


def my_action_row(session: Session, person: Person, action_id: int, today: date) -> MyActionRow | None:
    """One row of the person's page as it is now (after an update), or None if it is not theirs."""
    period = current_period(session, person.partnership_id, today)
    rows, _ = _rows_for(session, person, today, period, action_id=action_id)
    return rows[0] if rows else None
