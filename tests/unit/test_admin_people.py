"""Admin services for people and roles, and that only an admin may use any admin service."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD
from tests.unit.admin_support import (
    NEW_PASSWORD,
    audit_count,
    last_event,
    new_person,
    other_partnership,
    subgroup,
    theme_ids,
    who,
)
from tracker.models import Partnership, Person, Subgroup, SubgroupMember
from tracker.services import people, rag_scale, subgroups
from tracker.services.auth import authenticate, verify_password
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied

# --- People and roles -------------------------------------------------------------------------


def test_list_people_shows_everyone_of_the_partnership_including_the_deactivated(s):
    admin_ = who(s, "admin")
    pat = who(s, "pat@police.example.org")
    people.set_active(s, admin_, pat.id, False)
    _, outsider = other_partnership(s)
    rows = people.list_people(s, admin_)
    emails = {r.email for r in rows}
    assert "pat@police.example.org" in emails and outsider.email not in emails
    assert next(r for r in rows if r.id == pat.id).is_active is False
    assert next(r for r in rows if r.id == pat.id).can_sign_in is False
    assert next(r for r in rows if r.email == DEMO_EMAILS["admin"]).can_sign_in is True


def test_the_people_list_says_who_leads_a_subgroup_although_their_account_role_is_member(s):
    admin_ = who(s, "admin")
    rows = {r.email: r for r in people.list_people(s, admin_)}
    lead = rows[DEMO_EMAILS["lead"]]
    assert lead.role == "member"
    leads_of = set(s.exec(select(Subgroup.name).join(SubgroupMember, SubgroupMember.subgroup_id == Subgroup.id)
                          .where(SubgroupMember.person_id == lead.id, SubgroupMember.role == "lead")).all())
    assert leads_of and lead.subgroup_roles[:len(leads_of)] == [f"Lead of {name}" for name in sorted(leads_of)]
    assert rows[DEMO_EMAILS["viewer"]].subgroup_roles == []


def test_create_person_lowercases_the_email_hashes_the_password_and_records_it(s):
    admin_ = who(s, "admin")
    before = audit_count(s)
    person = people.create_person(s, admin_, new_person())
    assert person.id and person.partnership_id == admin_.partnership_id
    assert person.email == "sam.example@council.example.org"
    assert person.password_hash and person.password_hash != NEW_PASSWORD
    assert verify_password(person.password_hash, NEW_PASSWORD)
    assert authenticate(s, "SAM.example@council.example.org", NEW_PASSWORD).id == person.id
    assert audit_count(s) == before + 1
    event = last_event(s)
    assert (event.verb, event.entity_type, event.entity_id, event.actor_id) == ("create", "Person", person.id, admin_.id)
    assert event.partnership_id == admin_.partnership_id
    after = json.loads(event.after)
    assert after["email"] == "sam.example@council.example.org" and after["password"] == "set"
    assert "password_hash" not in after
    assert NEW_PASSWORD not in event.after and person.password_hash not in event.after


def test_create_person_without_password_cannot_sign_in_yet(s):
    person = people.create_person(s, who(s, "admin"), new_person(password=""))
    assert person.password_hash is None
    assert json.loads(last_event(s).after)["password"] == "not set"


@pytest.mark.parametrize("email", ["ADMIN@cdp.example.org", "admin@CDP.example.org", " admin@cdp.example.org "])
def test_create_person_refuses_an_email_already_used_whatever_its_case(s, email):
    with pytest.raises(InvalidInput) as refused:
        people.create_person(s, who(s, "admin"), new_person(email=email))
    assert "already" in refused.value.errors["email"]


def test_create_person_refuses_an_email_used_in_another_partnership(s):
    _, outsider = other_partnership(s)
    with pytest.raises(InvalidInput) as refused:
        people.create_person(s, who(s, "admin"), new_person(email=outsider.email.upper()))
    assert set(refused.value.errors) == {"email"}


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"name": ""}, "name", "required"),
    ({"name": "   "}, "name", "required"),
    ({"email": "not-an-email"}, "email", "email address"),
    ({"email": ""}, "email", "required"),
    ({"role": "superuser"}, "role", "Choose a role"),
    ({"sector": "aliens"}, "sector", "sector"),
    ({"password": "short-pw"}, "password", "at least 12"),
    ({"password": "x" * 11}, "password", "at least 12"),
    ({"password": " " * 12}, "password", "spaces"),
    ({"organisation": "x" * 201}, "organisation", "no more than 200"),
    ({"is_active": False}, "is_active", "not expected"),
])
def test_create_person_refuses_bad_input_naming_the_field(s, changes, field, words):
    before = audit_count(s)
    with pytest.raises(InvalidInput) as refused:
        people.create_person(s, who(s, "admin"), new_person(**changes))
    assert words.lower() in refused.value.errors[field].lower()
    assert audit_count(s) == before


def test_create_person_reports_every_bad_field_at_once(s):
    with pytest.raises(InvalidInput) as refused:
        people.create_person(s, who(s, "admin"), new_person(name="", email="nope", password="short"))
    assert {"name", "email", "password"} <= set(refused.value.errors)


def test_a_twelve_character_password_is_enough(s):
    person = people.create_person(s, who(s, "admin"), new_person(password="kettle-Moor7"))
    assert verify_password(person.password_hash, "kettle-Moor7")


def test_change_role_changes_it_and_records_before_and_after(s):
    admin_, owner = who(s, "admin"), who(s, "owner")
    people.change_role(s, admin_, owner.id, "chair")
    assert s.get(Person, owner.id).role == "chair"
    event = last_event(s)
    assert (event.verb, event.entity_type, event.entity_id) == ("update", "Person", owner.id)
    assert json.loads(event.before) == {"role": "member"} and json.loads(event.after) == {"role": "chair"}


def test_change_role_to_the_same_role_writes_nothing(s):
    before = audit_count(s)
    people.change_role(s, who(s, "admin"), who(s, "owner").id, "member")
    assert audit_count(s) == before


def test_an_admin_cannot_change_their_own_role(s):
    admin_ = who(s, "admin")
    with pytest.raises(InvalidInput) as refused:
        people.change_role(s, admin_, admin_.id, "member")
    assert "your own role" in refused.value.errors["role"]
    assert s.get(Person, admin_.id).role == "admin"


def test_change_role_refuses_an_unknown_role(s):
    with pytest.raises(InvalidInput) as refused:
        people.change_role(s, who(s, "admin"), who(s, "owner").id, "owner")
    assert "role" in refused.value.errors


def test_admin_services_refuse_a_person_of_another_partnership(s):
    _, outsider = other_partnership(s)
    admin_ = who(s, "admin")
    for attempt in (
        lambda: people.change_role(s, admin_, outsider.id, "viewer"),
        lambda: people.set_active(s, admin_, outsider.id, False),
        lambda: people.reset_password(s, admin_, outsider.id, NEW_PASSWORD),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert s.get(Person, outsider.id).role == "admin" and s.get(Person, outsider.id).is_active


def test_a_demoted_admin_loses_the_right_at_once_so_two_admins_cannot_demote_each_other(s):
    first = who(s, "admin")
    second = people.create_person(s, first, new_person(role="admin"))
    people.change_role(s, first, second.id, "member")
    with pytest.raises(PermissionDenied):
        people.change_role(s, s.get(Person, second.id), first.id, "member")
    assert s.get(Person, first.id).role == "admin"


def test_a_stale_copy_of_a_demoted_admin_is_checked_again_against_the_database(mini_engine: Engine):
    """Two admins, each holding the other's record as it was when their page loaded."""
    with Session(mini_engine, expire_on_commit=False) as setup:
        first = who(setup, "admin")
        second = people.create_person(setup, first, new_person(role="admin"))
        setup.commit()
    with Session(mini_engine, expire_on_commit=False) as one, Session(mini_engine, expire_on_commit=False) as two:
        first_as_seen = one.get(Person, first.id)
        second_as_seen = two.get(Person, second.id)
        people.change_role(one, first_as_seen, second.id, "member")
        one.commit()
        with pytest.raises(PermissionDenied):
            people.change_role(two, second_as_seen, first.id, "member")
    with Session(mini_engine) as check:
        admins = check.exec(select(Person).where(Person.role == "admin", Person.is_active)).all()
        assert [p.id for p in admins] == [first.id]


