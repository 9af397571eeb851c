"""Changing a board meeting from /board: crafted requests (tests/crafted.py) from a lead, an owner or
a viewer are refused and change nothing; the chair's or an administrator's change is saved; a bad
date is named beside its field."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.conftest import DEMO_EMAILS
from tests.crafted import call_callback, changed_tables, db_fingerprint, form_body, signed_in_client
from tests.unit.test_board_crafted import ONLY_CHAIR_OR_ADMIN, meeting_id  # noqa: F401 (meeting_id: a fixture)
from tracker.models import BoardMeeting


def change(engine, meeting=None, **fields):
    """The request of "Save the change": the next meeting unless `meeting` is given ("" for none)."""
    given = {"meeting_id": str(meeting_id(engine, "next")) if meeting is None else meeting,
             "meeting_date": "", "title": "", "location": ""}
    given |= {"meeting_date" if k == "date" else k: v for k, v in fields.items()}
    return ("board-change", "n_clicks", 1), form_body("board-change", given) | {("board-refresh", "data"): 0}


@pytest.mark.parametrize("who", ["lead", "owner", "viewer"])
def test_a_crafted_meeting_change_is_refused_and_changes_nothing(app, db, who):  # noqa: F811
    client = signed_in_client(app, DEMO_EMAILS[who])
    before = db_fingerprint(db)
    status, text = reply = call_callback(client, *change(db, date="2026-12-17", location="County Hall"))
    assert status == 200, text[:500]
    assert ONLY_CHAIR_OR_ADMIN in reply.strings
    after = db_fingerprint(db)
    assert after == before, f"the refused request changed {changed_tables(before, after)}"


@pytest.mark.parametrize("who", ["chair", "admin"])
def test_the_chair_or_an_admin_moves_a_meeting_keeping_what_was_not_given(app, db, who):  # noqa: F811
    with Session(db) as s:
        title = s.get(BoardMeeting, meeting_id(db, "next")).title
    client = signed_in_client(app, DEMO_EMAILS[who])
    reply = call_callback(client, *change(db, date="2026-12-17", location="County Hall"))
    assert "Saved:" in reply.strings and "17 December 2026" in reply.strings
    with Session(db) as s:
        moved = s.get(BoardMeeting, meeting_id(db, "next"))
        assert (moved.meeting_date.isoformat(), moved.location, moved.title) == ("2026-12-17", "County Hall", title)


def test_a_bad_date_or_no_meeting_is_named_and_nothing_changes(app, db):  # noqa: F811
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    before = db_fingerprint(db)
    reply = call_callback(client, *change(db, date="1899-01-01"))
    assert "between 2000 and 2100" in reply.strings and "New date" in reply.strings
    assert "Choose the meeting to change" in call_callback(client, *change(db, meeting="", title="Renamed")).strings
    assert db_fingerprint(db) == before
