"""Bad input at scale, continued (the property and the strategies are in properties_support.py): the board
calendar, locks and packs, the admin's themes, objectives and thresholds, saved views and an action's
own reference. Any text, number, date or id, from any role: a clear refusal that writes nothing, or a
valid write; never another exception, never a partial write."""

from __future__ import annotations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from tests.conftest import TODAY
from tests.unit import properties_support
from tests.unit.properties_support import (
    ANYTHING,
    DATE,
    NAME,
    NUMBER,
    PROPS,
    ROLE,
    TEXT,
    _ids,
    any_id,
    form,
    mostly,
    own_partnership_id,
    refuses_or_writes,
)
from tracker.models import Action, BoardMeeting, Objective, Partnership, SavedView, Theme
from tracker.services import actions, reference, saved_views, strategy_admin, thresholds
from tracker.services.board import calendar, locks, packs

PATHS = st.sampled_from(["/", "/?theme=1", "/audit?verb=create", "/subgroup/1?rag=red", "/nowhere", "", "//x",
                         "/?" + "a" * 3000, "javascript:alert(1)", "/golden-thread?theme=all"])


def _expected(drawn, session: Session, model, record_id):
    """What the page would post as the record it opened: its real loaded state ("loaded"), or anything."""
    if drawn != "loaded":
        return drawn
    record = _opened(session, model, record_id)
    return strategy_admin.loaded(record) if record is not None else None


def _opened(session: Session, model, record_id):
    """The record a page would have open for that id: an id no INTEGER column holds is never sent to
    PostgreSQL (which refuses it rather than finding nothing)."""
    record_id = reference.as_id(record_id)
    return session.get(model, record_id) if reference.is_record_id(record_id) else None


template = properties_support.template  # the fixture: both partnerships seeded once per module
# More examples than PROPS' 15: most draws are refused, and the writes must be reached too.
PROPS = settings(PROPS, max_examples=40)


EXPECTED = st.one_of(st.just("loaded"), ANYTHING)
# Most of these changes are the administrator's or the chair's: draw them often enough to reach the writes.
MOSTLY_ADMIN = st.sampled_from(["admin", "admin", "admin", "chair", "lead", "owner", "viewer"])
MOSTLY_CHAIR = st.sampled_from(["chair", "chair", "admin", "admin", "lead", "viewer"])


# --- Themes and objectives ---------------------------------------------------------------------------


@PROPS
@given(data=st.data())
def test_add_theme(template, data):
    body = data.draw(form({"number": mostly(st.integers(1, 99)), "name": mostly(NAME, long=True)},
                          {"description": mostly(TEXT, long=True)}))
    event(refuses_or_writes(template, lambda s, who, r: strategy_admin.add_theme(s, who(r), body), data.draw(MOSTLY_ADMIN)))


@PROPS
@given(data=st.data())
def test_add_objective(template, data):
    body = data.draw(form({"theme_id": any_id(_ids(template, Theme)),
                           "code": mostly(st.sampled_from(["T1.1", "X9.9", "", "t1.1 ", "x" * 40])),
                           "title": mostly(NAME, long=True)}, {"description": mostly(TEXT, long=True)}))
    event(refuses_or_writes(template, lambda s, who, r: strategy_admin.add_objective(s, who(r), body), data.draw(MOSTLY_ADMIN)))


@PROPS
@given(data=st.data())
def test_rename_or_retire_a_theme(template, data):
    theme_id, expected = data.draw(any_id(_ids(template, Theme))), data.draw(EXPECTED)
    body = data.draw(form({"name": mostly(NAME, long=True)}, {"description": mostly(TEXT)}))
    retire = data.draw(st.one_of(st.none(), mostly(st.booleans())))

    def call(s, who, r):
        seen = _expected(expected, s, Theme, theme_id)
        if retire is None:
            return strategy_admin.edit_theme(s, who(r), theme_id, body, seen)
        return strategy_admin.set_theme_retired(s, who(r), theme_id, retire, seen)

    event(refuses_or_writes(template, call, data.draw(MOSTLY_ADMIN)))


@PROPS
@given(data=st.data())
def test_rename_or_retire_an_objective(template, data):
    objective_id, expected = data.draw(any_id(_ids(template, Objective))), data.draw(EXPECTED)
    body = data.draw(form({"title": mostly(NAME, long=True)}, {"description": mostly(TEXT)}))
    retire = data.draw(st.one_of(st.none(), mostly(st.booleans())))

    def call(s, who, r):
        seen = _expected(expected, s, Objective, objective_id)
        if retire is None:
            return strategy_admin.edit_objective(s, who(r), objective_id, body, seen)
        return strategy_admin.set_objective_retired(s, who(r), objective_id, retire, seen)

    event(refuses_or_writes(template, call, data.draw(MOSTLY_ADMIN)))


@PROPS
@given(data=st.data())
def test_update_thresholds(template, data):
    body = data.draw(form({"stale_after_days": mostly(st.integers(-5, 400)),
                           "update_deadline_working_days": mostly(st.integers(-5, 40))}))
    fresh = data.draw(st.booleans())

    def call(s, who, r):
        person = who(r)
        seen = thresholds.thresholds(s, person) if fresh and r == "admin" else data.draw(ANYTHING)
        return thresholds.update_thresholds(s, person, body, seen)

    event(refuses_or_writes(template, call, data.draw(MOSTLY_ADMIN)))


# --- The board cycle ---------------------------------------------------------------------------------


