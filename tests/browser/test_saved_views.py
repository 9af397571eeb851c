"""Saved views in the browser: save a filtered subgroup plan under a name, open it again, delete it."""

from __future__ import annotations

from selenium.webdriver.support.wait import WebDriverWait
from sqlmodel import select

from tests.browser.conftest import (
    assert_no_serious_axe_violations,
    browser_errors,
    open_page,
    sign_in,
    wait_until_settled,
)
from tests.conftest import DEMO_EMAILS
from tracker.models import Action


def test_save_open_and_delete_a_view(tracker_duo, session):
    duo = tracker_duo
    subgroup_id = session.exec(select(Action.subgroup_id)).first()
    sign_in(duo, DEMO_EMAILS["chair"])
    open_page(duo, f"/subgroup/{subgroup_id}?rag=Amber")
    duo.wait_for_element("#subgroup-plan-grid .ag-row", timeout=15)
    wait_until_settled(duo)
    amber = len(duo.find_elements("#subgroup-plan-grid .ag-center-cols-container .ag-row"))
    duo.find_element("#saved-views summary").click()
    duo.find_element("#saved-view-save").click()  # no name: refused, nothing saved
    duo.wait_for_text_to_equal("#saved-view-message", "Give the view a name.", timeout=10)
    duo.find_element("#saved-view-name").send_keys("Amber actions here")
    duo.find_element("#saved-view-save").click()
    duo.wait_for_text_to_equal("#saved-view-message", "View saved.", timeout=10)
    link = duo.find_element("#saved-views-list a")
    assert link.text == "Amber actions here"
    assert link.get_attribute("href").endswith(f"/subgroup/{subgroup_id}?rag=Amber")
    assert_no_serious_axe_violations(duo, "subgroup page with saved views open")

    open_page(duo, f"/subgroup/{subgroup_id}")  # unfiltered; the saved view brings the filter back
    duo.wait_for_element("#subgroup-plan-grid .ag-row", timeout=15)
    wait_until_settled(duo)
    duo.find_element("#saved-views summary").click()
    duo.find_element("#saved-views-list a").click()
    WebDriverWait(duo.driver, 10).until(lambda d: d.current_url.endswith("?rag=Amber"))
    duo.wait_for_element("#subgroup-plan-grid .ag-row", timeout=15)
    wait_until_settled(duo)
    assert len(duo.find_elements("#subgroup-plan-grid .ag-center-cols-container .ag-row")) == amber
    duo.find_element("#saved-views summary").click()
    duo.find_element("#saved-views-list button").click()
    duo.wait_for_text_to_equal("#saved-view-message", "View deleted.", timeout=10)
    assert duo.find_element("#saved-views-listing").text == "No saved views yet."
    assert browser_errors(duo) == []
