"""Crafted requests to the board pages' write callbacks (tests/crafted.py): posted by someone who may
not make the change (a lead, an action owner, a viewer), each is refused with the service's message
and the whole database is unchanged; the same body from the chair or an administrator changes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, TODAY
from tests.crafted import call_callback, changed_tables, db_fingerprint, signed_in_client
from tracker.models import BoardMeeting
from tracker.services.board import calendar

ONLY_CHAIR_OR_ADMIN = "Only the chair or an administrator can do this"




def meeting_id(engine: Engine, which: str) -> int:
    with Session(engine) as s:
        pid = s.exec(select(BoardMeeting.partnership_id)).first()
        if which == "next":
            return calendar.next_meeting(s, pid, TODAY).meeting.id
        return calendar.previous_meeting(s, pid, TODAY).id


@dataclass
class Crafted:
    request: Callable[[Engine], tuple[tuple, dict]]
    allowed: str
    done: str


CRAFTED = {
    "add_meeting": Crafted(lambda db: (("board-add", "n_clicks", 1), {
        ("board-add-date", "value"): "2028-01-13", ("board-add-title", "value"): "Partnership board",
        ("board-add-location", "value"): "Online", ("board-refresh", "data"): 0}), "chair",
        "Added the board of 13 January 2028"),
    "remove_meeting": Crafted(lambda db: (("board-remove", "n_clicks", 1), {
        ("board-remove-meeting", "value"): str(meeting_id(db, "next")), ("board-refresh", "data"): 0}), "admin",
        "Removed the meeting"),
    "save_days": Crafted(lambda db: (("board-days-save", "n_clicks", 1), {
        ("board-days", "value"): 5, ("board-refresh", "data"): 0}), "chair",
        "Updates are now due 5 working days before each board"),
    "lock": Crafted(lambda db: (("board-lock", "n_clicks", 1), {
        ("board-lock-meeting", "value"): str(meeting_id(db, "previous")), ("board-refresh", "data"): 0}), "admin",
        "Locked everything dated up to 15 October 2026"),
    "publish": Crafted(lambda db: (("board-publish", "n_clicks", 1), {
        ("board-report-meeting", "data"): meeting_id(db, "next")}), "chair",
        "Published the board report for 10 December 2026"),
}
REFUSALS = [(name, who) for name in CRAFTED for who in ("lead", "owner", "viewer")]


def shows(reply, words: str) -> bool:
    return words.casefold() in reply.strings.casefold()


@pytest.mark.parametrize(("name", "who"), REFUSALS, ids=[f"{n}-{w}" for n, w in REFUSALS])
def test_a_crafted_board_write_is_refused_and_changes_nothing(app, db, name, who):
    crafted = CRAFTED[name]
    trigger, values = crafted.request(db)
    client = signed_in_client(app, DEMO_EMAILS[who])
    before = db_fingerprint(db)
    status, text = reply = call_callback(client, trigger, values)
    assert status == 200, text[:1000]
    assert shows(reply, ONLY_CHAIR_OR_ADMIN), reply.strings[:1000]
    assert not shows(reply, crafted.done)
    after = db_fingerprint(db)
    assert after == before, f"the refused request changed {changed_tables(before, after)}"


@pytest.mark.parametrize("name", CRAFTED)
def test_the_same_board_write_from_the_chair_or_an_admin_lands(app, db, name):
    crafted = CRAFTED[name]
    trigger, values = crafted.request(db)
    client = signed_in_client(app, DEMO_EMAILS[crafted.allowed])
    before = db_fingerprint(db)
    status, text = reply = call_callback(client, trigger, values)
    assert status == 200, text[:1000]
    assert shows(reply, crafted.done), reply.strings[:1000]
    assert db_fingerprint(db) != before


@pytest.mark.parametrize("value", ["not-a-number", None, "-1", {"meeting_id": 1}])
def test_a_malformed_meeting_id_is_refused_cleanly(app, db, value):
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    before = db_fingerprint(db)
    status, text = reply = call_callback(client, ("board-publish", "n_clicks", 1),
                                         {("board-report-meeting", "data"): value})
    assert status == 200, text[:1000]
    assert not shows(reply, "Published the board report")
    assert db_fingerprint(db) == before


def test_a_download_of_another_partnerships_meeting_is_not_found(app, db):
    client = signed_in_client(app, DEMO_EMAILS["viewer"])
    reply = call_callback(client, ("board-download-pdf", "n_clicks", 1), {("board-report-meeting", "data"): 99999})
    assert reply.status == 200 and shows(reply, "There is no board meeting 99999")
