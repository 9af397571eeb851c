"""Callbacks sent what a browser could send but a user would not, or while something fails: the import's
preview writes nothing for anyone, a form's callback reads only its own fields, and a database that is
down or an unexpected error gives a message in the page with a reference in the log, nothing half-written.

Runs on the seeded Northamptonshire partnership, with the records of tests/unit/test_crafted_requests.py.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.conftest import TODAY
from tests.crafted import call_callback, changed_tables, db_fingerprint, fail_statements, signed_in_client
from tests.unit.crafted_bodies import (
    EMAILS,
    ONLY_IMPORTERS,
    XLSX,
    _due_changed,
    action,
    data_url,
    import_refused,
    person,
    record_update,
    shows,
)

# --- The import's preview: it runs the import and rolls it back, so it writes nothing for anyone ---------


def check_upload(engine: Engine):
    return ("plan-upload", "contents", data_url(_due_changed(engine, "TR-03"), XLSX)), {
        ("plan-upload", "filename"): "plan.xlsx"}


@pytest.mark.parametrize(("who", "words"), [
    ("viewer", ONLY_IMPORTERS),
    ("other_lead", import_refused("TR-03")),
    ("lead", "Check the changes before importing plan.xlsx"),
    ("admin", "Check the changes before importing plan.xlsx"),
], ids=["viewer", "other_lead", "lead", "admin"])
def test_a_crafted_import_preview_writes_nothing_whoever_sends_it(app, db, who, words):
    trigger, values = check_upload(db)
    client = signed_in_client(app, EMAILS[who])
    before = db_fingerprint(db)
    status, text = reply = call_callback(client, trigger, values)
    assert status == 200, text[:1000]
    assert shows(reply, words), reply.strings[:1000]
    after = db_fingerprint(db)
    assert after == before, f"the preview changed {changed_tables(before, after)}"


# --- Forms on pattern-matching ids: only the form's own fields are read ------------------------------


def test_a_field_the_update_form_never_had_is_ignored(app, db):
    """The browser names the fields of a pattern-matching form: an extra one (here, the author) is not
    passed on to the service, so the update is still the signed-in lead's."""
    trigger, values = record_update(db, "TR-03")
    with Session(db) as s:
        viewer_id = person(s, "viewer").id
        lead_id = person(s, "lead").id
    [(pattern, prop)] = [k for k in values if k[0].startswith("{")]
    values[(pattern, prop)] = [*values[(pattern, prop)], ({"form": "update", "field": "author_id"}, viewer_id)]
    reply = call_callback(signed_in_client(app, EMAILS["lead"]), trigger, values)
    assert reply.status == 200 and shows(reply, "Update recorded"), reply.strings[:500]
    with Session(db) as s:
        from tracker.models import StatusUpdate

        newest = s.exec(select(StatusUpdate).order_by(StatusUpdate.id.desc())).first()
        assert newest.author_id == lead_id and newest.narrative == "Slower than planned."


def test_a_refused_update_names_each_field_to_fix_and_writes_nothing(app, db):
    trigger, values = record_update(db, "TR-03")
    [(pattern, prop)] = [k for k in values if k[0].startswith("{")]
    values[(pattern, prop)] = [(i, {"rag": "amber", "progress": 150, "narrative": ""}.get(i["field"], v))
                               for i, v in values[(pattern, prop)]]
    client = signed_in_client(app, EMAILS["lead"])  # signing in is itself recorded in the audit trail
    before = db_fingerprint(db)
    reply = call_callback(client, trigger, values)
    assert reply.status == 200
    answer = reply.json["response"]
    errors = {json.loads(k)["field"]: v["children"] for k, v in answer.items() if k.startswith('{"field"')
              and "update-error" in k}
    assert "100" in errors["progress"] and "narrative" in errors["narrative"].lower()
    assert errors["rag"] == "" and "update-message" in answer
    assert db_fingerprint(db) == before