def test_deactivate_and_reactivate_with_the_trail(s):
    admin_, owner = who(s, "admin"), who(s, "owner")
    people.set_active(s, admin_, owner.id, False)
    assert s.get(Person, owner.id).is_active is False
    assert authenticate(s, owner.email, DEMO_PASSWORD) is None
    assert json.loads(last_event(s).before) == {"is_active": True}
    assert json.loads(last_event(s).after) == {"is_active": False}
    people.set_active(s, admin_, owner.id, True)
    assert authenticate(s, owner.email, DEMO_PASSWORD).id == owner.id
    assert json.loads(last_event(s).after) == {"is_active": True}


def test_an_admin_cannot_deactivate_themselves(s):
    admin_ = who(s, "admin")
    with pytest.raises(InvalidInput) as refused:
        people.set_active(s, admin_, admin_.id, False)
    assert "your own account" in refused.value.errors["is_active"]
    assert s.get(Person, admin_.id).is_active


def test_deactivating_someone_already_deactivated_writes_nothing(s):
    admin_, owner = who(s, "admin"), who(s, "owner")
    people.set_active(s, admin_, owner.id, False)
    before = audit_count(s)
    people.set_active(s, admin_, owner.id, False)
    assert audit_count(s) == before


def test_the_partnership_always_keeps_an_active_admin(s):
    first = who(s, "admin")
    second = people.create_person(s, first, new_person(role="admin"))
    people.set_active(s, first, second.id, False)
    # The only active admin left cannot remove themselves, in either way.
    with pytest.raises(InvalidInput):
        people.set_active(s, first, first.id, False)
    with pytest.raises(InvalidInput):
        people.change_role(s, first, first.id, "chair")
    assert people._active_admins(s, first.partnership_id) == 1
    # A deactivated admin can do nothing.
    with pytest.raises(PermissionDenied):
        people.set_active(s, s.get(Person, second.id), second.id, True)


