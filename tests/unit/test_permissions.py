"""The permission matrix of every write service of the delivery plan: who may, who may not.

Each refused write must change nothing, so every case also counts the rows it could have written.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, func, select

from tests.factories import action_input, build_world, tor_input
from tracker.db import create_schema, make_engine
from tracker.models import Action, AuditEvent, StatusUpdate, SubgroupMember, TermsOfReference
from tracker.services import actions, subgroups
from tracker.services.errors import PermissionDenied

TODAY = date(2026, 11, 23)


@pytest.fixture
def world_session():
    engine = make_engine("sqlite://")
    create_schema(engine)
    with Session(engine, expire_on_commit=False) as session:
        world = build_world(session)
        session.commit()
        yield world, session


def _counts(session: Session) -> tuple:
    return tuple(session.exec(select(func.count()).select_from(model)).one()
                 for model in (Action, StatusUpdate, TermsOfReference, SubgroupMember, AuditEvent))


def _writes(world):
    """Each write service, called as `actor` against the world's subgroup A and its action."""
    a = world.action
    return {
        "record_status_update": lambda s, actor: actions.record_status_update(
            s, actor, a.id, {"update_date": TODAY, "rag": "green", "progress": 40}, TODAY),
        "edit_action": lambda s, actor: actions.edit_action(
            s, actor, a.id, s.get(Action, a.id).version, action_input(world, title="Renamed by a test")),
        "create_action": lambda s, actor: actions.create_action(
            s, actor, action_input(world, title="A new action")),
        "record_tor_version": lambda s, actor: subgroups.record_tor_version(
            s, actor, world.subgroup_a.id, 1, tor_input()),
        "add_member": lambda s, actor: subgroups.add_member(s, actor, world.subgroup_a.id, world.viewer.id),
    }


# write -> the people allowed to make it (everyone else must be refused)
ALLOWED = {
    "record_status_update": {"admin", "lead", "owner"},
    "edit_action": {"admin", "lead"},
    "create_action": {"admin", "lead"},
    "record_tor_version": {"admin", "lead"},
    "add_member": {"admin", "lead"},
}
PEOPLE = ("admin", "chair", "lead", "other_lead", "owner", "member", "viewer")


@pytest.mark.parametrize("write", sorted(ALLOWED))
@pytest.mark.parametrize("who", PEOPLE)
def test_permission_matrix(world_session, write, who):
    world, session = world_session
    actor = getattr(world, who)
    before = _counts(session)
    call = _writes(world)[write]
    if who in ALLOWED[write]:
        call(session, actor)
        session.commit()
        assert _counts(session) != before, f"{who} should have been able to {write}"
        assert session.exec(select(AuditEvent).where(AuditEvent.actor_id == actor.id)).first() is not None
    else:
        with pytest.raises(PermissionDenied) as refused:
            call(session, actor)
        session.rollback()
        assert str(refused.value), "a refusal must say why"
        assert _counts(session) == before, f"a refused {write} by {who} changed the database"


def test_inactive_person_is_refused_everything(world_session):
    world, session = world_session
    world.lead.is_active = False
    session.commit()
    for write in ALLOWED:
        with pytest.raises(PermissionDenied):
            _writes(world)[write](session, world.lead)
        session.rollback()


def test_another_partnerships_admin_cannot_touch_this_plan(world_session):
    world, session = world_session
    other = build_world(session, slug="elsewhere")
    session.commit()
    before = _counts(session)
    for write in ("record_status_update", "edit_action", "record_tor_version", "add_member"):
        with pytest.raises(Exception) as refused:
            _writes(world)[write](session, other.admin)
        session.rollback()
        assert type(refused.value).__name__ in ("PermissionDenied", "NotFound")
    assert _counts(session) == before
