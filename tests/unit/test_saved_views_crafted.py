"""Crafted requests (tests/crafted.py) to the saved-views panel's callback: what a page never offers
(another person's view, another partnership's, an id that is none, a name too long or no text at
all, an address outside the tracker, a view deleted twice) is refused with a clear message and the
whole database is unchanged; the same body with good values does save or delete."""

from __future__ import annotations

import pytest
from dash import ALL
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS
from tests.crafted import call_callback, changed_tables, db_fingerprint, signed_in_client, stringify_id
from tracker.models import Person, SavedView
from tracker.services import saved_views
from tracker.web.components import url_filters
from tracker.web.components.saved_views import DELETE

NOT_THERE = "That saved view does not exist."


def on_page(page: str = "overview", path: str = "/", search: str = "?theme=2", name=None) -> dict:
    """call_callback's values: the page's filter location as the browser reports it, and the name typed."""
    location = url_filters.location_id(page)
    pattern = stringify_id(url_filters.location_id(ALL))
    return {("saved-view-name", "value"): name, (pattern, "pathname"): [(location, path)],
            (pattern, "search"): [(location, search)]}


def save(client, name, **page):
    return call_callback(client, ("saved-view-save", "n_clicks", 1), on_page(name=name, **page))


def delete(client, view_id, **page):
    return call_callback(client, ({"type": DELETE, "view": view_id}, "n_clicks", 1), on_page(**page))


def keep_view(engine, email: str, name: str, path: str) -> int:
    with Session(engine) as s:
        person = s.exec(select(Person).where(Person.email == email)).one()
        return saved_views.save_view(s, person, name, path).id


def refused_and_unchanged(engine, request, words: str, status_wanted: int = 200):
    """The request answered with `words` (a 200 the panel shows, or the app's 400 for a body no page
    sends), and not one row of the database changed."""
    before = db_fingerprint(engine)
    status, text = reply = request()
    assert status == status_wanted, text[:1000]
    assert words in reply.strings, reply.strings[:1000]
    after = db_fingerprint(engine)
    assert after == before, f"the refused request changed {changed_tables(before, after)}"
    return reply


def test_a_good_save_and_delete_change_the_database(app, db):
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    reply = save(client, "Theme two")
    assert "View saved." in reply.strings and "Theme two" in reply.strings
    with Session(db) as s:
        view = s.exec(select(SavedView)).one()
        assert view.path == "/?theme=2"
    reply = delete(client, view.id)
    assert "View deleted." in reply.strings and "No saved views yet." in reply.strings
    with Session(db) as s:
        assert s.exec(select(SavedView)).first() is None


def test_the_list_answered_is_this_pages_views_of_this_person_only(app, db):
    keep_view(db, DEMO_EMAILS["chair"], "Chair's overview", "/?owner=3")
    keep_view(db, DEMO_EMAILS["viewer"], "Viewer's audit", "/audit?entity_type=Action")
    keep_view(db, DEMO_EMAILS["viewer"], "Viewer's subgroup", "/subgroup/1?rag=Red")
    reply = save(signed_in_client(app, DEMO_EMAILS["viewer"]), "Viewer's overview")
    assert "Viewer's overview" in reply.strings
    assert "Chair's overview" not in reply.strings  # another person's, on the same page
    assert "Viewer's audit" not in reply.strings and "Viewer's subgroup" not in reply.strings  # other pages


def test_another_persons_view_is_not_deleted(app, db):
    theirs = keep_view(db, DEMO_EMAILS["chair"], "Chair's view", "/?theme=1")
    client = signed_in_client(app, DEMO_EMAILS["viewer"])
    reply = refused_and_unchanged(db, lambda: delete(client, theirs), NOT_THERE)
    assert "Chair's view" not in reply.strings


def test_another_partnerships_view_is_not_deleted(both):
    engine, app = both
    theirs = keep_view(engine, "chair@lancashire.example.org", "Lancashire reds", "/?theme=1")
    client = signed_in_client(app, "admin@cdp.example.org")
    reply = refused_and_unchanged(engine, lambda: delete(client, theirs), NOT_THERE)
    assert "Lancashire reds" not in reply.strings


@pytest.mark.parametrize("view_id", ["1", "one", True, 1.5, -1, 0, 2**53, 999_999])
def test_an_id_that_names_no_view_of_yours_is_refused(app, db, view_id):
    keep_view(db, DEMO_EMAILS["chair"], "Mine", "/?theme=1")  # id 1: "1", True and 1.5 must not find it
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    refused_and_unchanged(db, lambda: delete(client, view_id), NOT_THERE)


@pytest.mark.parametrize("view_id", [None, [1], {"id": 1}, 2**63, 2**64])
def test_an_id_no_page_could_send_is_refused_before_the_callback(app, db, view_id):
    keep_view(db, DEMO_EMAILS["chair"], "Mine", "/?theme=1")
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    refused_and_unchanged(db, lambda: delete(client, view_id), "nothing was saved", status_wanted=400)


def test_deleting_twice_is_refused_the_second_time(app, db):
    mine = keep_view(db, DEMO_EMAILS["chair"], "Once", "/?theme=1")
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    assert "View deleted." in delete(client, mine).strings
    refused_and_unchanged(db, lambda: delete(client, mine), NOT_THERE)


@pytest.mark.parametrize(("name", "words"), [
    ("", "Give the view a name."),
    ("   ", "Give the view a name."),
    (None, "Give the view a name."),
    (["a list"], "Give the view a name."),
    ({"name": "a dict"}, "Give the view a name."),
    (42, "Give the view a name."),
    ("x" * 81, "Keep the name to 80 characters or fewer."),
    ("bell\x07", "Use letters, numbers, spaces and punctuation in the name."),
])
def test_a_malformed_name_is_refused(app, db, name, words):
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    refused_and_unchanged(db, lambda: save(client, name), words)


def test_a_name_used_twice_is_refused(app, db):
    keep_view(db, DEMO_EMAILS["chair"], "Reds", "/audit")
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    refused_and_unchanged(db, lambda: save(client, "REDS"), "You already have a view with that name")


@pytest.mark.parametrize(("path", "search"), [
    ("//evil.example.com/", ""),
    ("https://evil.example.com/", "?theme=1"),
    ("", ""),
    ("/", "?theme=1\n&owner=2"),
    ("/", "?" + "x" * 1000),
])
def test_an_address_outside_the_tracker_is_refused(app, db, path, search):
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    refused_and_unchanged(db, lambda: save(client, "Away", path=path, search=search),
                          "Only a page of the tracker can be saved as a view.")


def test_the_grid_pages_address_is_saved_too(app, db):
    """The subgroup page keeps its grid's filters in a location of its own (url_filters.grid_location)."""
    location = url_filters.grid_location_id("subgroup")
    pattern = stringify_id(url_filters.grid_location_id(ALL))
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    reply = call_callback(client, ("saved-view-save", "n_clicks", 1), {
        ("saved-view-name", "value"): "Two conditions",
        (pattern, "pathname"): [(location, "/subgroup/1")],
        (pattern, "search"): [(location, "?title=a&title=or:b")]})
    assert "View saved." in reply.strings
    with Session(db) as s:
        assert s.exec(select(SavedView.path)).one() == "/subgroup/1?title=a&title=or:b"
