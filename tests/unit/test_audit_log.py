"""The audit trail as the chair and administrators read it: filters, order, UK times, readable changes,
and who may read it (also through a crafted request to the audit page's callback).

Runs on the tiny partnership in tests/fixtures/mini/ (admin@, chair@, lead@, owner@, viewer@, pat@police).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, person_by_email
from tests.crafted import call_callback, signed_in_client
from tracker.models import AuditEvent, Partnership, Person, Subgroup, Theme
from tracker.services import audit_log
from tracker.services import people as people_service
from tracker.services.audit_log import changes, readable
from tracker.services.errors import InvalidInput, PermissionDenied


def who(session: Session, key: str) -> Person:
    return person_by_email(session, DEMO_EMAILS.get(key, key))


def event(session: Session, actor: Person | None, at: datetime, entity_type: str = "Action", verb: str = "update",
          before: dict | None = None, after: dict | None = None, summary: str = "", partnership_id: int | None = None,
          entity_id: int | None = 1) -> AuditEvent:
    row = AuditEvent(
        partnership_id=partnership_id or (actor.partnership_id if actor else None), at=at,
        actor_id=actor.id if actor else None, actor_name=actor.name if actor else "system", verb=verb,
        entity_type=entity_type, entity_id=entity_id, summary=summary,
        before=json.dumps(before) if before is not None else None,
        after=json.dumps(after) if after is not None else None,
    )
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def trail(s) -> dict[str, AuditEvent]:
    """A few events on known dates (UTC, as stored), by different people, on different records."""
    admin_, lead, chair = who(s, "admin"), who(s, "lead"), who(s, "chair")
    return {
        "old": event(s, admin_, datetime(2026, 1, 10, 9, 0, tzinfo=UTC), "Person", summary="old"),
        # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
        "bst": event(s, lead, datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "Action", summary="bst"),
        "summer": event(s, lead, datetime(2026, 7, 15, 12, 0, tzinfo=UTC), "StatusUpdate", summary="summer"),
        # 23:30 UTC on 30 November is still 30 November in London (GMT).
        "winter": event(s, chair, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "MaturityScore", summary="winter"),
    }


def summaries(log: audit_log.AuditLog) -> list[str]:
    return [e.summary for e in log.events]


# --- Who may read it --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "chair"])
def test_the_chair_and_admins_read_the_trail(s, trail, role):
    log = audit_log.list_events(s, who(s, role))
    assert summaries(log) == ["winter", "summer", "bst", "old"]
    assert log.total == 4 and not log.truncated


@pytest.mark.parametrize("role", ["viewer", "lead", "owner"])
def test_members_and_viewers_cannot_read_the_trail(s, trail, role):
    with pytest.raises(PermissionDenied) as refused:
        audit_log.list_events(s, who(s, role))
    assert "chair or an administrator" in str(refused.value)
    for read in (audit_log.entity_types, audit_log.actors):
        with pytest.raises(PermissionDenied):
            read(s, who(s, role))


def test_signed_out_or_deactivated_people_cannot_read_the_trail(s, trail):
    with pytest.raises(PermissionDenied):
        audit_log.list_events(s, None)
    chair = who(s, "chair")
    chair.is_active = False
    with pytest.raises(PermissionDenied):
        audit_log.list_events(s, chair)


def test_the_trail_holds_only_the_partnerships_own_events(s, trail):
    other = Partnership(slug="other", name="Other CDP", area="Elsewhere")
    s.add(other)
    s.flush()
    event(s, None, datetime(2026, 8, 1, tzinfo=UTC), summary="elsewhere", partnership_id=other.id)
    event(s, None, datetime(2026, 8, 1, tzinfo=UTC), summary="system, ours", partnership_id=who(s, "admin").partnership_id)
    assert "elsewhere" not in summaries(audit_log.list_events(s, who(s, "admin")))
    assert "system, ours" in summaries(audit_log.list_events(s, who(s, "admin")))


# --- Filters ----------------------------------------------------------------------------------


def test_filter_by_person(s, trail):
    lead = who(s, "lead")
    assert summaries(audit_log.list_events(s, who(s, "admin"), person_id=lead.id)) == ["summer", "bst"]
    assert summaries(audit_log.list_events(s, who(s, "admin"), person_id=str(lead.id))) == ["summer", "bst"]


def test_filter_by_record_type(s, trail):
    assert summaries(audit_log.list_events(s, who(s, "chair"), entity_type="StatusUpdate")) == ["summer"]
    assert summaries(audit_log.list_events(s, who(s, "chair"), entity_type="Nothing")) == []


def test_filter_by_uk_dates_both_ends_included(s, trail):
    admin_ = who(s, "admin")
    # 1 July UK time begins at 23:00 UTC on 30 June: the "bst" event is on 1 July.
    assert summaries(audit_log.list_events(s, admin_, date_from=date(2026, 7, 1))) == ["winter", "summer", "bst"]
    assert summaries(audit_log.list_events(s, admin_, date_to="2026-06-30")) == ["old"]
    assert summaries(audit_log.list_events(s, admin_, date_from="2026-07-15", date_to="2026-07-15")) == ["summer"]
    assert summaries(audit_log.list_events(s, admin_, date_from="2026-11-30", date_to="2026-11-30")) == ["winter"]
    assert summaries(audit_log.list_events(s, admin_, date_from="2026-12-01")) == []


def test_filters_combine(s, trail):
    log = audit_log.list_events(s, who(s, "admin"), person_id=who(s, "lead").id, entity_type="Action",
                                date_from="2026-07-01", date_to="2026-07-31")
    assert summaries(log) == ["bst"]


@pytest.mark.parametrize(("filters", "field", "words"), [
    ({"date_from": "31/03/2026"}, "date_from", "real date"),
    ({"date_to": "2026-02-30"}, "date_to", "real date"),
    ({"date_from": "2026-07-02", "date_to": "2026-07-01"}, "date_to", "cannot be before"),
    ({"person_id": "someone"}, "person_id", "Choose a person"),
    ({"person_id": 99999}, "person_id", "of this partnership"),
])
def test_bad_filters_are_refused_naming_the_filter(s, trail, filters, field, words):
    with pytest.raises(InvalidInput) as refused:
        audit_log.list_events(s, who(s, "admin"), **filters)
    assert words in refused.value.errors[field]


def test_every_bad_filter_is_named_at_once(s, trail):
    with pytest.raises(InvalidInput) as refused:
        audit_log.list_events(s, who(s, "admin"), person_id="x", date_from="nope", date_to="nope")
    assert set(refused.value.errors) == {"person_id", "date_from", "date_to"}


def test_a_person_of_another_partnership_is_not_a_valid_filter(s, trail):
    other = Partnership(slug="other", name="Other CDP", area="Elsewhere")
    s.add(other)
    s.flush()
    outsider = Person(partnership_id=other.id, name="Olly", email="olly@other.example.org")
    s.add(outsider)
    s.flush()
    with pytest.raises(InvalidInput):
        audit_log.list_events(s, who(s, "admin"), person_id=outsider.id)


def test_the_list_is_capped_with_the_count_of_all_that_match(s):
    admin_ = who(s, "admin")
    for minute in range(30):
        event(s, admin_, datetime(2026, 3, 1, 10, minute, tzinfo=UTC), summary=f"event {minute}")
    log = audit_log.list_events(s, admin_, limit=10)
    assert log.total == 30 and len(log.events) == 10 and log.truncated
    assert summaries(log)[0] == "event 29" and summaries(log)[-1] == "event 20"
    assert len(audit_log.list_events(s, admin_, limit=10_000).events) == 30  # capped at MAX_LIMIT, not refused
    assert len(audit_log.list_events(s, admin_, limit=0).events) == 30  # 0 means the default


def test_the_page_says_how_many_changes_match_and_how_many_it_shows(s):
    from tracker.web.components.audit import audit_count

    admin_ = who(s, "admin")
    for minute in range(3):
        event(s, admin_, datetime(2026, 3, 1, 10, minute, tzinfo=UTC))
    assert audit_count(audit_log.list_events(s, admin_, limit=2)).children == (
        "Showing the newest 2 of 3 changes, newest first. Narrow the filters (for example the dates) to see older ones.")
    assert audit_count(audit_log.list_events(s, admin_)).children == "3 changes, newest first."
    assert audit_count(audit_log.list_events(s, admin_, date_from="2027-01-01")).children == (
        "No changes match these filters.")


def test_same_moment_events_come_newest_entry_first(s):
    admin_ = who(s, "admin")
    moment = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    event(s, admin_, moment, summary="first")
    event(s, admin_, moment, summary="second")
    assert summaries(audit_log.list_events(s, admin_)) == ["second", "first"]


def test_filter_lists_name_everyone_and_every_type_in_the_trail(s, trail):
    admin_ = who(s, "admin")
    people_service.set_active(s, admin_, who(s, "owner").id, False)
    people = dict(audit_log.actors(s, admin_))
    assert people[who(s, "owner").id].endswith("(deactivated)")
    assert set(audit_log.entity_types(s, admin_)) == {"Person", "Action", "StatusUpdate", "MaturityScore"}


# --- Reading an event -------------------------------------------------------------------------


def test_times_are_shown_in_uk_time(s, trail):
    log = audit_log.list_events(s, who(s, "admin"))
    when = {e.summary: e.when for e in log.events}
    assert when["bst"] == "01/07/2026 00:30"
    assert when["summer"] == "15/07/2026 13:00"
    assert when["winter"] == "30/11/2026 23:30"


def test_what_names_the_verb_the_record_and_its_id(s):
    admin_ = who(s, "admin")
    event(s, admin_, datetime(2026, 3, 1, tzinfo=UTC), "TermsOfReference", "create", after={"version": 2}, entity_id=7)
    event(s, admin_, datetime(2026, 3, 2, tzinfo=UTC), "RagLevel", "update", before={"label": "A"}, after={"label": "B"},
          entity_id=3)
    whats = [e.what for e in audit_log.list_events(s, admin_).events]
    assert whats == ["Changed RAG colour 3", "Created Terms of reference 7"]


def test_changes_show_each_changed_field_before_and_after():
    result = changes(json.dumps({"status": "in_progress", "due_date": "2026-03-31", "title": "Same"}),
                     json.dumps({"status": "complete", "due_date": "2026-06-30", "title": "Same"}))
    assert [str(c) for c in result] == ["Status: In progress → Complete", "Due date: 31/03/2026 → 30/06/2026"]


def test_changes_of_a_created_and_a_deleted_record():
    created = changes(None, json.dumps({"id": 4, "partnership_id": 1, "name": "New", "is_active": True,
                                        "notes": ""}))
    assert [str(c) for c in created] == ["Name: — → New", "Active: — → Yes"]
    deleted = changes(json.dumps({"id": 4, "role": "deputy", "joined_on": None}), None)
    assert [str(c) for c in deleted] == ["Role: Deputy → —"]


def test_changes_name_the_people_subgroups_and_themes_behind_ids(s):
    admin_, lead = who(s, "admin"), who(s, "lead")
    tr = s.exec(select(Subgroup).where(Subgroup.code == "TR")).one()
    themes = {t.number: t for t in s.exec(select(Theme))}
    event(s, admin_, datetime(2026, 3, 1, tzinfo=UTC), "Subgroup", before={"lead_id": None, "theme_ids": [themes[2].id]},
          after={"lead_id": lead.id, "theme_ids": [themes[1].id, themes[2].id]})
    event(s, admin_, datetime(2026, 3, 2, tzinfo=UTC), "Action", before={"subgroup_id": tr.id, "owner_id": 99999},
          after={"subgroup_id": None, "owner_id": None})
    newest, older = audit_log.list_events(s, admin_).events
    assert [str(c) for c in older.changes] == [
        f"Lead: — → {lead.name}",
        f"Themes: {themes[2].name} → {themes[1].name}, {themes[2].name}",
    ]
    assert [str(c) for c in newest.changes] == [f"Subgroup: {tr.name} → —", "Owner: #99999 → —"]


def test_changes_read_roles_sectors_scales_and_booleans():
    result = changes(json.dumps({"role": "member", "sector": "police", "rag_scale": "standard", "is_active": True}),
                     json.dumps({"role": "chair", "sector": "pcc", "rag_scale": "delivery_confidence",
                                 "is_active": False}))
    assert [str(c) for c in result] == [
        "Role: Member → Chair",
        "Sector: Police → Police and crime commissioner",
        "RAG scale: standard (RAG with blue and grey) → five-point delivery confidence",
        "Active: Yes → No",
    ]


def test_changes_never_show_a_password_hash_and_cope_with_unreadable_json():
    assert changes(None, json.dumps({"password_hash": "$argon2id$secret", "name": "X"})) == [
        audit_log.Change("Name", "—", "X")]
    assert [str(c) for c in changes("not json", None)] == ["Record: not json → —"]
    assert changes(None, None) == []


def test_readable_values():
    assert readable(None) == "—" and readable("") == "—" and readable([]) == "—"
    assert readable(True) == "Yes" and readable(False) == "No"
    assert readable(3.0) == "3" and readable(2.5) == "2.5"
    assert readable("2026-03-31") == "31/03/2026"
    assert readable("2026-07-01T12:05:00") == "01/07/2026 13:05"
    assert readable("line one\n\nline   two") == "line one line two"
    long = readable("x" * 1000)
    assert len(long) == 300 and long.endswith("…")


def test_an_admin_change_reads_well_in_the_trail(s):
    admin_, owner = who(s, "admin"), who(s, "owner")
    people_service.change_role(s, admin_, owner.id, "chair")
    latest = audit_log.list_events(s, who(s, "chair")).events[0]
    assert latest.actor_name == admin_.name
    assert latest.what == f"Changed Person {owner.id}"
    assert [str(c) for c in latest.changes] == ["Role: Member → Chair"]


# --- The audit page's callback, through crafted requests ---------------------------------------


@pytest.fixture
def app(mini_engine: Engine):
    from tracker.config import Settings
    from tracker.web.app import create_app

    return create_app(Settings(database_url="sqlite://", seed_on_start=False, secret_key="test"),
                      engine=mini_engine, today=date(2026, 11, 23))


def _seed_trail(engine: Engine) -> str:
    with Session(engine) as s:
        admin_ = who(s, "admin")
        people_service.change_role(s, admin_, who(s, "owner").id, "chair")
        s.commit()
        return admin_.name


FILTER_VALUES: dict = {}  # the other filters: empty
DATE_FROM = {"form": "audit", "field": "date_from"}  # tracker.web.pages.audit's filter fields


def test_a_viewer_crafting_the_audit_filter_request_is_refused_and_sees_nothing(app, mini_engine):
    admin_name = _seed_trail(mini_engine)
    client = signed_in_client(app, DEMO_EMAILS["viewer"])
    reply = call_callback(client, (DATE_FROM, "value", "2020-01-01"), FILTER_VALUES)
    status, text = reply.status, reply.strings
    assert status == 200
    assert "Only the chair or an administrator can do this." in text
    assert admin_name not in text and "Member" not in text


def test_the_audit_page_refuses_a_member(app, mini_engine):
    client = signed_in_client(app, DEMO_EMAILS["lead"])
    reply = call_callback(client, ("_pages_location", "pathname", "/audit"),
                                             {("_pages_location", "search"): ""})
    status, text = reply.status, reply.strings
    assert status == 200 and "Only the chair or an administrator can see the audit trail." in text


def test_the_chair_filters_the_trail_through_the_page(app, mini_engine):
    admin_name = _seed_trail(mini_engine)
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    reply = call_callback(client, (DATE_FROM, "value", "2020-01-01"), FILTER_VALUES)
    status, text = reply.status, reply.strings
    assert status == 200 and admin_name in text and "Member → Chair" in text
    reply = call_callback(client, (DATE_FROM, "value", "2026-13-01"), FILTER_VALUES)
    status, text = reply.status, reply.strings
    assert status == 200 and "Enter a real date" in text and admin_name not in text
