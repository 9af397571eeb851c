"""UK time: "today" is the UK date whatever the server's time zone, around the BST/GMT switches too, and
stored timestamps are UTC, shown in UK time.

2027's switches: BST starts 01:00 UTC on 28 March, ends 01:00 UTC on 31 October. The web tests run
after the seeded data (November 2026), with the app's "today" not pinned, so the clock decides.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS
from tests.crafted import call_callback, form_body, signed_in_client
from tracker import formatting
from tracker.models import Action, AuditEvent, StatusUpdate
from tracker.rules import clock

LONDON = ZoneInfo("Europe/London")
BST_STARTS = datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
BST_ENDS = datetime(2027, 10, 31, 1, 0, tzinfo=UTC)
# Moments within two days either side of each switch, to the second.
NEAR_A_SWITCH = st.sampled_from([BST_STARTS, BST_ENDS]).flatmap(
    lambda switch: st.integers(-2 * 86400, 2 * 86400).map(lambda s: switch + timedelta(seconds=s)))


@pytest.fixture
def server_in_utc():
    """The process's local time zone set to UTC, as on most servers (and restored afterwards)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@given(NEAR_A_SWITCH)
def test_today_is_the_uk_date_of_the_moment_around_each_switch(moment):
    with clock.frozen_at(moment):
        assert clock.uk_today() == moment.astimezone(LONDON).date()
        assert clock.uk_now().utcoffset() == (timedelta(hours=1) if BST_STARTS <= moment < BST_ENDS else timedelta(0))
        assert clock.utc_now() == moment and clock.utc_now().utcoffset() == timedelta(0)


@given(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
def test_the_hour_before_utc_midnight_is_already_tomorrow_in_summer_only(day):
    moment = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=23, minutes=30)
    summer = moment.astimezone(LONDON).utcoffset() == timedelta(hours=1)
    with clock.frozen_at(moment):
        assert clock.uk_today() == (day + timedelta(days=1) if summer else day)


@given(NEAR_A_SWITCH)
def test_a_uk_day_begins_at_uk_midnight(moment):
    day = moment.astimezone(LONDON).date()
    start = clock.uk_midnight_utc(day)
    assert start <= moment < clock.uk_midnight_utc(day + timedelta(days=1))
    assert clock.uk_date(start) == day and clock.uk_date(start - timedelta(seconds=1)) == day - timedelta(days=1)


def test_a_stored_time_is_shown_in_uk_time():
    summer = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)
    winter = datetime(2027, 12, 31, 23, 30, tzinfo=UTC)
    assert formatting.short_date_time(summer) == "01/07/2027 00:30"
    assert formatting.short_date(summer) == "01/07/2027" and formatting.long_date(summer) == "1 July 2027"
    assert formatting.short_date_time(winter) == "31/12/2027 23:30"
    assert formatting.short_date(date(2027, 7, 1)) == "01/07/2027"  # a plain date is a UK date already


def test_frozen_at_refuses_a_moment_without_a_time_zone():
    with pytest.raises(ValueError, match="aware"):
        with clock.frozen_at(datetime(2027, 6, 30, 23, 30)):
            pass


def test_timestamps_are_stored_in_utc_and_come_back_aware(db):
    moment = datetime(2027, 7, 1, 0, 30, tzinfo=LONDON)  # 23:30 UTC the day before
    with Session(db) as s:
        s.add(AuditEvent(at=moment, actor_name="Test", entity_type="Test", entity_id=1, verb="create", summary="x"))
        s.commit()
    with Session(db) as s:
        back = s.exec(select(AuditEvent).where(AuditEvent.entity_type == "Test")).one().at
        raw = s.connection().exec_driver_sql("SELECT at FROM auditevent WHERE entity_type = 'Test'").scalar()
    assert back == moment and back.utcoffset() == timedelta(0)
    assert str(raw).startswith("2027-06-30 23:30")  # UTC on disk


# --- Through the page: the update form on a UTC server --------------------------------------------------


@pytest.fixture
def live_app(db):
    """The app with "today" left to the clock (the shared `app` fixture pins it)."""
    from tracker.config import Settings
    from tracker.web.app import create_app

    return create_app(Settings(database_url="sqlite://", seed_on_start=False, secret_key="test"), engine=db)


def record(app, db, update_date: str):
    with Session(db) as s:
        action_id = s.exec(select(Action).where(Action.ref == "TR-03")).one().id
    values = {("action-id", "data"): action_id,
              **form_body("update", {"update_date": update_date, "rag": "amber", "progress": 55,
                                     "narrative": "Dated today in the UK.", "next_steps": "", "blockers": ""})}
    return call_callback(signed_in_client(app, DEMO_EMAILS["lead"]), ("update-submit", "n_clicks", 1), values)


def test_at_half_past_midnight_bst_on_a_utc_server_an_update_dated_today_is_accepted(live_app, db, server_in_utc):
    moment = datetime(2027, 3, 28, 23, 30, tzinfo=UTC)  # 00:30 BST on 29 March; the server says the 28th
    assert datetime.fromtimestamp(moment.timestamp()).date() == date(2027, 3, 28)
    with clock.frozen_at(moment):
        reply = record(live_app, db, "2027-03-29")
    assert reply.status == 200 and "Update recorded" in reply.strings, reply.strings[:500]
    with Session(db) as s:
        newest = s.exec(select(StatusUpdate).order_by(StatusUpdate.id.desc())).first()
    assert newest.update_date == date(2027, 3, 29) and newest.narrative == "Dated today in the UK."
    assert clock.uk_date(newest.created_at) == date(2027, 3, 29)  # its timestamp agrees with its date


def test_at_half_past_midnight_bst_the_day_after_the_uk_date_is_still_the_future(live_app, db, server_in_utc):
    with clock.frozen_at(datetime(2027, 3, 28, 23, 30, tzinfo=UTC)):
        with Session(db) as s:
            before = len(s.exec(select(StatusUpdate.id)).all())
        reply = record(live_app, db, "2027-03-30")
    assert reply.status == 200 and "future" in reply.strings.casefold(), reply.strings[:500]
    with Session(db) as s:
        assert len(s.exec(select(StatusUpdate.id)).all()) == before


@pytest.mark.parametrize("moment, shown", [
    (datetime(2027, 6, 30, 23, 30, tzinfo=UTC), "01/07/2027 at 00:30"),  # BST: already 1 July
    (datetime(2027, 12, 31, 23, 30, tzinfo=UTC), "31/12/2027 at 23:30"),  # GMT
])
def test_the_conflict_message_and_the_audit_trail_give_the_same_uk_time(moment, shown):
    from tests.factories import action_input, build_world
    from tracker.db import create_schema, make_engine
    from tracker.services import actions, audit_log
    from tracker.services.errors import Conflict

    engine = make_engine("sqlite://")
    create_schema(engine)
    with Session(engine, expire_on_commit=False) as s:
        world = build_world(s)
        s.commit()
        loaded = world.action.version
        with clock.frozen_at(moment):
            actions.edit_action(s, world.lead, world.action.id, loaded, action_input(world, title="The lead's"))
            s.commit()
        with pytest.raises(Conflict) as caught:
            actions.edit_action(s, world.admin, world.action.id, loaded, action_input(world, title="The admin's"))
        s.rollback()
        trail = audit_log.list_events(s, world.admin, entity_type="Action")
        lead_name = world.lead.name
    assert f"changed by {lead_name} on {shown} after you opened it" in str(caught.value)
    assert trail.events[0].when == shown.replace(" at ", " ")
    engine.dispose()
