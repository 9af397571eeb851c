"""My actions: the view model (what a lead and an owner see, in which order, what is due an update)
and crafted requests to the page's inline update callback (a refused write changes nothing)."""

from __future__ import annotations

from datetime import date

import pytest
from dash import MATCH
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, TODAY
from tests.crafted import (
    call_callback,
    changed_tables,
    db_fingerprint,
    give_password,
    signed_in_client,
    stringify_id,
)
from tracker.config import Settings
from tracker.models import Action, StatusUpdate, Subgroup
from tracker.services import actions, maturity, my_actions
from tracker.services.board.calendar import due_action_ids
from tracker.services.permissions import led_subgroup_ids

OTHER_LEAD = "m.fenwick@police.example.org"  # leads Supply and Enforcement (SUP) only


def subgroup(session: Session, code: str) -> Subgroup:
    return session.exec(select(Subgroup).where(Subgroup.code == code)).one()


def action(session: Session, ref: str) -> Action:
    return session.exec(select(Action).where(Action.ref == ref)).one()


def add_action(session: Session, actor, code: str, title: str, due: date, owner_id=None) -> Action:
    return actions.create_action(session, actor, {
        "subgroup_id": subgroup(session, code).id, "title": title, "owner_id": owner_id,
        "start_date": date(2026, 1, 5), "due_date": due, "status": "in_progress",
    })


# --- The view model ------------------------------------------------------------------------------


def test_a_lead_sees_their_own_actions_and_every_open_action_of_their_subgroup(session, lead, today):
    view = my_actions.my_actions(session, lead, today)
    refs = {r.row.ref for r in view.rows}
    led = led_subgroup_ids(session, lead)
    open_in_led = {a.ref for a in session.exec(select(Action).where(
        Action.subgroup_id.in_(led), Action.status.in_(("not_started", "in_progress"))))}
    owned = {a.ref for a in session.exec(select(Action).where(Action.owner_id == lead.id,
                                                               Action.status != "cancelled"))}
    assert open_in_led and owned - open_in_led  # the lead owns completed actions too
    assert refs == open_in_led | owned
    assert view.leads
    tr = next(r for r in view.rows if r.row.ref == "TR-03")  # owned by owner@, in the lead's subgroup
    assert tr.led and not tr.owned
    mine = next(r for r in view.rows if r.row.ref == "TR-06")
    assert mine.owned and mine.led


def test_an_owner_who_leads_nothing_sees_only_their_own_actions(session, owner, today):
    view = my_actions.my_actions(session, owner, today)
    owned = {a.ref for a in session.exec(select(Action).where(Action.owner_id == owner.id,
                                                               Action.status != "cancelled"))}
    assert {r.row.ref for r in view.rows} == owned == {"TR-03", "TR-04", "TR-12", "DIL-07"}
    assert all(r.owned and not r.led for r in view.rows)
    assert not view.leads


def test_a_viewer_has_nothing_to_update(session, viewer, today):
    assert my_actions.my_actions(session, viewer, today).rows == []


def test_each_row_has_the_last_update_figures_and_narrative(session, owner, today):
    row = next(r for r in my_actions.my_actions(session, owner, today).rows if r.row.ref == "TR-03")
    latest = session.exec(select(StatusUpdate).where(StatusUpdate.action_id == row.id)
                          .order_by(StatusUpdate.update_date.desc(), StatusUpdate.id.desc())).first()
    assert (row.row.rag, row.row.progress, row.row.last_update) == (latest.rag, latest.progress, latest.update_date)
    assert row.last_narrative == latest.narrative and row.row.subgroup and row.row.title


def test_the_next_board_and_its_deadline_are_at_the_top(session, lead, today):
    view = my_actions.my_actions(session, lead, today)
    assert view.next_meeting.meeting.meeting_date == date(2026, 12, 10)
    assert view.next_meeting.deadline == date(2026, 11, 26)  # 10 working days before
    assert view.period.start == date(2026, 10, 15)  # since the last board


def test_actions_due_an_update_come_first_then_by_due_date(session, lead, admin, today):
    later = add_action(session, admin, "TR", "Due later, never updated", date(2027, 6, 30))
    sooner = add_action(session, admin, "TR", "Due sooner, never updated", date(2027, 3, 31))
    session.flush()
    view = my_actions.my_actions(session, lead, today)
    due = view.rows[:view.due_count]
    assert all(r.due_update for r in due) and not any(r.due_update for r in view.rows[view.due_count:])
    assert {r.id for r in due} == due_action_ids(session, lead.partnership_id, today) & {r.id for r in view.rows}
    refs = [r.row.ref for r in due]
    assert sooner.ref in refs and later.ref in refs and refs.index(sooner.ref) < refs.index(later.ref)
    assert view.due_count >= 2
    # within each group: overdue first, then by due date; after the due ones, open before closed
    keys = [my_actions.sort_key(r) for r in view.rows]
    assert keys == sorted(keys)
    rest = view.rows[view.due_count:]
    assert [r.open for r in rest] == sorted((r.open for r in rest), reverse=True)
    overdue_first = [r.row.overdue for r in due]
    assert overdue_first == sorted(overdue_first, reverse=True)


def test_an_update_in_the_period_takes_the_action_off_the_due_list(session, lead, admin, today):
    new = add_action(session, admin, "TR", "A new action", date(2027, 3, 31))
    session.flush()
    assert my_actions.my_action_row(session, lead, new.id, today).due_update
    actions.record_status_update(session, lead, new.id, {"update_date": today.isoformat(), "rag": "amber",
                                                         "progress": 20, "narrative": "Slipping."}, today)
    session.flush()
    row = my_actions.my_action_row(session, lead, new.id, today)
    assert not row.due_update and (row.row.rag, row.row.progress, row.row.last_update) == ("amber", 20, today)
    assert row.last_narrative == "Slipping."


