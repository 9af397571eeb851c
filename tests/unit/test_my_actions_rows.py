""""My actions" reads only the person's own actions and those of the subgroups they lead (not the whole
plan), and shows exactly what filtering the whole plan gives: the same rows, flags and order, for every
person of the seed and of a generated county, and one row after an inline update."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from tests.unit.test_plan_counts import generated  # noqa: F401 (a fixture)
from tracker.models import Person
from tracker.rules.reporting import is_open
from tracker.services import my_actions, plan
from tracker.services.board.calendar import current_period, due_action_ids
from tracker.services.permissions import led_subgroup_ids


def from_the_whole_plan(session, person: Person, today: date) -> list[tuple]:
    """The page's rows, worked out from every row of the plan, with no shared code beyond the rows."""
    led = led_subgroup_ids(session, person)
    due = due_action_ids(session, person.partnership_id, today, current_period(session, person.partnership_id, today))
    items = []
    for row in plan.plan_rows(session, person.partnership_id, today):
        owned = row.owner_id == person.id and row.status != "cancelled"
        if owned or (row.subgroup_id in led and is_open(row.status)):
            items.append(my_actions.MyActionRow(row=row, owned=owned, led=row.subgroup_id in led,
                                                due_update=row.id in due))
    items.sort(key=my_actions.sort_key)
    return [(i.row, i.owned, i.led, i.due_update) for i in items]


def assert_same_for_everyone(session, partnership_id: int, today: date) -> int:
    shown = 0
    for person in session.exec(select(Person).where(Person.partnership_id == partnership_id)).all():
        page = my_actions.my_actions(session, person, today)
        got = [(i.row, i.owned, i.led, i.due_update) for i in page.rows]
        assert got == from_the_whole_plan(session, person, today), person.email
        for item in page.rows[:3]:  # the one row an inline update redraws is the same row
            again = my_actions.my_action_row(session, person, item.id, today)
            assert (again.row, again.owned, again.led, again.due_update) == (
                item.row, item.owned, item.led, item.due_update)
        shown += len(got)
    return shown


def test_everyones_page_on_the_seed_is_the_plan_filtered(session, partnership, today):
    assert assert_same_for_everyone(session, partnership.id, today) > 20


def test_everyones_page_in_a_generated_county_is_the_plan_filtered(session, generated, today):  # noqa: F811
    assert assert_same_for_everyone(session, generated.id, today) > 200


def test_an_action_that_is_not_theirs_has_no_row(session, partnership, today):
    viewer = session.exec(select(Person).where(Person.role == "viewer", Person.partnership_id == partnership.id)).first()
    someone_elses = plan.plan_rows(session, partnership.id, today)[0]
    assert my_actions.my_action_row(session, viewer, someone_elses.id, today) is None
