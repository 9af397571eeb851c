"""Admin services (people and roles, subgroups, the RAG scale) and the admin pages' callbacks.

Runs on the tiny partnership in tests/fixtures/mini/: admin@, chair@, lead@ (member, leads TR),
owner@ (member), viewer@ and pat@police (member, leads SUP, no password); themes 1 and 2; status
updates in green, amber, red and blue.

The last part sends crafted requests to /_dash-update-component as a signed-in viewer, imitating
each write callback of the admin pages, and checks the server refuses and writes nothing: the
browser controls every id and value a callback receives.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD, person_by_email
from tests.crafted import call_callback, db_fingerprint, form_body, give_password, signed_in_client
from tracker.models import (
    Action,
    AuditEvent,
    Partnership,
    Person,
    RagLevel,
    StatusUpdate,
    Subgroup,
    SubgroupMember,
    Theme,
)
from tracker.rules import contrast
from tracker.services import people, rag_scale, reference, subgroups
from tracker.services.auth import authenticate, verify_password
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

TODAY = date(2026, 11, 23)
NEW_PASSWORD = "a-new-password-123"


@pytest.fixture
def s(mini_session: Session) -> Session:
    return mini_session


def who(session: Session, key: str) -> Person:
    email = DEMO_EMAILS.get(key, key)
    return person_by_email(session, email)


def audit_count(session: Session) -> int:
    return session.exec(select(func.count(AuditEvent.id))).one()


def last_event(session: Session) -> AuditEvent:
    return session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def subgroup(session: Session, code: str) -> Subgroup:
    return session.exec(select(Subgroup).where(Subgroup.code == code)).one()


def theme_ids(session: Session) -> dict[int, int]:
    return {t.number: t.id for t in session.exec(select(Theme))}


def new_person(**changes) -> dict:
    data = {"name": "Sam Example", "email": "Sam.Example@Council.example.org", "organisation": "Testshire Council",
            "job_title": "Commissioner", "sector": "public_health", "role": "member", "password": NEW_PASSWORD}
    return data | changes


def other_partnership(session: Session) -> tuple[Partnership, Person]:
    """A second, separate partnership with one admin of its own."""
    other = Partnership(slug="other", name="Other CDP", area="Elsewhere")
    session.add(other)
    session.flush()
    outsider = Person(partnership_id=other.id, name="Olly Outsider", email="olly@other.example.org", role="admin")
    session.add(outsider)
    session.flush()
    return other, outsider


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


# --- The RAG scale ----------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "ratio"), [
    ("#000000", "#ffffff", 21.0),
    ("#ffffff", "#ffffff", 1.0),
    ("#767676", "#ffffff", 4.54),
    ("#ffdd00", "#0b0c0c", 14.55),
    ("#00703c", "#ffffff", 6.21),
    ("#FFFFFF", "#000000", 21.0),
])
def test_contrast_ratio_follows_wcag(a, b, ratio):
    assert contrast.contrast_ratio(a, b) == pytest.approx(ratio, abs=0.01)
    assert contrast.contrast_ratio(b, a) == pytest.approx(ratio, abs=0.01)


def test_contrast_ratio_refuses_a_colour_that_is_not_hex():
    with pytest.raises(ValueError):
        contrast.contrast_ratio("red", "#ffffff")


def amber(**changes) -> dict:
    return {"label": "Amber", "definition": "Slipping: the subgroup can recover it within a quarter.",
            "colour": "#ffdd00"} | changes


def test_edit_rag_level_changes_the_words_everyone_sees_and_records_it(s):
    admin_ = who(s, "admin")
    rag_scale.edit_rag_level(s, admin_, "amber", amber())
    scale = reference.rag_by_code(s, admin_.partnership_id)
    assert scale["amber"].definition == "Slipping: the subgroup can recover it within a quarter."
    event = last_event(s)
    assert (event.verb, event.entity_type) == ("update", "RagLevel")
    assert json.loads(event.before) == {"definition": "At risk."}
    assert json.loads(event.after) == {"definition": "Slipping: the subgroup can recover it within a quarter."}


def test_edit_rag_level_accepts_a_colour_with_enough_contrast(s):
    level = rag_scale.edit_rag_level(s, who(s, "admin"), "green", {
        "label": "On track", "definition": "On track to deliver by the due date.", "colour": "005A30"})
    assert (level.colour, level.label) == ("#005a30", "On track")


def test_edit_rag_level_refuses_a_colour_without_enough_contrast(s):
    admin_ = who(s, "admin")
    before = audit_count(s)
    with pytest.raises(InvalidInput) as refused:
        rag_scale.edit_rag_level(s, admin_, "green", {"label": "Green", "definition": "On track to deliver.",
                                                  "colour": "#88ff88"})
    message = refused.value.errors["colour"]
    assert "1.3:1" in message and "4.5:1" in message and "#ffffff" in message and "darker" in message
    assert reference.rag_by_code(s, admin_.partnership_id)["green"].colour == "#00703c"
    assert audit_count(s) == before


def test_edit_rag_level_on_dark_text_asks_for_a_lighter_colour(s):
    with pytest.raises(InvalidInput) as refused:
        rag_scale.edit_rag_level(s, who(s, "admin"), "amber", amber(colour="#505a5f"))
    assert "lighter" in refused.value.errors["colour"]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"colour": "yellow"}, "colour", "hex code"),
    ({"colour": "#ffdd0"}, "colour", "hex code"),
    ({"label": ""}, "label", "required"),
    ({"label": "x" * 41}, "label", "no more than 40"),
    ({"label": "red"}, "label", "already the label"),
    ({"definition": "Short"}, "definition", "at least 10"),
    ({"definition": "x" * 401}, "definition", "no more than 400"),
])
def test_edit_rag_level_refuses_bad_input(s, changes, field, words):
    with pytest.raises(InvalidInput) as refused:
        rag_scale.edit_rag_level(s, who(s, "admin"), "amber", amber(**changes))
    assert words in refused.value.errors[field]
    assert reference.rag_by_code(s, who(s, "admin").partnership_id)["amber"].definition == "At risk."


def test_edit_rag_level_of_a_colour_not_on_the_scale_is_not_found(s):
    with pytest.raises(NotFound):
        rag_scale.edit_rag_level(s, who(s, "admin"), "amber_red", amber(label="Amber/Red"))


def test_edit_rag_level_refuses_when_someone_else_changed_it_since_the_page_loaded(s):
    admin_ = who(s, "admin")
    seen = {"label": "Amber", "definition": "At risk.", "colour": "#ffdd00"}
    rag_scale.edit_rag_level(s, admin_, "amber", amber(definition="Changed by a colleague first."), expected=seen)
    with pytest.raises(Conflict):
        rag_scale.edit_rag_level(s, admin_, "amber", amber(definition="My change from the old page."), expected=seen)
    assert reference.rag_by_code(s, admin_.partnership_id)["amber"].definition == "Changed by a colleague first."


def test_switch_to_the_five_point_scale_replaces_the_colours_and_records_it(s):
    admin_ = who(s, "admin")
    rag_scale.edit_rag_level(s, admin_, "amber", amber())
    partnership = rag_scale.switch_scale(s, admin_, "delivery_confidence")
    assert partnership.rag_scale == "delivery_confidence"
    codes = [r.code for r in reference.rag_scale(s, admin_.partnership_id)]
    assert codes == ["green", "amber_green", "amber", "amber_red", "red", "blue", "grey"]
    # The new scale comes with its own words.
    assert reference.rag_by_code(s, admin_.partnership_id)["amber"].definition.startswith("Successful delivery")
    event = last_event(s)
    assert (event.entity_type, json.loads(event.before)["rag_scale"], json.loads(event.after)["rag_scale"]) == (
        "Partnership", "standard", "delivery_confidence")


def _update_with(s: Session, rag: str, count: int = 1) -> None:
    action = s.exec(select(Action)).first()
    for _ in range(count):
        s.add(StatusUpdate(action_id=action.id, update_date=TODAY, rag=rag, progress=50, narrative="Test."))
    s.flush()


def test_switching_back_is_refused_while_updates_use_colours_the_standard_scale_lacks(s):
    admin_ = who(s, "admin")
    rag_scale.switch_scale(s, admin_, "delivery_confidence")
    _update_with(s, "amber_green", 2)
    _update_with(s, "amber_red", 1)
    before = audit_count(s)
    with pytest.raises(InvalidInput) as refused:
        rag_scale.switch_scale(s, admin_, "standard")
    message = refused.value.errors["scale"]
    assert message.startswith("3 status updates use colours")
    assert "Amber/Green: 2" in message and "Amber/Red: 1" in message
    assert s.get(Partnership, admin_.partnership_id).rag_scale == "delivery_confidence"
    assert len(reference.rag_scale(s, admin_.partnership_id)) == 7
    assert audit_count(s) == before


def test_switching_back_is_allowed_when_no_update_uses_the_missing_colours(s):
    admin_ = who(s, "admin")
    rag_scale.switch_scale(s, admin_, "delivery_confidence")
    rag_scale.switch_scale(s, admin_, "standard")
    assert [r.code for r in reference.rag_scale(s, admin_.partnership_id)] == ["green", "amber", "red", "blue", "grey"]
    assert s.exec(select(func.count(RagLevel.id)).where(RagLevel.partnership_id == admin_.partnership_id)).one() == 5


def test_switch_scale_refuses_an_unknown_scale_or_the_current_one(s):
    admin_ = who(s, "admin")
    with pytest.raises(InvalidInput) as refused:
        rag_scale.switch_scale(s, admin_, "traffic-lights")
    assert "Choose a scale" in refused.value.errors["scale"]
    with pytest.raises(InvalidInput) as refused:
        rag_scale.switch_scale(s, admin_, "standard")
    assert "already uses" in refused.value.errors["scale"]


def test_a_partnership_without_stored_colours_gets_them_when_first_edited(s):
    admin_ = who(s, "admin")
    for level in s.exec(select(RagLevel)).all():
        s.delete(level)
    s.flush()
    rag_scale.edit_rag_level(s, admin_, "amber", amber())
    stored = s.exec(select(RagLevel).where(RagLevel.partnership_id == admin_.partnership_id)).all()
    assert len(stored) == 5


# --- Crafted requests to the admin pages' callbacks, as a signed-in viewer ------------------------


@pytest.fixture
def app(mini_engine: Engine):
    from tracker.config import Settings
    from tracker.web.app import create_app

    give_password(mini_engine, *DEMO_EMAILS.values())  # the same password, quicker to check at sign-in
    return create_app(Settings(database_url="sqlite://", seed_on_start=False, secret_key="test"),
                      engine=mini_engine, today=TODAY)


REFUSED = "Only an administrator can do this."


def ids(engine: Engine) -> dict:
    with Session(engine) as s:
        return {
            "owner": who(s, "owner").id, "admin": who(s, "admin").id, "viewer": who(s, "viewer").id,
            "TR": subgroup(s, "TR").id, "SUP": subgroup(s, "SUP").id,
            "theme1": theme_ids(s)[1],
            "tr_member": s.exec(select(SubgroupMember.id).join(Subgroup).where(Subgroup.code == "TR")).first(),
        }


def _crafted_requests(i: dict) -> dict:
    person_row = '{"person":["ALL"],"type":"person-role"}'
    theme_new = '{"theme":["ALL"],"type":"sg-new-theme"}'
    theme_edit = '{"theme":["ALL"],"type":"sg-edit-theme"}'
    rag = '{"code":["MATCH"],"type":"rag-%s"}'
    rag_fields = '{"code":["MATCH"],"field":["ALL"],"form":"rag"}'
    amber_id = lambda kind: {"code": "amber", "type": f"rag-{kind}"}  # noqa: E731
    return {
        "create_person": (("person-new-submit", "n_clicks", 1), form_body("person-new", {
            "name": "Mallory Intruder", "email": "mallory@evil.example", "role": "admin",
            "password": "a-long-password-1", "sector": "", "organisation": "", "job_title": ""})),
        "change_role": (({"type": "person-role-save", "person": i["viewer"]}, "n_clicks", 1), {
            (person_row, "value"): [({"type": "person-role", "person": i["viewer"]}, "admin")]}),
        "deactivate": (({"type": "person-deactivate", "person": i["admin"]}, "n_clicks", 1), {}),
        "reactivate": (({"type": "person-reactivate", "person": i["owner"]}, "n_clicks", 1), {}),
        "reset_password": (("reset-submit", "n_clicks", 1), {
            ("reset-person", "value"): str(i["admin"]), ("reset-password", "value"): "taken-over-password"}),
        "create_subgroup": (("sg-new-submit", "n_clicks", 1), {
            **form_body("sg-new", {"code": "EVIL", "name": "Evil subgroup", "status": "active",
                                   "lead_id": str(i["viewer"])}),
            (theme_new, "value"): [({"type": "sg-new-theme", "theme": i["theme1"]}, True)]}),
        "edit_subgroup": (("sg-edit-submit", "n_clicks", 1), {
            ("sg-edit-version", "data"): {"subgroup_id": i["TR"], "version": 1},
            **form_body("sg-edit", {"name": "Hijacked", "status": "closed", "lead_id": str(i["viewer"]),
                                    "description": ""}),
            (theme_edit, "value"): [({"type": "sg-edit-theme", "theme": i["theme1"]}, True)]}),
        "add_member": (("sg-member-add", "n_clicks", 1), {
            ("sg-edit-version", "data"): {"subgroup_id": i["TR"], "version": 1},
            ("sg-member-person", "value"): str(i["viewer"]), ("sg-member-role", "value"): "lead"}),
        "remove_member": (({"type": "sg-member-remove", "member": i["tr_member"]}, "n_clicks", 1), {
            ("sg-edit-version", "data"): {"subgroup_id": i["TR"], "version": 1}}),
        "edit_rag_level": (({"type": "rag-save", "code": "amber"}, "n_clicks", 1), {
            (rag_fields, "value"): [({"form": "rag", "code": "amber", "field": name}, value) for name, value in (
                ("label", "Amber"), ("definition", "Whatever the viewer wants it to mean."), ("colour", "#ffdd00"))],
            (rag % "loaded", "data"): (amber_id("loaded"), None)}),
        "switch_scale": (("rag-scale-switch", "n_clicks", 1), {
            ("rag-scale-choice", "value"): "delivery_confidence", ("rag-scale-confirm", "value"): True}),
        "pick_subgroup": (("sg-pick", "value", str(i["TR"])), {}),
        "switch_scale_unconfirmed": (("rag-scale-switch", "n_clicks", 1), {
            ("rag-scale-choice", "value"): "delivery_confidence", ("rag-scale-confirm", "value"): False}),
    }


CRAFTED = ["create_person", "change_role", "deactivate", "reactivate", "reset_password", "create_subgroup",
           "edit_subgroup", "add_member", "remove_member", "edit_rag_level", "switch_scale",
           "switch_scale_unconfirmed", "pick_subgroup"]


@pytest.mark.parametrize("name", CRAFTED)
def test_a_viewer_crafting_an_admin_callback_request_is_refused_and_nothing_changes(app, mini_engine, name):
    i = ids(mini_engine)
    if name == "reactivate":  # something to reactivate
        with Session(mini_engine) as s:
            people.set_active(s, who(s, "admin"), i["owner"], False)
            s.commit()
    trigger, values = _crafted_requests(i)[name]
    client = signed_in_client(app, DEMO_EMAILS["viewer"])
    before = db_fingerprint(mini_engine)
    status, text = call_callback(client, trigger, values)
    assert status == 200, text[:500]
    assert REFUSED in text
    assert db_fingerprint(mini_engine) == before


@pytest.mark.parametrize("name", ["create_person", "change_role", "edit_rag_level", "switch_scale"])
def test_the_same_crafted_request_from_a_chair_is_refused_too(app, mini_engine, name):
    trigger, values = _crafted_requests(ids(mini_engine))[name]
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    before = db_fingerprint(mini_engine)
    status, text = call_callback(client, trigger, values)
    assert status == 200 and REFUSED in text
    assert db_fingerprint(mini_engine) == before


def test_the_crafted_requests_do_work_for_an_admin(app, mini_engine):
    """The helper imitates the callbacks faithfully: the same requests from an admin do change things."""
    i = ids(mini_engine)
    requests = _crafted_requests(i)
    client = signed_in_client(app, DEMO_EMAILS["admin"])
    for name in ("create_person", "change_role", "create_subgroup", "edit_rag_level", "add_member"):
        status, text = call_callback(client, *requests[name])
        assert status == 200 and REFUSED not in text, (name, text[:500])
    status, text = call_callback(client, *requests["deactivate"])  # the admin themselves
    assert "cannot deactivate your own account" in text
    with Session(mini_engine) as s:
        assert who(s, "viewer").role == "admin"
        assert person_by_email(s, "mallory@evil.example").role == "admin"
        assert subgroup(s, "EVIL").name == "Evil subgroup"
        assert reference.rag_by_code(s, who(s, "admin").partnership_id)["amber"].definition == \
            "Whatever the viewer wants it to mean."
        assert who(s, "admin").is_active


def test_a_crafted_request_as_admin_cannot_reach_another_partnership(app, mini_engine):
    with Session(mini_engine) as s:
        _, outsider = other_partnership(s)
        s.commit()
        outsider_id = outsider.id
    client = signed_in_client(app, DEMO_EMAILS["admin"])
    trigger = ({"type": "person-deactivate", "person": outsider_id}, "n_clicks", 1)
    before = db_fingerprint(mini_engine)
    status, text = call_callback(client, trigger, {})
    assert status == 200 and f"There is no person {outsider_id}" in text
    assert db_fingerprint(mini_engine) == before


def test_admin_pages_refuse_a_viewer_and_the_nav_hides_them(app):
    client = signed_in_client(app, DEMO_EMAILS["viewer"])
    for path in ("/admin", "/admin/people", "/admin/subgroups", "/admin/rag"):
        status, text = call_callback(client, ("_pages_location", "pathname", path),
                                     {("_pages_location", "search"): ""})
        assert status == 200 and "You cannot use this page" in text and "Only an administrator" in text, path
    def nav(client) -> str:  # the layout's JSON escapes "/"; read it back
        return json.dumps(client.get("/_dash-layout").get_json())

    assert '"/admin"' not in nav(client) and '"/audit"' not in nav(client)
    assert '"/admin"' in nav(signed_in_client(app, DEMO_EMAILS["admin"]))
    chair = nav(signed_in_client(app, DEMO_EMAILS["chair"]))
    assert '"/admin"' not in chair and '"/audit"' in chair



@pytest.mark.parametrize("person_id", [-1, 0, 2**31, 2**40, "a string", True])
def test_a_crafted_row_id_on_the_people_table_is_a_clear_refusal(app, mini_engine, person_id):
    client = signed_in_client(app, DEMO_EMAILS["admin"])
    before = db_fingerprint(mini_engine)
    reply = call_callback(client, ({"type": "person-deactivate", "person": person_id}, "n_clicks", 1), {})
    assert reply.status == 200, reply.text[:500]
    assert "Choose a person from the table" in reply.strings or "There is no person" in reply.strings
    assert db_fingerprint(mini_engine) == before


def _fail_statements(engine: Engine, starting: str):
    """Make every SQL statement starting with `starting` fail as a lost database connection does."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    def fail(_conn, _cursor, statement, parameters, *_):
        if statement.lstrip().upper().startswith(starting.upper()):
            raise OperationalError(statement, parameters, ConnectionRefusedError("the database went away"))

    event.listen(engine, "before_cursor_execute", fail)
    return lambda: event.remove(engine, "before_cursor_execute", fail)


