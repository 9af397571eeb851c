"""Saved views in the browser: save a filtered subgroup plan, overview or audit trail under a name,
open it again, delete it; each page lists its own views. axe-core finds nothing serious on each."""

from __future__ import annotations

from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait
from sqlmodel import select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    open_page,
    sign_in,
    wait_for_overview,
    wait_until_settled,
)
from tests.browser.test_action_updates import click
from tests.conftest import DEMO_EMAILS
from tracker.models import Action, Theme


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


# --- The overview and the audit trail -------------------------------------------------------------


def save_view(duo, name: str, panel_open: bool = False) -> None:
    if not panel_open:
        click(duo, "#saved-views summary")
    duo.find_element("#saved-view-name").send_keys(name)
    click(duo, "#saved-view-save")
    duo.wait_for_text_to_equal("#saved-view-message", "View saved.", timeout=10)


def test_an_overview_view_brings_its_filters_back_and_stays_on_its_page(tracker_duo, session):
    duo = tracker_duo
    theme = session.exec(select(Theme).order_by(Theme.number)).first()
    sign_in(duo, DEMO_EMAILS["chair"])
    everything = duo.find_element("#headline-total").text
    Select(duo.find_element("#filter-theme")).select_by_value(str(theme.id))
    WebDriverWait(duo.driver, 10).until(lambda d: d.current_url.endswith(f"?theme={theme.id}"))
    wait_until_settled(duo)
    in_theme = duo.find_element("#headline-total").text
    assert in_theme != everything  # the filter shows: one theme holds fewer actions than the plan
    save_view(duo, "One theme")
    assert duo.find_element("#saved-view-name").get_attribute("value") == ""  # ready for another name
    assert_no_serious_axe_violations(duo, "overview with saved views open")

    open_page(duo, "/")  # the whole plan again, until the view is opened
    wait_for_overview(duo)
    assert duo.find_element("#headline-total").text == everything
    click(duo, "#saved-views summary")
    click(duo, "#saved-views-list a")
    WebDriverWait(duo.driver, 10).until(lambda d: d.current_url.endswith(f"?theme={theme.id}"))
    wait_for_overview(duo)
    assert Select(duo.find_element("#filter-theme")).first_selected_option.get_attribute("value") == str(theme.id)
    assert duo.find_element("#headline-total").text == in_theme

    # Another page lists its own views only: the audit trail has none yet, then keeps one of its own.
    open_page(duo, "/audit?entity_type=Action")
    duo.wait_for_element("#audit-results")
    wait_until_settled(duo)
    click(duo, "#saved-views summary")
    assert duo.find_element("#saved-views-listing").text == "No saved views yet."
    save_view(duo, "Changes to actions", panel_open=True)
    assert [a.text for a in duo.find_elements("#saved-views-list a")] == ["Changes to actions"]
    assert duo.find_element("#saved-views-list a").get_attribute("href").endswith("/audit?entity_type=Action")
    assert_no_serious_axe_violations(duo, "audit trail with saved views open")
    assert browser_errors(duo) == []
