"""Saved views and filters in the address, in the browser: save a filtered subgroup plan, overview or
audit trail under a name, open it again, delete it; a column filter of two joined conditions survives
a refresh; adding an action keeps the grid's filters. axe-core finds nothing serious on each."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait
from sqlmodel import select

from tests.browser.conftest import (
    assert_no_serious_axe_violations,
    browser_errors,
    form_css,
    open_page,
    sign_in,
    wait_for_overview,
    wait_until_settled,
)
from tests.browser.test_action_updates import click
from tests.conftest import DEMO_EMAILS
from tracker.models import Action, Subgroup, Theme


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


# --- The subgroup's grid: two joined conditions, and adding an action -------------------------------


ROWS = "#subgroup-plan-grid .ag-center-cols-container .ag-row"


def grid_model(duo) -> dict:
    return duo.driver.execute_script("return dash_ag_grid.getApi('subgroup-plan-grid').getFilterModel()")


def cells(duo, column: str) -> list[str]:
    return [c.text for c in duo.find_elements(f"{ROWS} [col-id='{column}']")]


def test_two_joined_conditions_of_a_column_survive_a_refresh(tracker_duo, session):
    duo = tracker_duo
    subgroup_id = session.exec(select(Action.subgroup_id)).first()
    sign_in(duo, DEMO_EMAILS["chair"])
    open_page(duo, f"/subgroup/{subgroup_id}")
    duo.wait_for_element(ROWS, timeout=15)
    wait_until_settled(duo)
    rags = cells(duo, "rag")
    wanted = sum(1 for r in rags if "Red" in r or "Amber" in r)
    assert 0 < wanted < len(rags)  # the filter leaves some rows out and keeps some
    # Chosen as the column menu would: RAG contains Red, OR contains Amber.
    duo.driver.execute_script(
        "dash_ag_grid.getApi('subgroup-plan-grid').setFilterModel({rag: {filterType: 'text', operator: 'OR',"
        " conditions: [{filterType: 'text', type: 'contains', filter: 'Red'},"
        " {filterType: 'text', type: 'contains', filter: 'Amber'}]}})")
    WebDriverWait(duo.driver, 10).until(lambda d: parse_qs(urlparse(d.current_url).query).get("rag")
                                        == ["Red", "or:Amber"])
    wait_until_settled(duo)
    assert len(duo.find_elements(ROWS)) == wanted

    duo.driver.refresh()
    duo.wait_for_element(ROWS, timeout=15)
    wait_until_settled(duo)
    shown = cells(duo, "rag")
    assert len(shown) == wanted and all("Red" in r or "Amber" in r for r in shown)
    model = grid_model(duo)["rag"]
    assert model["operator"] == "OR" and [c["filter"] for c in model["conditions"]] == ["Red", "Amber"]
    assert parse_qs(urlparse(duo.driver.current_url).query)["rag"] == ["Red", "or:Amber"]
    assert_no_serious_axe_violations(duo, "subgroup plan filtered by two conditions")
    assert browser_errors(duo) == []


def test_adding_an_action_keeps_the_grids_filters(tracker_duo, session):
    duo = tracker_duo
    tr = session.exec(select(Subgroup.id).where(Subgroup.code == "TR")).one()
    sign_in(duo, DEMO_EMAILS["lead"])
    open_page(duo, f"/subgroup/{tr}?title=hostel")
    duo.wait_for_element("#subgroup-plan-grid", timeout=15)
    wait_until_settled(duo)
    before = cells(duo, "title")
    heading = duo.find_element("#plan-heading").text

    click(duo, "#add-action-summary")
    duo.find_element(form_css("add-action", "title")).send_keys("Naloxone kits in every hostel")
    duo.find_element(form_css("add-action", "lead_organisation")).send_keys("NHFT")
    duo.find_element(form_css("add-action", "due_date")).send_keys("06302027")  # en-US date field
    click(duo, "#add-action-submit")
    duo.wait_for_contains_text("#add-action-success", "Added TR-")
    WebDriverWait(duo.driver, 10).until(lambda d: duo.find_element("#plan-heading").text != heading)
    wait_until_settled(duo)
    # The new action is in the plan, and the grid still shows only titles with "hostel" in them.
    WebDriverWait(duo.driver, 10).until(lambda d: len(cells(duo, "title")) == len(before) + 1)
    assert all("hostel" in t.casefold() for t in cells(duo, "title"))
    assert grid_model(duo) == {"title": {"filterType": "text", "type": "contains", "filter": "hostel"}}
    assert urlparse(duo.driver.current_url).query == "title=hostel"
    assert_no_serious_axe_violations(duo, "subgroup plan after adding an action, filters kept")
    assert browser_errors(duo) == []
