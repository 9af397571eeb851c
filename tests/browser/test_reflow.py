"""Narrow screens (WCAG 1.4.10, reflow at 320 CSS px): the navigation folds behind a Menu button that
works from the keyboard, and no main page scrolls sideways. On the seeded Northamptonshire partnership,
signed in as the admin (who sees every page)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys
from sqlmodel import select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import open_page, sign_in, wait_until_settled
from tests.conftest import DEMO_EMAILS
from tracker.models import Action, Subgroup, Theme

# What sticks out past the window's right edge (to say why a page scrolls sideways).
_SIDEWAYS = """
const edge = document.documentElement.clientWidth;
return {scroll: document.documentElement.scrollWidth, width: edge,
        wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > edge + 1)
              .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : ''))};
"""


@pytest.fixture
def narrow(tracker_duo):
    """The browser as a 320 CSS px wide screen (the shared browser is put back afterwards)."""
    driver = tracker_duo.driver
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 320, "height": 720, "deviceScaleFactor": 1, "mobile": False})
    yield tracker_duo
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def show(duo, path: str) -> None:
    open_page(duo, path)
    duo.wait_for_element("#main h1", timeout=20)
    wait_until_settled(duo, 20)


def test_no_main_page_scrolls_sideways_at_320_px(narrow, session):
    sign_in(narrow, DEMO_EMAILS["admin"])
    subgroup = session.exec(select(Subgroup).order_by(Subgroup.id)).first().id
    theme = session.exec(select(Theme).order_by(Theme.id)).first().id
    action = session.exec(select(Action).order_by(Action.id)).first().id
    pages = ["/", "/my-actions", "/themes", f"/theme/{theme}", "/subgroups", f"/subgroup/{subgroup}",
             f"/action/{action}", "/maturity", "/indicators", "/indicators/benchmarks", "/golden-thread", "/board",
             "/risks", "/funding", "/audit", "/admin", "/admin/people", "/admin/subgroups", "/reminders",
             "/plan/transfer", "/account", "/search", "/maturity/framework", "/maturity/rounds", "/embed/overview"]
    sideways = {}
    for path in pages:
        show(narrow, path)
        measured = narrow.driver.execute_script(_SIDEWAYS)
        if measured["scroll"] > measured["width"]:
            sideways[path] = measured
    assert sideways == {}


def test_the_menu_button_opens_and_closes_the_navigation(narrow):
    sign_in(narrow, DEMO_EMAILS["chair"])
    driver = narrow.driver
    button = narrow.find_element("#nav-toggle")
    menu = narrow.find_element("#nav-menu")
    # Folded: the first screen is the page, not thirteen links.
    assert button.is_displayed() and not menu.is_displayed()
    assert button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "nav-menu"
    assert narrow.find_element("main h1").location["y"] < 200
    # From the keyboard: Tab to the button (after the skip link and the brand), Enter opens it.
    body = driver.find_element("css selector", "body")
    body.send_keys(Keys.TAB)
    for _ in range(3):
        if driver.switch_to.active_element.get_attribute("id") == "nav-toggle":
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    assert driver.switch_to.active_element.get_attribute("id") == "nav-toggle"
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    assert button.get_attribute("aria-expanded") == "true" and menu.is_displayed()
    assert narrow.find_element("#nav-menu a[href$='/risks']").is_displayed()
    assert_no_serious_axe_violations(narrow, "overview at 320 px with the menu open")
    # Escape closes it and gives focus back to the button.
    driver.switch_to.active_element.send_keys(Keys.TAB)
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert button.get_attribute("aria-expanded") == "false" and not menu.is_displayed()
    assert driver.switch_to.active_element.get_attribute("id") == "nav-toggle"
    # Following a link closes it too.
    button.click()
    narrow.find_element("#nav-menu a[href$='/risks']").click()
    narrow.wait_for_element("#risk-register", timeout=15)
    assert button.get_attribute("aria-expanded") == "false" and not menu.is_displayed()


def test_at_laptop_width_the_links_show_without_the_button(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    assert not tracker_duo.find_element("#nav-toggle").is_displayed()
    assert tracker_duo.find_element("#nav-menu a[href$='/risks']").is_displayed()