@pytest.mark.parametrize("name", ["create_person", "edit_rag_level"])
def test_an_admin_change_while_the_database_is_unavailable_says_so(app, mini_engine, name):
    from tracker.web.errors import DATABASE_UNAVAILABLE, NOTICE_ID

    client = signed_in_client(app, DEMO_EMAILS["admin"])
    before = db_fingerprint(mini_engine)
    restore = _fail_statements(mini_engine, "INSERT")  # the change's audit record, if nothing earlier
    try:
        reply = call_callback(client, *_crafted_requests(ids(mini_engine))[name])
    finally:
        restore()
    assert reply.status == 200, reply.text[:500]
    assert DATABASE_UNAVAILABLE in json.dumps(reply.json["sideUpdate"][NOTICE_ID]["children"])
    assert db_fingerprint(mini_engine) == before



def test_enums_give_the_check_constraints_and_the_words_the_ui_shows():
    """The code lists are written once: the database's CHECK constraints and the labels agree."""
    from tracker.models import SubgroupMember
    from tracker.rules.enums import MemberRole, Role, SubgroupStatus

    checks = {c.name: str(c.sqltext) for c in SubgroupMember.__table__.constraints if c.name}
    assert checks["member_role"] == "role IN ('lead', 'deputy', 'member')"
    assert [m.label for m in MemberRole] == ["Lead", "Deputy lead", "Member"]
    assert Role.label_of("viewer") == "Viewer (read only)"
    assert subgroups.SUBGROUP_STATUSES == SubgroupStatus.values() == ("forming", "active", "paused", "closed")
