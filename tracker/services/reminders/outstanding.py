"""Who owes which updates before the next board's deadline.

An action due an update (open, and no update dated in the current reporting period: the board
calendar's rule) is owed by its owner; an action with no active owner is owed by its subgroup's
named lead. One with neither is counted under "No one" and nobody is reminded of it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from tracker.models import Person, Subgroup
from tracker.services.board.calendar import MeetingDeadline, due_action_ids, next_meeting
from tracker.services.plan import ActionRow, plan_rows

NO_ONE = "No one"


@dataclass
class PersonOwes:
    person: Person
    actions: list[ActionRow]
    as_lead: set[int] = field(default_factory=set)  # ids of actions owed as the subgroup's lead (no owner)

    @property
    def count(self) -> int:
        return len(self.actions)


@dataclass
class Outstanding:
    meeting: MeetingDeadline | None
    people: list[PersonOwes]  # by name
    unassigned: list[ActionRow]  # due, but nobody to remind
    by_subgroup: Counter

    @property
    def total(self) -> int:
        return sum(p.count for p in self.people) + len(self.unassigned)

    def by_person(self) -> dict[str, int]:
        counts = {p.person.name: p.count for p in self.people}
        if self.unassigned:
            counts[NO_ONE] = len(self.unassigned)
        return counts


def outstanding(session: Session, partnership_id: int, today: date) -> Outstanding:
    """The updates owed before the next deadline, per person and per subgroup."""
    meeting = next_meeting(session, partnership_id, today)
    due = due_action_ids(session, partnership_id, today)
    rows = [r for r in plan_rows(session, partnership_id, today) if r.id in due]
    rows.sort(key=lambda r: (r.due_date or date.max, r.ref))
    people = {p.id: p for p in session.exec(select(Person).where(Person.partnership_id == partnership_id))}
    leads = {s.id: s.lead_id for s in session.exec(select(Subgroup).where(Subgroup.partnership_id == partnership_id))}

    def reachable(person_id: int | None) -> Person | None:
        person = people.get(person_id)
        return person if person is not None and person.is_active and person.role != "viewer" else None

    owed: dict[int, PersonOwes] = {}
    unassigned: list[ActionRow] = []
    for row in rows:
        person = reachable(row.owner_id)
        as_lead = person is None
        if as_lead:
            person = reachable(leads.get(row.subgroup_id))
        if person is None:
            unassigned.append(row)
            continue
        entry = owed.setdefault(person.id, PersonOwes(person=person, actions=[]))
        entry.actions.append(row)
        if as_lead:
            entry.as_lead.add(row.id)
    return Outstanding(
        meeting=meeting,
        people=sorted(owed.values(), key=lambda p: (p.person.name, p.person.id)),
        unassigned=unassigned,
        by_subgroup=Counter(r.subgroup for r in rows),
    )
