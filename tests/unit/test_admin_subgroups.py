"""Admin services for subgroups: creating and editing them, their code, lead, themes and members."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from tests.unit.admin_support import audit_count, last_event, other_partnership, subgroup, theme_ids, who
from tracker.models import AuditEvent, Theme
from tracker.services import people, reference, subgroups
from tracker.services.errors import Conflict, InvalidInput, NotFound

# --- Subgroups --------------------------------------------------------------------------------


def test_create_subgroup_with_code_lead_themes_and_a_trail(s):
    admin_, lead = who(s, "admin"), who(s, "lead")
    themes = theme_ids(s)
    created = subgroups.create_subgroup(s, admin_, {
        "code": " dtx ", "name": "Detox and rehab", "description": "Inpatient detox places.",
        "status": "forming", "lead_id": str(lead.id), "theme_ids": [themes[2], themes[1]],
    })
    assert (created.code, created.name, created.status, created.lead_id) == ("DTX", "Detox and rehab", "forming", lead.id)
    assert created.partnership_id == admin_.partnership_id
    assert sorted(reference.subgroup_theme_ids(s, created.id)) == sorted([themes[1], themes[2]])
    event = last_event(s)
    assert (event.verb, event.entity_type, event.entity_id) == ("create", "Subgroup", created.id)
    assert json.loads(event.after)["theme_ids"] == sorted([themes[1], themes[2]])


def test_create_subgroup_without_lead_or_themes(s):
    created = subgroups.create_subgroup(s, who(s, "admin"), {"code": "WF", "name": "Workforce", "lead_id": ""})
    assert created.lead_id is None and created.status == "active"
    assert reference.subgroup_theme_ids(s, created.id) == []


@pytest.mark.parametrize("code", ["T", "T1", "ABCDEFG", "TR-1", "ÉCO", ""])
def test_create_subgroup_refuses_a_code_that_is_not_2_to_6_capital_letters(s, code):
    with pytest.raises(InvalidInput) as refused:
        subgroups.create_subgroup(s, who(s, "admin"), {"code": code, "name": "Some subgroup"})
    assert "2 to 6 capital letters" in refused.value.errors["code"]


def test_create_subgroup_refuses_a_code_or_name_already_used(s):
    admin_ = who(s, "admin")
    with pytest.raises(InvalidInput) as refused:
        subgroups.create_subgroup(s, admin_, {"code": "tr", "name": "supply SUBGROUP"})
    assert "already uses the code TR" in refused.value.errors["code"]
    assert "already a subgroup called Supply subgroup" in refused.value.errors["name"]


def test_the_same_code_is_fine_in_another_partnership(s):
    other, outsider = other_partnership(s)
    created = subgroups.create_subgroup(s, outsider, {"code": "TR", "name": "Treatment and recovery subgroup"})
    assert created.partnership_id == other.id


@pytest.mark.parametrize(("lead_key", "words"), [
    ("viewer", "viewer"),
    ("outsider", "active person of this partnership"),
    ("missing", "active person of this partnership"),
    ("deactivated", "active person of this partnership"),
])
def test_create_subgroup_refuses_a_lead_who_cannot_lead(s, lead_key, words):
    admin_ = who(s, "admin")
    if lead_key == "outsider":
        lead_id = other_partnership(s)[1].id
    elif lead_key == "missing":
        lead_id = 99999
    elif lead_key == "deactivated":
        lead_id = who(s, "owner").id
        people.set_active(s, admin_, lead_id, False)
    else:
        lead_id = who(s, lead_key).id
    with pytest.raises(InvalidInput) as refused:
        subgroups.create_subgroup(s, admin_, {"code": "NEW", "name": "New subgroup", "lead_id": lead_id})
    assert words in refused.value.errors["lead_id"]


def test_create_subgroup_refuses_themes_of_another_partnership(s):
    other, outsider = other_partnership(s)
    foreign = Theme(partnership_id=other.id, number=1, name="Foreign theme")
    s.add(foreign)
    s.flush()
    with pytest.raises(InvalidInput) as refused:
        subgroups.create_subgroup(s, who(s, "admin"), {"code": "NEW", "name": "New subgroup", "theme_ids": [foreign.id]})
    assert "theme_ids" in refused.value.errors


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "ab"}, "name"),
    ({"status": "dissolved"}, "status"),
    ({"description": "x" * 5001}, "description"),
    ({"theme_ids": ["one"]}, "theme_ids"),
])
def test_create_subgroup_refuses_bad_fields(s, changes, field):
    with pytest.raises(InvalidInput) as refused:
        subgroups.create_subgroup(s, who(s, "admin"), {"code": "NEW", "name": "New subgroup"} | changes)
    assert field in refused.value.errors


def test_edit_subgroup_changes_details_and_themes_keeps_the_code_and_records_it(s):
    admin_, owner = who(s, "admin"), who(s, "owner")
    tr = subgroup(s, "TR")
    themes = theme_ids(s)
    saved = subgroups.edit_subgroup(s, admin_, tr.id, tr.version, {
        "name": "Treatment, recovery and rehab", "description": "Now with rehab.", "status": "paused",
        "lead_id": owner.id, "theme_ids": [themes[1], themes[2]],
    })
    assert (saved.code, saved.name, saved.status, saved.lead_id, saved.version) == (
        "TR", "Treatment, recovery and rehab", "paused", owner.id, 2)
    assert sorted(reference.subgroup_theme_ids(s, tr.id)) == sorted(themes.values())
    event = last_event(s)
    before, after = json.loads(event.before), json.loads(event.after)
    assert before["name"] == "Treatment and recovery subgroup" and after["name"] == "Treatment, recovery and rehab"
    assert before["theme_ids"] == [themes[2]] and after["theme_ids"] == sorted(themes.values())
    assert "code" not in after


def test_edit_subgroup_keeps_what_the_form_does_not_send(s):
    tr = subgroup(s, "TR")
    themes_before = reference.subgroup_theme_ids(s, tr.id)
    saved = subgroups.edit_subgroup(s, who(s, "admin"), tr.id, tr.version, {"status": "paused"})
    assert (saved.status, saved.name, saved.lead_id) == ("paused", "Treatment and recovery subgroup", who(s, "lead").id)
    assert reference.subgroup_theme_ids(s, tr.id) == themes_before
    assert json.loads(last_event(s).after) == {"status": "paused"}


def test_edit_subgroup_refuses_a_stale_version_and_writes_nothing(s):
    admin_ = who(s, "admin")
    tr = subgroup(s, "TR")
    subgroups.edit_subgroup(s, admin_, tr.id, 1, {"name": "First edit"})
    before = audit_count(s)
    with pytest.raises(Conflict):
        subgroups.edit_subgroup(s, admin_, tr.id, 1, {"name": "Second edit from an old page"})
    assert subgroup(s, "TR").name == "First edit"
    assert audit_count(s) == before


def test_edit_subgroup_refuses_the_name_of_another_subgroup_but_not_its_own(s):
    admin_ = who(s, "admin")
    tr = subgroup(s, "TR")
    with pytest.raises(InvalidInput) as refused:
        subgroups.edit_subgroup(s, admin_, tr.id, tr.version, {"name": "Supply Subgroup"})
    assert "name" in refused.value.errors
    saved = subgroups.edit_subgroup(s, admin_, tr.id, tr.version, {"name": "TREATMENT and recovery subgroup"})
    assert saved.name == "TREATMENT and recovery subgroup"


def test_edit_subgroup_of_another_partnership_is_not_found(s):
    other, outsider = other_partnership(s)
    theirs = subgroups.create_subgroup(s, outsider, {"code": "XX", "name": "Their subgroup"})
    with pytest.raises(NotFound):
        subgroups.edit_subgroup(s, who(s, "admin"), theirs.id, 1, {"name": "Taken over"})


def test_admin_adds_and_removes_members_through_the_subgroup_service(s):
    admin_, viewer = who(s, "admin"), who(s, "viewer")
    sup = subgroup(s, "SUP")
    member = subgroups.add_member(s, admin_, sup.id, viewer.id, "member")
    assert any(r.person_id == viewer.id for r in subgroups.members(s, sup.id))
    subgroups.remove_member(s, admin_, sup.id, member.id)
    assert not any(r.person_id == viewer.id for r in subgroups.members(s, sup.id))
    assert [e.verb for e in s.exec(select(AuditEvent).where(AuditEvent.entity_type == "SubgroupMember"))] == [
        "create", "delete"]
