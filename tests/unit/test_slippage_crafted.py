"""Crafted requests (tests/crafted.py) to the new writes of the subgroup and action pages: adding an
action, moving a due date, changing a locked period. A refused request changes nothing in the
database; the same body from someone allowed (with what the rule asks for) changes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from tests.conftest import TODAY
from tests.crafted import (
    call_callback,
    changed_tables,
    db_fingerprint,
    form_body,
    signed_in_client,
)
from tests.unit.crafted_bodies import (
    EMAILS,
    TR_NAME,
    action,
    edit_action,
    only_lead,
    person,
    record_update,
    subgroup,
)
from tracker.models import Action, AuditEvent, DueDateChange
from tracker.services.board import calendar, locks


def add_action(engine, code: str = "TR"):
    with Session(engine) as s:
        return ("add-action-submit", "n_clicks", 1), {
            ("add-action-subgroup", "data"): subgroup(s, code).id,
            **form_body("add-action", {"title": "Naloxone kits in every hostel", "description": "",
                                       "objective_id": "", "owner_id": "", "lead_organisation": "NHFT",
                                       "start_date": "2026-12-01", "due_date": "2027-06-30"}),
        }


def moved_due(engine, ref: str, reason: str):
    """The edit form as the browser posts it, with the due date 45 days later and this reason."""
    trigger, values = edit_action(engine, ref)
    return trigger, values | form_body("edit", _fields(engine, ref) | {"due_date_reason": reason})


def refused_and_unchanged(app, db, who: str, request, words: str):
    trigger, values = request
    client = signed_in_client(app, EMAILS[who])
    before = db_fingerprint(db)
    status, text = reply = call_callback(client, trigger, values)
    assert status == 200, text[:1000]
    assert words.casefold() in reply.strings.casefold(), reply.strings[:1000]
    after = db_fingerprint(db)
    assert after == before, f"the refused request changed {changed_tables(before, after)}"


@pytest.mark.parametrize("who", ["viewer", "owner", "other_lead"])
def test_a_crafted_add_action_is_refused_and_changes_nothing(app, db, who):
    refused_and_unchanged(app, db, who, add_action(db), only_lead(TR_NAME))


@pytest.mark.parametrize("who", ["lead", "admin"])
def test_the_same_add_action_from_a_lead_or_admin_adds_it(app, db, who):
    client = signed_in_client(app, EMAILS[who])
    status, _ = reply = call_callback(client, *add_action(db))
    assert status == 200 and "Added TR-" in reply.strings
    with Session(db) as s:
        added = s.exec(select(Action).where(Action.title == "Naloxone kits in every hostel")).one()
        assert added.original_due_date == added.due_date and added.lead_organisation == "NHFT"


def test_an_add_action_with_bad_fields_names_them_and_writes_nothing(app, db):
    trigger, values = add_action(db)
    values |= form_body("add-action", {"title": "", "start_date": "2027-07-01", "due_date": "2027-06-30",
                                       "owner_id": "999999"})
    refused_and_unchanged(app, db, "lead", (trigger, values), "Nothing was saved")
    client = signed_in_client(app, EMAILS["lead"])
    reply = call_callback(client, trigger, values)
    assert "Title" in reply.strings


def test_a_crafted_due_date_move_without_a_reason_is_refused_and_changes_nothing(app, db):
    refused_and_unchanged(app, db, "lead", moved_due(db, "TR-03", ""), "Say why the due date is changing")


def test_a_due_date_move_with_a_reason_is_kept_in_the_history(app, db):
    client = signed_in_client(app, EMAILS["lead"])
    reply = call_callback(client, *moved_due(db, "TR-03", "The provider asked for more time"))
    assert "Saved the changes to TR-03" in reply.strings
    with Session(db) as s:
        change = s.exec(select(DueDateChange)).one()
        assert change.reason == "The provider asked for more time" and (change.new_due - change.old_due).days == 45


def lock_october(db):
    with Session(db) as s:
        pid = action(s, "TR-03").partnership_id
        october = calendar.previous_meeting(s, pid, TODAY)
        locks.lock_period(s, person(s, "chair"), {"meeting_id": october.id}, TODAY)
        s.commit()


def test_a_locked_date_is_refused_to_a_lead_and_to_an_admin_without_a_late_reason(app, db):
    lock_october(db)  # TR-03 started on 5 January 2026, inside the locked period
    with Session(db) as s:
        a = action(s, "TR-03")
        s.execute(Action.__table__.update().where(Action.__table__.c.id == a.id)
                  .values(start_date=a.start_date + timedelta(days=1)))  # not a change through the form
        s.commit()
    request = moved_due(db, "TR-03", "Agreed at the board")
    with Session(db) as s:  # the form moves the start date back, a date in the locked period
        a = action(s, "TR-03")
    request[1].update(form_body("edit", {**_fields(db, "TR-03"),
                                         "start_date": (a.start_date - timedelta(days=1)).isoformat(),
                                         "due_date_reason": "Agreed at the board", "late_reason": ""}))
    refused_and_unchanged(app, db, "lead", request, "can only be made by an administrator, with a reason")
    refused_and_unchanged(app, db, "admin", request, "Reason for changing a locked period (administrators)")
    request[1].update(form_body("edit", {**_fields(db, "TR-03"),
                                         "start_date": (a.start_date - timedelta(days=1)).isoformat(),
                                         "due_date_reason": "Agreed at the board",
                                         "late_reason": "Correcting the start date the board saw"}))
    client = signed_in_client(app, EMAILS["admin"])
    reply = call_callback(client, *request)
    assert "Saved the changes to TR-03" in reply.strings


def _fields(db, ref: str) -> dict:
    with Session(db) as s:
        a = action(s, ref)
        return {"title": a.title, "description": a.description, "objective_id": str(a.objective_id or ""),
                "owner_id": str(a.owner_id or ""), "lead_organisation": a.lead_organisation,
                "start_date": a.start_date.isoformat() if a.start_date else "",
                "due_date": (a.due_date + timedelta(days=45)).isoformat(), "status": a.status}


def test_an_update_dated_in_a_locked_period_needs_an_admin_and_a_late_reason(app, db):
    lock_october(db)
    trigger, values = record_update(db, "TR-03")
    fields = {"update_date": "2026-10-10", "rag": "amber", "progress": 55, "narrative": "Slower than planned.",
              "next_steps": "", "blockers": ""}
    values |= form_body("update", fields | {"late_reason": ""})
    refused_and_unchanged(app, db, "lead", (trigger, values), "can only be made by an administrator, with a reason")
    refused_and_unchanged(app, db, "admin", (trigger, values), "Reason for changing a locked period (administrators)")
    values |= form_body("update", fields | {"late_reason": "Recorded late: the owner was on leave"})
    reply = call_callback(signed_in_client(app, EMAILS["admin"]), trigger, values)
    assert "Update recorded" in reply.strings
    with Session(db) as s:
        late = s.exec(select(AuditEvent).where(AuditEvent.verb == "late_change")).one()
        assert "the owner was on leave" in late.after
