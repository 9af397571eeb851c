"""tracker.services.actions: editing an action (conflicts, who may, the audit trail), adding one, reading one.
Every refused write is checked to have written nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import func, select

from tests.factories import action_input, build_world
from tests.unit.actions_support import TODAY, counts, update
from tracker.models import Action, ActionIndicator, ActionOutcome, AuditEvent, Indicator, Outcome
from tracker.services import action_views, actions
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

# --- Editing an action ------------------------------------------------------------------------


def test_a_lead_edits_the_action_and_the_version_moves_on(db_session, world):
    version = world.action.version
    saved = actions.edit_action(db_session, world.lead, world.action.id, version,
                                action_input(world, title="Open 12 more detox places", lead_organisation="NHS"))
    db_session.commit()
    assert (saved.title, saved.lead_organisation, saved.version) == ("Open 12 more detox places", "NHS", version + 1)
    assert saved.updated_by_id == world.lead.id


def test_due_before_start_is_refused_and_nothing_is_written(db_session, world):
    version = world.action.version
    before = counts(db_session)
    with pytest.raises(InvalidInput) as caught:
        actions.edit_action(db_session, world.lead, world.action.id, version,
                            action_input(world, title="Changed", start_date=date(2026, 6, 1),
                                         due_date=date(2026, 5, 31)))
    db_session.rollback()
    assert caught.value.errors == {"due_date": "The due date cannot be before the start date"}
    action = db_session.get(Action, world.action.id)
    assert (action.title, action.version) == (world.action.title, version)
    assert counts(db_session) == before


@pytest.mark.parametrize("changes, field", [
    ({"title": "ab"}, "title"),
    ({"title": ""}, "title"),
    ({"status": "finished"}, "status"),
    ({"start_date": "31/13/2026"}, "start_date"),
])
def test_bad_details_are_refused_by_field(db_session, world, changes, field):
    with pytest.raises(InvalidInput) as caught:
        actions.edit_action(db_session, world.lead, world.action.id, world.action.version, action_input(world, **changes))
    assert field in caught.value.errors


def test_every_problem_with_the_details_is_reported_at_once(db_session, world):
    with pytest.raises(InvalidInput) as caught:
        actions.edit_action(db_session, world.lead, world.action.id, world.action.version, action_input(
            world, title="", status="finished", start_date=date(2026, 6, 1), due_date=date(2026, 5, 1)))
    assert set(caught.value.errors) == {"title", "status", "due_date"}


def test_ids_from_another_partnership_are_refused(db_session, world):
    """Ids come from the browser: an owner, objective or outcome of another partnership is refused."""
    other = build_world(db_session, slug="elsewhere")
    foreign_outcome = Outcome(partnership_id=other.partnership_id, code="S1", kind="strategic", name="Elsewhere")
    db_session.add(foreign_outcome)
    db_session.commit()
    with pytest.raises(InvalidInput) as caught:
        actions.edit_action(db_session, world.lead, world.action.id, world.action.version, action_input(
            world, owner_id=other.owner.id, objective_id=other.objective.id, outcome_ids=[foreign_outcome.id]))
    assert set(caught.value.errors) == {"owner_id", "objective_id", "outcome_ids"}
    assert db_session.get(Action, world.action.id).owner_id == world.owner.id


def test_a_second_edit_with_a_stale_version_is_a_conflict_naming_who_changed_it(db_session, world):
    loaded = world.action.version  # both the lead and the admin open the form at this version
    actions.edit_action(db_session, world.lead, world.action.id, loaded, action_input(world, title="The lead's title"))
    db_session.commit()
    before = counts(db_session)
    audit_before = db_session.exec(select(func.count(AuditEvent.id))).one()

    with pytest.raises(Conflict) as caught:
        actions.edit_action(db_session, world.admin, world.action.id, loaded,
                            action_input(world, title="The admin's title", outcome_ids=[]))
    db_session.rollback()
    message = str(caught.value)
    assert world.lead.name in message and "Nothing you entered was saved" in message
    action = db_session.get(Action, world.action.id)
    assert (action.title, action.version, action.updated_by_id) == ("The lead's title", loaded + 1, world.lead.id)
    assert counts(db_session) == before
    assert db_session.exec(select(func.count(AuditEvent.id))).one() == audit_before


def test_a_conflict_leaves_the_callers_session_usable(db_session, world):
    actions.edit_action(db_session, world.lead, world.action.id, 1, action_input(world, title="First save"))
    with pytest.raises(Conflict):
        actions.edit_action(db_session, world.admin, world.action.id, 1, action_input(world, title="Second save"))
    db_session.commit()  # the first save, in the same unit of work, is kept
    assert db_session.get(Action, world.action.id).title == "First save"


def test_a_status_update_since_loading_also_makes_an_edit_conflict(db_session, world):
    loaded = world.action.version
    actions.record_status_update(db_session, world.owner, world.action.id,
                                 update(rag="blue", progress=100, narrative="Done"), TODAY)
    db_session.commit()
    with pytest.raises(Conflict) as caught:
        # Saving the old form would put the status back to "in progress".
        actions.edit_action(db_session, world.lead, world.action.id, loaded, action_input(world))
    assert world.owner.name in str(caught.value)
    assert db_session.get(Action, world.action.id).status == "complete"


@pytest.mark.parametrize("version", [None, "1", "abc", 0, 99])
def test_a_missing_or_made_up_version_never_overwrites(db_session, world, version):
    title = world.action.title
    if version == "1":  # the right version, sent as text, still works
        actions.edit_action(db_session, world.lead, world.action.id, version, action_input(world, title="Text version"))
        return
    with pytest.raises(Conflict):
        actions.edit_action(db_session, world.lead, world.action.id, version, action_input(world, title="Sneaky"))
    db_session.rollback()
    assert db_session.get(Action, world.action.id).title == title


@pytest.mark.parametrize("who", ["owner", "viewer", "other_lead", "member", "chair"])
def test_only_admin_and_subgroup_leads_may_edit_details(db_session, world, who):
    with pytest.raises(PermissionDenied):
        actions.edit_action(db_session, getattr(world, who), world.action.id, world.action.version,
                            action_input(world, title="Renamed"))
    db_session.rollback()
    assert db_session.get(Action, world.action.id).title == world.action.title


def test_moving_an_action_needs_rights_on_both_subgroups(db_session, world):
    with pytest.raises(PermissionDenied):
        actions.edit_action(db_session, world.lead, world.action.id, world.action.version,
                            action_input(world, subgroup_id=world.subgroup_b.id))
    db_session.rollback()
    saved = actions.edit_action(db_session, world.admin, world.action.id, world.action.version,
                                action_input(world, subgroup_id=world.subgroup_b.id))
    assert saved.subgroup_id == world.subgroup_b.id


def test_fields_left_out_keep_their_values(db_session, world):
    """A short form (title only) must not wipe the source, the illustrative flag or the links."""
    outcome = Outcome(partnership_id=world.partnership_id, code="I2", kind="intermediate", name="Treatment")
    indicator = Indicator(partnership_id=world.partnership_id, code="NIT", name="Adults in treatment")
    db_session.add_all([outcome, indicator])
    db_session.flush()
    action = db_session.get(Action, world.action.id)
    action.source, action.illustrative = "Board report, June 2023", True
    db_session.add_all([ActionOutcome(action_id=action.id, outcome_id=outcome.id),
                        ActionIndicator(action_id=action.id, indicator_id=indicator.id)])
    db_session.commit()

    saved = actions.edit_action(db_session, world.lead, action.id, action.version, {"title": "Only the title"})
    db_session.commit()
    assert (saved.title, saved.source, saved.illustrative) == ("Only the title", "Board report, June 2023", True)
    assert saved.owner_id == world.owner.id and saved.due_date == date(2027, 3, 31)
    assert action_views.linked_outcome_ids(db_session, action.id) == [outcome.id]
    assert action_views.linked_indicator_ids(db_session, action.id) == [indicator.id]


def test_an_edit_is_audited_with_what_changed_before_and_after(db_session, world):
    outcome = Outcome(partnership_id=world.partnership_id, code="I2", kind="intermediate", name="Treatment")
    db_session.add(outcome)
    db_session.commit()
    actions.edit_action(db_session, world.lead, world.action.id, world.action.version,
                        action_input(world, title="Renamed", due_date=date(2027, 6, 30), outcome_ids=[outcome.id])
                        | {"due_date_reason": "Provider start delayed"})
    db_session.commit()
    event = db_session.exec(select(AuditEvent).where(AuditEvent.entity_type == "Action")).one()
    moved = db_session.exec(select(AuditEvent).where(AuditEvent.entity_type == "DueDateChange")).one()
    assert "Provider start delayed" in moved.after and moved.actor_id == world.lead.id
    assert (event.verb, event.actor_id, event.actor_name, event.entity_id) == (
        "update", world.lead.id, world.lead.name, world.action.id)
    before, after = json.loads(event.before), json.loads(event.after)
    assert before == {"title": "Open more detox places", "due_date": "2027-03-31", "outcome_ids": []}
    assert after == {"title": "Renamed", "due_date": "2027-06-30", "outcome_ids": [outcome.id]}
    assert "moved from 31/03/2027 to 30/06/2027: Provider start delayed" in event.summary


# --- Adding an action, and reading one --------------------------------------------------------


def test_a_lead_adds_an_action_with_the_next_ref(db_session, world):
    created = actions.create_action(db_session, world.lead, action_input(world, title="Train naloxone champions"))
    db_session.commit()
    assert created.ref == "TR-02" and created.version == 1
    event = db_session.exec(select(AuditEvent).where(AuditEvent.verb == "create",
                                                     AuditEvent.entity_type == "Action")).one()
    assert event.actor_id == world.lead.id and "TR-02" in event.summary


def test_another_subgroups_lead_may_not_add_an_action_to_it(db_session, world):
    with pytest.raises(PermissionDenied):
        actions.create_action(db_session, world.other_lead, action_input(world, title="Not my subgroup"))


def test_action_detail_gathers_the_page(db_session, world):
    outcome = Outcome(partnership_id=world.partnership_id, code="I2", kind="intermediate", name="Treatment")
    db_session.add(outcome)
    db_session.flush()
    db_session.add(ActionOutcome(action_id=world.action.id, outcome_id=outcome.id))
    actions.record_status_update(db_session, world.owner, world.action.id,
                                 update(rag="red", progress=10, narrative="Stuck"), TODAY)
    db_session.commit()
    detail = action_views.action_detail(db_session, world.partnership_id, world.action.id, TODAY)
    assert detail.action.id == world.action.id
    assert detail.subgroup.id == world.subgroup_a.id
    assert [o.code for o in detail.outcomes] == ["I2"] and detail.indicators == []
    assert (detail.row.rag, detail.row.progress) == ("red", 10)
    assert [e.update.rag for e in detail.history] == ["red"]
    with pytest.raises(NotFound):
        action_views.action_detail(db_session, world.partnership_id + 1, world.action.id, TODAY)