# --- Errors: logged with a reference, a notice in the page, nothing half-written -----------------------


def test_an_update_while_the_database_is_unavailable_says_so_and_keeps_the_form(app, db, caplog):
    from tracker.web.errors import DATABASE_UNAVAILABLE, NOTICE_ID

    trigger, values = record_update(db, "TR-03")
    client = signed_in_client(app, EMAILS["lead"])
    before = db_fingerprint(db)
    restore = fail_statements(db, "INSERT")
    try:
        reply = call_callback(client, trigger, values)
    finally:
        restore()
    assert reply.status == 200, reply.text[:500]
    assert reply.json["response"] == {}  # no output written: the form keeps what was typed
    notice = reply.json["sideUpdate"][NOTICE_ID]["children"]
    assert DATABASE_UNAVAILABLE in json.dumps(notice)
    assert db_fingerprint(db) == before
    assert any("database unavailable" in r.getMessage() for r in caplog.records)


def test_an_unexpected_error_in_a_callback_is_logged_with_the_reference_the_page_shows(app, db, caplog,
                                                                                      monkeypatch):
    from tracker.services import actions as actions_service

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(actions_service, "record_update", broken)
    trigger, values = record_update(db, "TR-03")
    reply = call_callback(signed_in_client(app, EMAILS["lead"]), trigger, values)
    assert reply.status == 200 and reply.json["response"] == {}
    text = json.dumps(reply.json["sideUpdate"])
    reference = re.search(r"Something went wrong \(reference ([0-9A-F]{8})\)\. Nothing was saved unless a "
                          r"message says so\.", text).group(1)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info and "a bug" in str(logged[0].exc_info[1])


def _open_page(client, path: str):
    return call_callback(client, ("_pages_location", "pathname", path), {("_pages_location", "search"): ""})


def test_a_page_while_the_database_is_unavailable_says_so_not_a_stack_trace(app, db, caplog):
    from tracker.web.errors import PAGE_UNAVAILABLE

    with Session(db) as s:
        action_id = action(s, "TR-03").id
    client = signed_in_client(app, EMAILS["lead"])
    assert "TR-03" in _open_page(client, f"/action/{action_id}").strings
    restore = fail_statements(db, "SELECT statusupdate")  # the page's history query fails
    try:
        reply = _open_page(client, f"/action/{action_id}")
    finally:
        restore()
    assert reply.status == 200, reply.text[:500]
    assert PAGE_UNAVAILABLE in reply.strings and "Traceback" not in reply.text
    assert any("database unavailable" in r.getMessage() for r in caplog.records)


def test_the_title_of_a_page_that_fails_is_logged_not_swallowed(app, db, caplog):
    from flask_login import login_user

    from tracker.web.auth import SessionUser
    from tracker.web.context import page_title

    def broken(session, person, **_):
        raise RuntimeError("the title broke")

    title = page_title("Action – CDP Delivery Tracker", broken)
    with Session(db) as s:
        lead_id = person(s, "lead").id
    with app.server.test_request_context("/"):
        login_user(SessionUser(lead_id))
        assert title(action_id="1") == "Action – CDP Delivery Tracker"  # the default: the page still shows
    assert any(r.exc_info and "the title broke" in str(r.exc_info[1]) for r in caplog.records)


def test_every_app_made_in_a_process_has_every_page_callback(db):
    """Each test builds its own app: the second (and any later) one serves the same callbacks."""
    from tracker.config import Settings
    from tracker.web.app import create_app

    settings = Settings(database_url="sqlite://", seed_on_start=False, secret_key="test")
    first, second = (create_app(settings, engine=db, today=TODAY) for _ in range(2))
    for app in (first, second):
        app.server.test_client().get("/login")  # serving a request is when Dash sets a server up
    assert set(first.callback_map) == set(second.callback_map)
    assert any("update-message" in key for key in second.callback_map)
    assert any("tor-form-alert" in key for key in second.callback_map)
