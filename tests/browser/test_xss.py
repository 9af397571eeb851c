"""User text is never rendered as HTML: markup saved in a status update shows literally, runs nothing and
creates no elements, on the action page, the subgroup page and an embedded subgroup view.

Two defences are checked separately: React renders the text as text (no element is created from it),
and even if markup ever got through, the CSP would refuse to run it (which would be a SEVERE log:
none is allowed here).
"""

from __future__ import annotations

import time

import pytest
from sqlmodel import Session, select

from tests.browser.conftest import browser_errors, open_page, sign_in, wait_until_settled
from tests.conftest import DEMO_EMAILS
from tracker.models import Action, Person, StatusUpdate
from tracker.services import actions, embeds, plan

PAYLOAD = '<script>window.__xss=1</script><b>bold</b><img src=x onerror="window.__xss=2">'
NEXT_STEPS = '<img src=y onerror="window.__xss=3"><a href="javascript:window.__xss=4">click</a>'


@pytest.fixture
def hostile_update(engine, today) -> StatusUpdate:
    """A status update whose narrative and next steps are markup, saved through the service."""
    with Session(engine, expire_on_commit=False) as session:
        admin = session.exec(select(Person).where(Person.email == DEMO_EMAILS["admin"])).one()
        rows = [r for r in plan.plan_rows(session, admin.partnership_id, today)
                if r.status in plan.OPEN_STATUSES and (r.start_date is None or r.start_date <= today)]
        assert rows, "the seed should have an open action"
        update = actions.record_status_update(session, admin, rows[0].id, {
            "update_date": today.isoformat(), "rag": "amber", "progress": "40",
            "narrative": PAYLOAD, "next_steps": NEXT_STEPS,
        }, today)
        session.commit()
        assert update.narrative == PAYLOAD  # stored as typed: escaping is the view's job
        return update


def assert_inert(dash_duo, container: str) -> None:
    """The markup shows as text inside `container`, made no elements, and ran nothing."""
    time.sleep(0.5)  # give an image error handler, were there one, time to fire
    driver = dash_duo.driver
    element = dash_duo.find_element(container)
    assert PAYLOAD in element.text
    assert driver.execute_script("return typeof window.__xss") == "undefined"
    for selector in ("script", "b", "img", "iframe"):
        assert element.find_elements("css selector", selector) == [], f"{selector} element made from user text"
    assert driver.find_elements("css selector", 'img[src="x"], img[src="y"], a[href^="javascript:"]') == []
    assert browser_errors(dash_duo) == []


def test_markup_in_an_update_shows_literally_on_the_action_page(tracker_duo, hostile_update):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, f"/action/{hostile_update.action_id}")
    tracker_duo.wait_for_element(f"#history-{hostile_update.id}-narrative")
    wait_until_settled(tracker_duo)

    narrative = tracker_duo.find_element(f"#history-{hostile_update.id}-narrative")
    assert narrative.text == PAYLOAD
    assert tracker_duo.find_element(f"#history-{hostile_update.id}-next-steps").text == NEXT_STEPS
    assert_inert(tracker_duo, f"#history-{hostile_update.id}")


def test_markup_in_an_update_shows_literally_on_the_subgroup_page(tracker_duo, engine, hostile_update):
    with Session(engine) as session:
        subgroup_id = session.get(Action, hostile_update.action_id).subgroup_id
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, f"/subgroup/{subgroup_id}")
    tracker_duo.wait_for_element("#latest-updates")
    wait_until_settled(tracker_duo)
    assert_inert(tracker_duo, "#latest-updates")


def test_markup_in_an_update_shows_literally_in_an_embed(tracker_duo, engine, hostile_update):
    with Session(engine) as session:
        subgroup_id = session.get(Action, hostile_update.action_id).subgroup_id
        admin = session.exec(select(Person).where(Person.email == DEMO_EMAILS["admin"])).one()
        _, token = embeds.create_embed_token(session, admin, f"subgroup:{subgroup_id}", "Intranet")
        session.commit()
    open_page(tracker_duo, f"/embed/subgroup/{subgroup_id}?token={token}")
    tracker_duo.wait_for_element("#embed-subgroup #latest-updates")
    wait_until_settled(tracker_duo)
    assert_inert(tracker_duo, "#embed-subgroup")
