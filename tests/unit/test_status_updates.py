"""tracker.services.actions: recording a status update (the input rules, who may, the audit trail).
Every refused write is checked to have written nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from tests.factories import build_world
from tests.unit.actions_support import TODAY, counts, refused, update
from tracker.models import Action, AuditEvent, StatusUpdate
from tracker.services import action_views, actions, plan
from tracker.services.errors import NotFound, PermissionDenied

# --- Recording a status update: the input rules ----------------------------------------------


def test_a_good_update_is_recorded_with_its_author(db_session, world):
    saved = actions.record_status_update(
        db_session, world.owner, world.action.id,
        update(rag="amber", progress="45%", narrative="  Recruitment is behind.  ", blockers="Two vacancies"), TODAY)
    db_session.commit()
    assert (saved.rag, saved.progress, saved.narrative, saved.author_id) == (
        "amber", 45, "Recruitment is behind.", world.owner.id)
    [entry] = action_views.history(db_session, world.action.id)
    assert entry.update.id == saved.id and entry.author == world.owner.name
    assert entry.update.blockers == "Two vacancies"


@pytest.mark.parametrize("rag", ["purple", "amber_green", "AMBER", "cancelled"])
def test_a_rag_outside_the_partnerships_scale_is_refused(db_session, world, rag):
    # amber_green is on the five-point scale, not on this partnership's standard one.
    errors = refused(db_session, world.lead, world.action.id, update(rag=rag, narrative="Why"))
    assert "rag" in errors and "Green, Amber, Red, Blue, Grey" in errors["rag"]


def test_a_missing_rag_asks_for_one(db_session, world):
    errors = refused(db_session, world.lead, world.action.id, update(rag=""))
    assert errors["rag"].startswith("Choose a RAG")


@pytest.mark.parametrize("progress", [-1, 101, 150, "abc", "", None, 45.5, "12.5"])
def test_progress_must_be_a_whole_number_from_0_to_100(db_session, world, progress):
    errors = refused(db_session, world.lead, world.action.id, update(progress=progress))
    assert set(errors) == {"progress"}


@pytest.mark.parametrize("progress", [0, 100, "55", " 60 % ", 70.0])
def test_progress_in_range_is_accepted(db_session, world, progress):
    saved = actions.record_status_update(db_session, world.lead, world.action.id, update(progress=progress), TODAY)
    assert 0 <= saved.progress <= 100


def test_an_update_dated_in_the_future_is_refused(db_session, world):
    errors = refused(db_session, world.lead, world.action.id, update(update_date=TODAY + timedelta(days=1)))
    assert errors == {"update_date": "An update cannot be dated in the future"}
    # Today itself is fine.
    actions.record_status_update(db_session, world.lead, world.action.id, update(update_date=TODAY), TODAY)


def test_an_update_dated_before_the_action_started_is_refused(db_session, world):
    start = world.action.start_date
    errors = refused(db_session, world.lead, world.action.id, update(update_date=start - timedelta(days=1)))
    assert errors == {"update_date": "An update cannot be dated before the action started"}
    actions.record_status_update(db_session, world.lead, world.action.id, update(update_date=start), TODAY)


@pytest.mark.parametrize("bad_date", ["", "31/02/2026", "not a date", None])
def test_an_update_needs_a_real_date(db_session, world, bad_date):
    errors = refused(db_session, world.lead, world.action.id, update(update_date=bad_date))
    assert set(errors) == {"update_date"}


@pytest.mark.parametrize("rag", ["amber", "red"])
@pytest.mark.parametrize("narrative", ["", "   "])
def test_amber_and_red_need_a_narrative(db_session, world, rag, narrative):
    errors = refused(db_session, world.lead, world.action.id, update(rag=rag, narrative=narrative))
    assert set(errors) == {"narrative"}
    assert "narrative" in errors["narrative"].lower()


@pytest.mark.parametrize("rag", ["green", "grey"])
def test_green_and_grey_need_no_narrative(db_session, world, rag):
    actions.record_status_update(db_session, world.lead, world.action.id, update(rag=rag), TODAY)


def test_blue_needs_100_percent(db_session, world):
    errors = refused(db_session, world.lead, world.action.id, update(rag="blue", progress=90))
    assert set(errors) == {"progress"} and "100%" in errors["progress"]


def test_every_problem_is_reported_at_once(db_session, world):
    """Amber with no narrative and progress 150: both, so the user fixes everything in one go."""
    errors = refused(db_session, world.lead, world.action.id, update(rag="amber", progress=150))
    assert set(errors) == {"narrative", "progress"}
    errors = refused(db_session, world.lead, world.action.id,
                     update(rag="purple", progress="abc", narrative="Why", update_date=TODAY + timedelta(days=3)))
    assert set(errors) == {"rag", "progress", "update_date"}


def test_an_unexpected_field_is_refused(db_session, world):
    errors = refused(db_session, world.lead, world.action.id, update(author_id=world.admin.id))
    assert "author_id" in errors


def test_a_blue_update_completes_the_action(db_session, world):
    version = world.action.version
    actions.record_status_update(db_session, world.lead, world.action.id,
                                 update(rag="blue", progress=100, narrative="All places open."), TODAY)
    db_session.commit()
    action = db_session.get(Action, world.action.id)
    assert action.status == "complete"
    assert action.version == version + 1  # an editor who loaded the old status must reload
    assert action.updated_by_id == world.lead.id
    row = plan.plan_row(db_session, world.partnership_id, action.id, TODAY)
    assert (row.rag, row.progress, row.status) == ("blue", 100, "complete")


def test_a_first_update_starts_a_not_started_action(db_session, world):
    action = db_session.get(Action, world.action.id)
    action.status = "not_started"
    db_session.commit()
    actions.record_status_update(db_session, world.owner, action.id, update(rag="green"), TODAY)
    db_session.commit()
    assert db_session.get(Action, action.id).status == "in_progress"


def test_a_complete_action_takes_only_blue_updates(db_session, world):
    actions.record_status_update(db_session, world.lead, world.action.id, update(rag="blue", progress=100), TODAY)
    db_session.commit()
    errors = refused(db_session, world.lead, world.action.id, update(rag="red", narrative="Reopened?"))
    assert "complete" in errors["rag"]


def test_updates_are_added_never_overwritten_and_listed_newest_first(db_session, world):
    first = actions.record_status_update(db_session, world.owner, world.action.id,
                                         update(update_date=TODAY - timedelta(days=30), progress=20), TODAY)
    second = actions.record_status_update(db_session, world.lead, world.action.id,
                                          update(rag="amber", progress=30, narrative="Slipping"), TODAY)
    same_day = actions.record_status_update(db_session, world.owner, world.action.id,
                                            update(rag="red", progress=30, narrative="Worse"), TODAY)
    db_session.commit()
    entries = action_views.history(db_session, world.action.id)
    assert [e.update.id for e in entries] == [same_day.id, second.id, first.id]
    assert [e.author for e in entries] == [world.owner.name, world.lead.name, world.owner.name]
    assert db_session.get(StatusUpdate, first.id).progress == 20


# --- Recording a status update: who may -------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "lead", "owner"])
def test_admin_lead_and_owner_may_record_an_update(db_session, world, who):
    actions.record_status_update(db_session, getattr(world, who), world.action.id, update(), TODAY)


@pytest.mark.parametrize("who", ["viewer", "other_lead", "member", "chair"])
def test_others_may_not_record_an_update(db_session, world, who):
    before = counts(db_session)
    with pytest.raises(PermissionDenied) as caught:
        actions.record_status_update(db_session, getattr(world, who), world.action.id, update(), TODAY)
    db_session.rollback()
    assert world.action.ref in str(caught.value)
    assert counts(db_session) == before


def test_permission_is_checked_before_the_input(db_session, world):
    """A viewer learns nothing about the rules: a bad update is still just 'not allowed'."""
    with pytest.raises(PermissionDenied):
        actions.record_status_update(db_session, world.viewer, world.action.id, update(rag="purple"), TODAY)


def test_an_action_of_another_partnership_is_not_found(db_session, world):
    other = build_world(db_session, slug="elsewhere")
    db_session.commit()
    with pytest.raises(NotFound):
        actions.record_status_update(db_session, world.admin, other.action.id, update(), TODAY)
    with pytest.raises(NotFound):
        actions.edit_action(db_session, world.admin, other.action.id, 1, {"title": "Taken over"})
    assert db_session.get(Action, other.action.id).title == other.action.title


def test_a_status_update_is_audited(db_session, world):
    saved = actions.record_status_update(db_session, world.owner, world.action.id,
                                         update(rag="amber", progress=35, narrative="Slipping"), TODAY)
    db_session.commit()
    event = db_session.exec(select(AuditEvent).where(AuditEvent.entity_type == "StatusUpdate")).one()
    assert (event.actor_id, event.actor_name, event.verb, event.entity_id) == (
        world.owner.id, world.owner.name, "create", saved.id)
    assert event.partnership_id == world.partnership_id
    assert "TR-01" in event.summary and "Amber" in event.summary
    after = json.loads(event.after)
    assert (after["rag"], after["progress"], after["narrative"]) == ("amber", 35, "Slipping")