@PROPS
@given(data=st.data())
def test_add_change_or_remove_a_meeting(template, data):
    body = data.draw(form({"meeting_date": mostly(DATE)}, {"title": mostly(NAME, long=True), "location": mostly(NAME)}))
    meeting_id = data.draw(any_id(_ids(template, BoardMeeting)))
    partnership_id = data.draw(any_id(_ids(template, Partnership)))
    how = data.draw(st.sampled_from(["add", "change", "remove"]))

    def call(s, who, r):
        if how == "add":
            return calendar.add_meeting(s, who(r), partnership_id, body)
        if how == "change":
            return calendar.change_meeting(s, who(r), meeting_id, body)
        return calendar.remove_meeting(s, who(r), meeting_id)

    event(refuses_or_writes(template, call, data.draw(MOSTLY_CHAIR)))


@PROPS
@given(data=st.data())
def test_deadline_days_lock_and_publish(template, data):
    partnership_id = data.draw(any_id(_ids(template, Partnership)))
    days = data.draw(form({"update_deadline_working_days": mostly(NUMBER)}))
    choice = data.draw(form({"meeting_id": any_id(_ids(template, BoardMeeting))}))
    how = data.draw(st.sampled_from(["days", "lock", "publish"]))

    def call(s, who, r):
        if how == "days":
            return calendar.set_deadline_days(s, who(r), partnership_id, days)
        if how == "lock":
            return locks.lock_period(s, who(r), choice, TODAY)
        return packs.publish(s, who(r), choice, TODAY)

    event(refuses_or_writes(template, call, data.draw(MOSTLY_CHAIR)))


# --- Everyday use ------------------------------------------------------------------------------------


@PROPS
@given(data=st.data())
def test_save_or_delete_a_view(template, data):
    name, path = data.draw(mostly(NAME, long=True)), data.draw(mostly(PATHS))
    view_id = data.draw(any_id(_ids(template, SavedView) or [1]))
    delete = data.draw(st.booleans())

    def call(s, who, r):
        if delete:
            return saved_views.delete_view(s, who(r), view_id)
        return saved_views.save_view(s, who(r), name, path)

    event(refuses_or_writes(template, call, data.draw(ROLE)))


@PROPS
@given(data=st.data())
def test_set_an_actions_own_reference(template, data):
    action_id = data.draw(any_id(_ids(template, Action)))
    version = data.draw(st.one_of(st.just("current"), mostly(st.integers(-1, 5))))
    ref = data.draw(mostly(st.sampled_from(["1.1", "A-7", "", " ", "TR-01", "x" * 100]), long=True))

    def call(s, who, r):
        current = version
        if version == "current":
            action = _opened(s, Action, action_id)
            current = action.version if action is not None else 1
        return actions.set_external_ref(s, who(r), action_id, current, ref)

    event(refuses_or_writes(template, call, data.draw(ROLE)))


# --- The same calls with what a person would enter are written (so the properties reach the writes) --


def _meeting_id(s, when: str) -> int:
    from sqlmodel import select

    meetings = s.exec(select(BoardMeeting).where(BoardMeeting.partnership_id == own_partnership_id(s))
                      .order_by(BoardMeeting.meeting_date)).all()
    return next(m.id for m in meetings if (m.meeting_date < TODAY) == (when == "past"))


PLAUSIBLE = {
    "add_theme": ("admin", lambda s, p: strategy_admin.add_theme(s, p, {"number": 42, "name": "Housing"})),
    "add_objective": ("admin", lambda s, p: strategy_admin.add_objective(
        s, p, {"theme_id": _ids_in(s, Theme)[0], "code": "H9.1", "title": "Housing first"})),
    "rename_theme": ("admin", lambda s, p: strategy_admin.edit_theme(
        s, p, _ids_in(s, Theme)[0], {"name": "Breaking supply chains"},
        strategy_admin.loaded(s.get(Theme, _ids_in(s, Theme)[0])))),
    "thresholds": ("admin", lambda s, p: thresholds.update_thresholds(
        s, p, {"stale_after_days": 45, "update_deadline_working_days": 7}, thresholds.thresholds(s, p))),
    "add_meeting": ("chair", lambda s, p: calendar.add_meeting(s, p, p.partnership_id, {
        "meeting_date": "2027-09-15", "title": "Partnership board", "location": "One Angel Square"})),
    "change_meeting": ("chair", lambda s, p: calendar.change_meeting(s, p, _meeting_id(s, "next"),
                                                                     {"location": "County Hall"})),
    "lock": ("chair", lambda s, p: locks.lock_period(s, p, {"meeting_id": _meeting_id(s, "past")}, TODAY)),
    "save_view": ("lead", lambda s, p: saved_views.save_view(s, p, "My red actions", "/?rag=red")),
    "own_ref": ("admin", lambda s, p: actions.set_external_ref(
        s, p, _ids_in(s, Action)[0], s.get(Action, _ids_in(s, Action)[0]).version, "1.1")),
}


def _ids_in(s, model) -> list[int]:
    """The Northamptonshire partnership's rows."""
    from sqlmodel import select

    return list(s.exec(select(model.id).where(model.partnership_id == own_partnership_id(s)).order_by(model.id)).all())


@pytest.mark.parametrize("name", PLAUSIBLE)
def test_what_a_person_would_enter_is_written(template, name):
    role, call = PLAUSIBLE[name]
    assert refuses_or_writes(template, lambda s, who, r: call(s, who(r)), role) == "written"