def test_reset_password_sets_a_new_one_and_records_only_that_it_changed(s):
    admin_, pat = who(s, "admin"), who(s, "pat@police.example.org")
    people.reset_password(s, admin_, pat.id, NEW_PASSWORD)
    assert authenticate(s, pat.email, NEW_PASSWORD).id == pat.id
    event = last_event(s)
    assert json.loads(event.before) == {"password": "not set"}
    assert json.loads(event.after) == {"password": "changed"}
    assert NEW_PASSWORD not in (event.before + event.after + event.summary)


def test_reset_password_replaces_the_old_one(s):
    admin_, owner = who(s, "admin"), who(s, "owner")
    people.reset_password(s, admin_, owner.id, NEW_PASSWORD)
    assert authenticate(s, owner.email, DEMO_PASSWORD) is None
    assert json.loads(last_event(s).before) == {"password": "set"}


@pytest.mark.parametrize("password", ["", "eleven-char", None, 123456789012])
def test_reset_password_refuses_a_short_or_missing_password(s, password):
    owner = who(s, "owner")
    old_hash = owner.password_hash
    with pytest.raises(InvalidInput) as refused:
        people.reset_password(s, who(s, "admin"), owner.id, password)
    assert "password" in refused.value.errors
    assert s.get(Person, owner.id).password_hash == old_hash


# --- Permission refusals: every admin write, for every role but admin ---------------------------


def _writes(s: Session) -> dict:
    owner, tr = who(s, "owner"), subgroup(s, "TR")
    themes = theme_ids(s)
    return {
        "list_people": lambda actor: people.list_people(s, actor),
        "create_person": lambda actor: people.create_person(s, actor, new_person()),
        "change_role": lambda actor: people.change_role(s, actor, owner.id, "chair"),
        "deactivate": lambda actor: people.set_active(s, actor, owner.id, False),
        "reset_password": lambda actor: people.reset_password(s, actor, owner.id, NEW_PASSWORD),
        "create_subgroup": lambda actor: subgroups.create_subgroup(
            s, actor, {"code": "NEW", "name": "New subgroup", "theme_ids": [themes[1]]}),
        "edit_subgroup": lambda actor: subgroups.edit_subgroup(
            s, actor, tr.id, tr.version, {"name": "Renamed", "status": "paused"}),
        "rag_levels": lambda actor: rag_scale.rag_levels(s, actor),
        "edit_rag_level": lambda actor: rag_scale.edit_rag_level(
            s, actor, "amber", {"label": "Amber", "definition": "Changed by someone else.", "colour": "#ffdd00"}),
        "switch_scale": lambda actor: rag_scale.switch_scale(s, actor, "delivery_confidence"),
    }


@pytest.mark.parametrize("role", ["viewer", "chair", "lead", "owner"])
@pytest.mark.parametrize("write", ["list_people", "create_person", "change_role", "deactivate", "reset_password",
                                   "create_subgroup", "edit_subgroup", "rag_levels", "edit_rag_level",
                                   "switch_scale"])
def test_only_an_admin_may(s, role, write):
    actor = who(s, role)
    before = audit_count(s)
    people_before = s.exec(select(func.count(Person.id))).one()
    with pytest.raises(PermissionDenied) as refused:
        _writes(s)[write](actor)
    assert "administrator" in str(refused.value)
    assert audit_count(s) == before
    assert s.exec(select(func.count(Person.id))).one() == people_before
    owner = who(s, "owner")
    assert owner.role == "member" and owner.is_active and verify_password(owner.password_hash, DEMO_PASSWORD)
    assert subgroup(s, "TR").name == "Treatment and recovery subgroup"
    assert s.get(Partnership, actor.partnership_id).rag_scale == "standard"


@pytest.mark.parametrize("write", ["create_person", "change_role", "switch_scale"])
def test_no_one_signed_out_or_deactivated_may(s, write):
    admin_ = who(s, "admin")
    with pytest.raises(PermissionDenied):
        _writes(s)[write](None)
    admin_.is_active = False  # as if deactivated (not flushed: the check reads the object)
    with pytest.raises(PermissionDenied):
        _writes(s)[write](admin_)
