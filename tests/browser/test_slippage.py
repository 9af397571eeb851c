"""In a real browser: a lead adds an action from the subgroup page and sees it in the plan without a
page load; moving its due date without a reason is refused, with a reason the action page shows the
slippage and the history of the change. axe-core finds nothing serious on either page."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    form_css,
    open_page,
    sign_in,
    wait_until_settled,
)
from tests.browser.test_action_updates import click
from tests.conftest import DEMO_EMAILS
from tracker.models import Action, DueDateChange, Subgroup

TITLE = "Naloxone kits in every hostel"


def tr_id(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(Subgroup.id).where(Subgroup.code == "TR")).one()


def test_a_lead_adds_an_action_then_moves_its_due_date_with_a_reason(tracker_duo, engine):
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    open_page(tracker_duo, f"/subgroup/{tr_id(engine)}")
    tracker_duo.wait_for_element("#subgroup-heading")
    wait_until_settled(tracker_duo)
    plan_count = tracker_duo.find_element("#plan-heading").text

    click(tracker_duo, "#add-action-summary")
    tracker_duo.find_element(form_css("add-action", "title")).send_keys(TITLE)
    tracker_duo.find_element(form_css("add-action", "lead_organisation")).send_keys("NHFT")
    # Headless Chromium has only en-US locale data: its date fields take mm/dd/yyyy.
    tracker_duo.find_element(form_css("add-action", "due_date")).send_keys("06302027")
    click(tracker_duo, "#add-action-submit")
    tracker_duo.wait_for_contains_text("#add-action-success", "Added TR-")
    # The plan follows without a page load: the new row is in the grid and the count has moved.
    tracker_duo.wait_for_contains_text("#subgroup-plan-grid", TITLE)
    assert tracker_duo.find_element("#plan-heading").text != plan_count
    assert tracker_duo.find_element(form_css("add-action", "title")).get_attribute("value") == ""
    wait_until_settled(tracker_duo)
    assert_no_serious_axe_violations(tracker_duo, "subgroup page with the add-action form open")

    with Session(engine) as session:
        added = session.exec(select(Action).where(Action.title == TITLE)).one()
    open_page(tracker_duo, f"/action/{added.id}")
    tracker_duo.wait_for_element("#action-heading")
    wait_until_settled(tracker_duo)
    assert "Due on 30 June 2027, its original due date" in tracker_duo.find_element("#action-slippage").text

    click(tracker_duo, "#edit-summary")
    tracker_duo.find_element(form_css("edit", "due_date")).send_keys("08142027")
    click(tracker_duo, "#edit-submit")
    summary = tracker_duo.wait_for_element("#edit-error-summary")
    assert "Say why the due date is changing" in summary.text
    assert "is-invalid" in tracker_duo.find_element(form_css("edit", "due_date_reason")).get_attribute("class")
    with Session(engine) as session:
        assert session.get(Action, added.id).due_date.isoformat() == "2027-06-30"

    tracker_duo.find_element(form_css("edit", "due_date_reason")).send_keys("The hostels' contract starts later")
    click(tracker_duo, "#edit-submit")
    tracker_duo.wait_for_contains_text("#edit-success", "Saved the changes")
    tracker_duo.wait_for_contains_text("#action-slippage", "+45 days slipped")
    slippage = tracker_duo.find_element("#action-slippage").text
    assert "Original due date 30 June 2027 → current due date 14 August 2027" in slippage
    history = tracker_duo.find_element("#due-date-history").text
    assert "The hostels' contract starts later" in history and "30/06/2027" in history and "14/08/2027" in history
    assert tracker_duo.find_element(form_css("edit", "due_date_reason")).get_attribute("value") == ""
    with Session(engine) as session:
        assert len(session.exec(select(DueDateChange).where(DueDateChange.action_id == added.id)).all()) == 1
    wait_until_settled(tracker_duo)
    assert_no_serious_axe_violations(tracker_duo, "action page with its due date moved")
