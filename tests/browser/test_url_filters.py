"""Filters kept in the address: a filtered overview, audit trail or subgroup plan can be bookmarked,
shared and reloaded, and Back and Forward step through the filters chosen; a grid column's filter of
two joined conditions survives a refresh; adding an action keeps the grid's filters. On the seeded
partnership."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlparse

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait
from sqlmodel import select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    form_css,
    open_page,
    sign_in,
    wait_until_settled,
)
from tests.browser.test_action_updates import click
from tests.conftest import DEMO_EMAILS
from tracker.models import Action, Subgroup


def query(duo) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(duo.driver.current_url).query).items()}


def wait_for(duo, check, message: str) -> None:
    WebDriverWait(duo.driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda _d: check(), message)
    wait_until_settled(duo)


def chosen(duo, select_id: str) -> str:
    return Select(duo.find_element(select_id)).first_selected_option.get_attribute("value")


def total(duo) -> str:
    return duo.find_element("#headline-total .figure").text


def test_overview_filters_live_in_the_address(tracker_duo):
    duo = tracker_duo
    sign_in(duo, DEMO_EMAILS["chair"])
    everything = total(duo)
    themes = [o.get_attribute("value") for o in Select(duo.find_element("#filter-theme")).options
              if o.get_attribute("value")]
    Select(duo.find_element("#filter-theme")).select_by_value(themes[0])
    wait_for(duo, lambda: query(duo) == {"theme": themes[0]}, "the theme did not go into the address")
    wait_for(duo, lambda: total(duo) != everything, "the figures did not follow the filter")
    one_theme = total(duo)
    subgroup = [o.get_attribute("value") for o in Select(duo.find_element("#filter-subgroup")).options
                if o.get_attribute("value")][0]
    Select(duo.find_element("#filter-subgroup")).select_by_value(subgroup)
    wait_for(duo, lambda: query(duo) == {"theme": themes[0], "subgroup": subgroup}, "the subgroup is not in the address")

    # Reloading (or opening a bookmark of) the address shows the same view.
    duo.driver.refresh()
    duo.wait_for_element("#headline-total", timeout=15)
    wait_until_settled(duo)
    assert chosen(duo, "#filter-theme") == themes[0] and chosen(duo, "#filter-subgroup") == subgroup

    # Back: the subgroup filter goes again, and the figures with it; Forward brings it back.
    duo.driver.back()
    wait_for(duo, lambda: query(duo) == {"theme": themes[0]}, "Back did not go to the previous filters")
    wait_for(duo, lambda: chosen(duo, "#filter-subgroup") == "" and total(duo) == one_theme,
             "Back did not reset the subgroup filter")
    assert chosen(duo, "#filter-theme") == themes[0]
    duo.driver.forward()
    wait_for(duo, lambda: chosen(duo, "#filter-subgroup") == subgroup, "Forward did not bring the filter back")
    assert_no_serious_axe_violations(duo, "filtered overview")

    # A shared address with rubbish in it shows everything rather than failing.
    open_page(duo, "/?theme=not-a-number&owner=99999999")
    duo.wait_for_element("#headline-total", timeout=15)
    wait_until_settled(duo)
    assert chosen(duo, "#filter-theme") == ""
    assert browser_errors(duo) == []


def test_audit_filters_live_in_the_address(tracker_duo):
    duo = tracker_duo
    sign_in(duo, DEMO_EMAILS["admin"])
    open_page(duo, "/audit")
    duo.wait_for_element("#audit-table", timeout=15)
    wait_until_settled(duo)
    kind = "[id='{\"field\":\"entity_type\",\"form\":\"audit\"}']"
    types = [o.get_attribute("value") for o in Select(duo.find_element(kind)).options if o.get_attribute("value")]
    Select(duo.find_element(kind)).select_by_value(types[0])
    wait_for(duo, lambda: query(duo) == {"entity_type": types[0]}, "the filter did not go into the address")
    rows = len(duo.find_elements("#audit-table tbody tr"))
    duo.driver.refresh()
    duo.wait_for_element("#audit-table", timeout=15)
    wait_until_settled(duo)
    assert chosen(duo, kind) == types[0] and len(duo.find_elements("#audit-table tbody tr")) == rows
    duo.driver.back()
    wait_for(duo, lambda: query(duo) == {} and chosen(duo, kind) == "", "Back did not clear the filter")
    assert_no_serious_axe_violations(duo, "audit trail after Back")
    assert browser_errors(duo) == []


def grid_rows(duo) -> list[str]:
    return sorted(r.get_attribute("row-id") for r in duo.find_elements(
        "#subgroup-plan-grid .ag-center-cols-container .ag-row"))


def test_subgroup_plan_filters_live_in_the_address(tracker_duo, session):
    subgroup_id = session.exec(select(Action.subgroup_id)).first()
    duo = tracker_duo
    sign_in(duo, DEMO_EMAILS["chair"])
    open_page(duo, f"/subgroup/{subgroup_id}")
    duo.wait_for_element("#subgroup-plan-grid .ag-row", timeout=15)
    wait_until_settled(duo)
    everything = grid_rows(duo)
    amber = duo.driver.execute_script(
        "return dash_ag_grid.getApi('subgroup-plan-grid').getRenderedNodes()"
        ".filter(n => n.data.rag.includes('Amber')).map(n => n.data.ref).sort()")
    assert 0 < len(amber) < len(everything), "the seeded subgroup should have some Amber actions"
    # A filter chosen in the grid (here through its API, as its column menu would) goes into the address.
    duo.driver.execute_script("dash_ag_grid.getApi('subgroup-plan-grid').setFilterModel("
                              "{rag: {filterType: 'text', type: 'contains', filter: 'Amber'}})")
    wait_for(duo, lambda: query(duo) == {"rag": "Amber"}, "the grid's filter did not go into the address")
    duo.driver.refresh()
    duo.wait_for_element("#subgroup-plan-grid .ag-row", timeout=15)
    wait_until_settled(duo)
    assert grid_rows(duo) == amber  # reloaded: still filtered
    duo.driver.back()
    wait_for(duo, lambda: query(duo) == {} and grid_rows(duo) == everything, "Back did not clear the filter")

    # An address with the filter, opened afresh (a shared link), shows the filtered plan; rubbish in
    # the address is left out rather than failing.
    open_page(duo, f"/subgroup/{subgroup_id}?rag=Amber&progress=lessThan:not-a-number&colour=red")
    duo.wait_for_element("#subgroup-plan-grid .ag-row", timeout=15)
    wait_until_settled(duo)
    assert grid_rows(duo) == amber
    assert_no_serious_axe_violations(duo, "filtered subgroup plan")
    assert browser_errors(duo) == []


# --- The subgroup's grid: two joined conditions, and adding an action ----------------------------


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


def test_a_due_date_range_filters_the_plan_and_survives_a_refresh(tracker_duo, session):
    """The Due column filters by date (before, after, between), not by the text of the date."""
    duo = tracker_duo
    subgroup_id = session.exec(select(Action.subgroup_id)).first()
    dues = sorted(d for d in session.exec(select(Action.due_date).where(Action.subgroup_id == subgroup_id)) if d)
    cut = dues[len(dues) // 2]
    wanted = sum(1 for d in dues if d < cut)
    assert 0 < wanted < len(dues)
    sign_in(duo, DEMO_EMAILS["chair"])
    open_page(duo, f"/subgroup/{subgroup_id}?due=lessThan:{cut.isoformat()}")
    duo.wait_for_element(ROWS, timeout=15)
    wait_until_settled(duo)
    assert grid_model(duo)["due"]["filterType"] == "date"
    shown = cells(duo, "due")
    assert len(shown) == wanted, shown
    assert all(date(int(t[6:]), int(t[3:5]), int(t[:2])) < cut for t in shown)  # dd/mm/yyyy, all before
    # Chosen in the grid, as its date filter writes it: between two dates, into the address and back.
    low, high = dues[0], dues[-1]
    duo.driver.execute_script(
        "dash_ag_grid.getApi('subgroup-plan-grid').setFilterModel({due: {filterType: 'date', type: 'inRange',"
        f" dateFrom: '{low.isoformat()} 00:00:00', dateTo: '{high.isoformat()} 00:00:00'}}}})")
    WebDriverWait(duo.driver, 10).until(lambda d: parse_qs(urlparse(d.current_url).query).get("due")
                                        == [f"inRange:{low.isoformat()}..{high.isoformat()}"])
    duo.driver.refresh()
    duo.wait_for_element(ROWS, timeout=15)
    wait_until_settled(duo)
    assert grid_model(duo)["due"]["type"] == "inRange"
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
