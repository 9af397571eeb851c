"""The subgroup plan grid from the keyboard (WCAG 2.1.1, 2.4.7, 2.5.7, 2.5.8): one Tab stop into the
grid and one out, arrow keys between cells, a focus ring of at least 3:1, 24 px filter buttons and
resize handles, and column widths changed without dragging. On the seeded partnership."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait
from sqlmodel import select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    open_page,
    sign_in,
    wait_until_settled,
)
from tests.conftest import DEMO_EMAILS
from tracker.models import Action

GRID = "#subgroup-plan-grid"

# Where focus is: inside the grid or not, and which header or cell (column id, row index).
WHERE = """
const el = document.activeElement, grid = document.querySelector('#subgroup-plan-grid');
const row = el.closest('.ag-row');
return {inGrid: grid.contains(el), id: el.id, tag: el.tagName,
        header: el.classList.contains('ag-header-cell'), col: el.getAttribute('col-id'),
        row: row ? Number(row.getAttribute('row-index')) : null,
        afterGrid: !grid.contains(el) && !!(grid.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)};
"""

# The focused element's ring: its outline's width and its contrast with the element's own background.
RING = """
const el = document.activeElement, style = getComputedStyle(el);
// Computed colours come as rgb(0-255 ...) or, from AG Grid's colour mixes, color(srgb 0-1 ...).
function parts(t) { const n = (t.match(/[\\d.]+/g) || []).map(Number);
  return t.startsWith('color(') ? [...n.slice(0, 3).map(v => v * 255), n.length > 3 ? n[3] : 1] : [...n.slice(0, 3), n.length > 3 ? n[3] : 1]; }
function rgb(t) { return parts(t).slice(0, 3); }
function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); }
let node = el, bg = null;
while (node && !bg) { const c = parts(getComputedStyle(node).backgroundColor);
  if (c.length === 4 && c[3] > 0.5) bg = c.slice(0, 3); node = node.parentElement; }
bg = bg || [255, 255, 255];
const a = lum(rgb(style.outlineColor)), b = lum(bg);
return {style: style.outlineStyle, width: parseFloat(style.outlineWidth),
        contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
"""


def press(duo, key, shift: bool = False) -> dict:
    chain = ActionChains(duo.driver)
    if shift:
        chain = chain.key_down(Keys.SHIFT).send_keys(key).key_up(Keys.SHIFT)
    else:
        chain = chain.send_keys(key)
    chain.perform()
    return duo.driver.execute_script(WHERE)


@pytest.fixture
def grid_page(tracker_duo, session):
    subgroup_id = session.exec(select(Action.subgroup_id)).first()
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, f"/subgroup/{subgroup_id}")
    tracker_duo.wait_for_element(f"{GRID} .ag-row", timeout=15)
    wait_until_settled(tracker_duo)
    return tracker_duo


def test_one_tab_stop_into_the_grid_arrow_keys_within_and_one_tab_out(grid_page):
    duo = grid_page
    # Nothing inside the grid is a Tab stop but AG Grid's own guards (which pass focus in).
    stops = duo.driver.execute_script(
        "return [...document.querySelectorAll('#subgroup-plan-grid [tabindex]')]"
        ".filter(e => e.tabIndex >= 0 && !e.classList.contains('ag-tab-guard') && e.getClientRects().length)"
        ".map(e => e.className)")
    assert stops == []
    duo.driver.execute_script("document.getElementById('plan-width-reset').focus()")
    inside = press(duo, Keys.TAB)
    assert inside["inGrid"] and inside["header"] and inside["col"] == "ref_link"
    assert press(duo, Keys.ARROW_DOWN) == {**inside, "header": False, "row": 0}
    moved = press(duo, Keys.ARROW_RIGHT)
    assert moved["inGrid"] and moved["col"] == "title" and moved["row"] == 0
    assert press(duo, Keys.ARROW_DOWN)["row"] == 1
    ring = duo.driver.execute_script(RING)
    assert ring["style"] != "none" and ring["width"] >= 2 and ring["contrast"] >= 3, ring
    out = press(duo, Keys.TAB)
    assert not out["inGrid"] and out["afterGrid"], out  # one Tab leaves the grid
    back = press(duo, Keys.TAB, shift=True)
    assert back["inGrid"]  # Shift+Tab comes back in as one stop...
    before = press(duo, Keys.TAB, shift=True)
    assert not before["inGrid"] and before["id"] == "plan-width-reset"  # ...and one more leaves it
    assert browser_errors(duo) == []


def test_headers_show_focus_and_their_targets_are_24_px(grid_page):
    duo = grid_page
    duo.driver.execute_script("document.getElementById('plan-width-reset').focus()")
    press(duo, Keys.TAB)
    press(duo, Keys.ARROW_RIGHT)
    ring = duo.driver.execute_script(RING)
    assert ring["style"] != "none" and ring["width"] >= 2 and ring["contrast"] >= 3, ring
    sizes = duo.driver.execute_script(
        "return [...document.querySelectorAll('#subgroup-plan-grid .ag-header-cell-filter-button,"
        " #subgroup-plan-grid .ag-header-cell-menu-button, #subgroup-plan-grid .ag-header-cell-resize')]"
        ".filter(e => e.getClientRects().length).map(e => { const r = e.getBoundingClientRect();"
        " return [e.className.split(' ')[0], r.width, r.height]; })")
    assert {s[0] for s in sizes} >= {"ag-header-cell-resize"} and len(sizes) >= 11
    small = [s for s in sizes if s[1] < 24 or s[2] < 24]
    assert not small, small


def test_column_width_changes_from_the_keyboard(grid_page):
    duo = grid_page

    def owner_width() -> float:
        return duo.driver.execute_script(
            "return document.querySelector(\"#subgroup-plan-grid .ag-header-cell[col-id='owner']\")"
            ".getBoundingClientRect().width")

    before = owner_width()
    choose = duo.find_element("#plan-width-column")
    duo.driver.execute_script("arguments[0].focus()", choose)
    Select(choose).select_by_visible_text("Owner")
    ActionChains(duo.driver).send_keys(Keys.TAB, Keys.TAB, Keys.ENTER).perform()  # past Narrower to Wider
    assert duo.driver.switch_to.active_element.get_attribute("id") == "plan-width-wider"
    WebDriverWait(duo.driver, 5).until(lambda _d: owner_width() >= before + 35)
    assert "Owner column:" in duo.find_element("#plan-width-status").text
    ActionChains(duo.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).send_keys(Keys.SPACE).perform()
    WebDriverWait(duo.driver, 5).until(lambda _d: abs(owner_width() - before) < 2)
    assert_no_serious_axe_violations(duo, "subgroup page with the column width controls")
