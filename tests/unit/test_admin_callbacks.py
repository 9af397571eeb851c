"""The admin pages' callbacks, sent crafted requests as a signed-in viewer, chair and admin.

Each write callback of the admin pages is imitated at /_dash-update-component: the browser controls
every id and value a callback receives, so the server must refuse and write nothing.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, person_by_email
from tests.crafted import (
    call_callback,
    db_fingerprint,
    fail_statements,
    form_body,
    give_password,
    signed_in_client,
)
from tests.unit.admin_support import TODAY, other_partnership, subgroup, theme_ids, who
from tracker.models import Subgroup, SubgroupMember
from tracker.services import people, reference, subgroups

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


@pytest.mark.parametrize("name", ["create_person", "edit_rag_level"])
def test_an_admin_change_while_the_database_is_unavailable_says_so(app, mini_engine, name):
    from tracker.web.errors import DATABASE_UNAVAILABLE, NOTICE_ID

    client = signed_in_client(app, DEMO_EMAILS["admin"])
    before = db_fingerprint(mini_engine)
    restore = fail_statements(mini_engine, "INSERT")  # the change's audit record, if nothing earlier
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
