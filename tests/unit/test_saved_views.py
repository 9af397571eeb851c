"""Saved views: a person keeps a filtered page under a name; refused input writes nothing; a view is
its owner's alone."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import DEMO_EMAILS, person_by_email
from tests.crafted import db_fingerprint
from tracker.models import AuditEvent, SavedView
from tracker.services import saved_views
from tracker.services.errors import InvalidInput, NotFound


def test_a_view_is_saved_listed_and_deleted_with_an_audit_record(session):
    chair = person_by_email(session, DEMO_EMAILS["chair"])
    view = saved_views.save_view(session, chair, "  Red actions   in Treatment ", "/subgroup/3?rag=Red")
    assert [(v.name, v.path) for v in saved_views.list_views(session, chair)] == [
        ("Red actions in Treatment", "/subgroup/3?rag=Red")]
    assert session.exec(select(AuditEvent).where(AuditEvent.entity_type == "SavedView",
                                                 AuditEvent.verb == "create")).first() is not None
    saved_views.delete_view(session, chair, view.id)
    assert saved_views.list_views(session, chair) == []
    assert session.exec(select(AuditEvent).where(AuditEvent.entity_type == "SavedView",
                                                 AuditEvent.verb == "delete")).first() is not None


@pytest.mark.parametrize(("name", "path", "field"), [
    ("", "/?theme=1", "name"),
    ("   ", "/?theme=1", "name"),
    ("x" * 81, "/?theme=1", "name"),
    ("Elsewhere", "https://evil.example.com/?theme=1", "path"),
    ("Elsewhere", "//evil.example.com/", "path"),
    ("Elsewhere", "/\\evil.example.com", "path"),
    ("Elsewhere", "javascript:alert(1)", "path"),
    ("Elsewhere", "subgroup/3", "path"),
    ("Elsewhere", "/ok\n/evil", "path"),
    ("Elsewhere", None, "path"),
])
def test_refused_views_write_nothing(session, engine, name, path, field):
    chair = person_by_email(session, DEMO_EMAILS["chair"])
    before = db_fingerprint(engine)
    with pytest.raises(InvalidInput) as refused:
        saved_views.save_view(session, chair, name, path)
    assert field in refused.value.errors and refused.value.errors[field]
    session.rollback()
    assert db_fingerprint(engine) == before


def test_a_name_is_used_once_per_person_and_views_are_their_owners(session, engine):
    chair = person_by_email(session, DEMO_EMAILS["chair"])
    viewer = person_by_email(session, DEMO_EMAILS["viewer"])
    mine = saved_views.save_view(session, chair, "Amber", "/subgroup/1?rag=Amber")
    with pytest.raises(InvalidInput):
        saved_views.save_view(session, chair, "amber", "/")
    session.rollback()
    saved_views.save_view(session, viewer, "Amber", "/")  # another person's list is their own
    assert [v.person_id for v in saved_views.list_views(session, viewer)] == [viewer.id]
    before = db_fingerprint(engine)
    for wrong in (mine.id, 999_999, "1", None, True):
        with pytest.raises(NotFound):
            saved_views.delete_view(session, viewer, wrong)
    assert db_fingerprint(engine) == before
    assert session.get(SavedView, mine.id) is not None


def test_a_page_lists_only_its_own_views(session):
    chair = person_by_email(session, DEMO_EMAILS["chair"])
    for name, path in [("Overview reds", "/?theme=1"), ("Plain overview", "/"), ("Audit of actions", "/audit?entity_type=Action"),
                       ("Subgroup 1", "/subgroup/1?rag=Red"), ("Subgroup 12", "/subgroup/12"),
                       ("Audit lookalike", "/auditx?y=1"), ("Wildcard", "/subgroup/1_?x=1")]:
        saved_views.save_view(session, chair, name, path)
    names = {page: [v.name for v in saved_views.list_views(session, chair, page=page)]
             for page in ("/", "/audit", "/subgroup/1", "/subgroup/1%")}
    assert names == {"/": ["Overview reds", "Plain overview"], "/audit": ["Audit of actions"],
                     "/subgroup/1": ["Subgroup 1"], "/subgroup/1%": []}
    assert saved_views.list_views(session, chair, page="https://elsewhere.example/") == []
    assert len(saved_views.list_views(session, chair)) == 7  # no page: every view of theirs


def test_a_name_with_control_characters_or_not_text_is_refused(session, engine):
    chair = person_by_email(session, DEMO_EMAILS["chair"])
    before = db_fingerprint(engine)
    for name in ("bell\x07", "nul\x00x", ["Reds"], {"n": 1}, 7):
        with pytest.raises(InvalidInput) as refused:
            saved_views.save_view(session, chair, name, "/")
        assert refused.value.errors["name"]
        session.rollback()
    with pytest.raises(InvalidInput):
        saved_views.save_view(session, chair, "Fine", ["/"])
    session.rollback()
    assert db_fingerprint(engine) == before