def test_an_action_of_someone_else_is_not_on_my_page(session, owner, today):
    sup = session.exec(select(Action).join(Subgroup).where(Subgroup.code == "SUP")).first()
    assert my_actions.my_action_row(session, owner, sup.id, today) is None


def test_maturity_ratings_waiting_for_me_are_listed(session, lead, owner, today):
    assert my_actions.my_actions(session, owner, today).awaiting_ratings == []
    opened = maturity.open_assessment(session, lead, subgroup(session, "TR").id,
                                      {"title": "2026/27 Q3 self-assessment", "rater_ids": [owner.id]}, today)
    session.flush()
    waiting = my_actions.my_actions(session, owner, today).awaiting_ratings
    assert [a.id for a in waiting] == [opened.id]


# --- Crafted requests to the inline update (save_row) ---------------------------------------------


@pytest.fixture
def crafted_db(engine: Engine) -> Engine:
    give_password(engine, *DEMO_EMAILS.values(), OTHER_LEAD)
    return engine


@pytest.fixture
def app(crafted_db: Engine):
    from tracker.web.app import create_app

    return create_app(Settings(database_url="sqlite://", seed_on_start=False, secret_key="test"),
                      engine=crafted_db, today=TODAY)


def save_request(engine: Engine, ref: str, rag="amber", progress=55, narrative="Slower than planned."):
    with Session(engine) as s:
        action_id = action(s, ref).id

    def pattern(kind: str) -> str:
        return stringify_id({"type": kind, "action": MATCH})

    return ({"type": "myact-save", "action": action_id}, "n_clicks", 1), {
        (pattern("myact-date"), "value"): TODAY.isoformat(), (pattern("myact-rag"), "value"): rag,
        (pattern("myact-progress"), "value"): progress, (pattern("myact-narrative"), "value"): narrative,
    }


def only_owner(ref: str) -> str:
    return f"Only the owner of action {ref}, a lead of its subgroup or an administrator can record an update on it."


@pytest.mark.parametrize("who", ["viewer", OTHER_LEAD])
def test_a_crafted_inline_update_by_someone_not_allowed_changes_nothing(app, crafted_db, who):
    email = DEMO_EMAILS.get(who, who)
    client = signed_in_client(app, email)
    before = db_fingerprint(crafted_db)
    trigger, values = save_request(crafted_db, "TR-03")
    status, _ = reply = call_callback(client, trigger, values)
    assert status == 200
    assert only_owner("TR-03") in reply.strings
    after = db_fingerprint(crafted_db)
    assert after == before, changed_tables(before, after)


def test_the_same_crafted_inline_update_by_the_owner_is_recorded(app, crafted_db):
    client = signed_in_client(app, DEMO_EMAILS["owner"])
    before = db_fingerprint(crafted_db)
    reply = call_callback(client, *save_request(crafted_db, "TR-03"))
    assert reply.status == 200 and "Saved: Amber, 55%" in reply.strings
    assert db_fingerprint(crafted_db) != before
    with Session(crafted_db) as s:
        latest = s.exec(select(StatusUpdate).where(StatusUpdate.action_id == action(s, "TR-03").id)
                        .order_by(StatusUpdate.id.desc())).first()
        assert (latest.rag, latest.progress, latest.update_date) == ("amber", 55, TODAY)


def test_a_refused_inline_update_names_the_field_and_saves_nothing(app, crafted_db):
    client = signed_in_client(app, DEMO_EMAILS["owner"])
    before = db_fingerprint(crafted_db)
    reply = call_callback(client, *save_request(crafted_db, "TR-03", rag="red", progress=150, narrative=""))
    assert reply.status == 200
    assert "Progress (%)" in reply.strings and "Narrative" in reply.strings
    outputs = reply.json["response"]
    invalid = {key.split('"type":"')[1].split('"')[0]: value["invalid"] for key, value in outputs.items()
               if "invalid" in value}
    assert invalid == {"myact-date": False, "myact-rag": False, "myact-progress": True, "myact-narrative": True}
    assert db_fingerprint(crafted_db) == before


def test_a_crafted_inline_update_with_a_malformed_row_id_is_refused(app, crafted_db):
    client = signed_in_client(app, DEMO_EMAILS["lead"])
    before = db_fingerprint(crafted_db)
    trigger, values = save_request(crafted_db, "TR-03")
    reply = call_callback(client, ({"type": "myact-save", "action": "x; drop"}, "n_clicks", 1), values)
    assert reply.status < 500
    assert db_fingerprint(crafted_db) == before


def test_members_land_on_my_actions_and_the_chair_on_the_overview(app, crafted_db):
    import re

    for who, landing in (("lead", "/my-actions"), ("owner", "/my-actions"), ("chair", "/"), ("admin", "/")):
        client = app.server.test_client()
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
        response = client.post("/login", data={"email": DEMO_EMAILS[who], "password": "demo-password-1",
                                               "csrf_token": token, "next": "/"})
        assert response.headers["Location"] == landing, who
    # an explicit destination is kept for members too
    client = app.server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": DEMO_EMAILS["lead"], "password": "demo-password-1",
                                           "csrf_token": token, "next": "/themes"})
    assert response.headers["Location"] == "/themes"

