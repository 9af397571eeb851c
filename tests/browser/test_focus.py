"""Every focus indicator can be seen (WCAG 2.4.7, 1.4.11): Tab through pages and measure, for each
element that takes focus, that it draws an outline or ring of at least 2 px whose colour has at least
3:1 contrast against the background behind it."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import open_page, sign_in, wait_until_settled
from tests.conftest import DEMO_EMAILS

# In the page: the focused element's indicator colour and width, and the background behind it.
MEASURE = """
const el = document.activeElement;
if (!el || el === document.body || !el.matches(':focus')) return null;  // focus left the page
const style = getComputedStyle(el);
function rgb(text) { const m = text.match(/[\\d.]+/g); return m ? m.slice(0, 4).map(Number) : null; }
function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); }
function ratio(a, b) { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
let node = el.parentElement, bg = [255, 255, 255, 1];
while (node) { const c = rgb(getComputedStyle(node).backgroundColor);
  if (c && (c.length < 4 || c[3] > 0.5)) { bg = c; break; } node = node.parentElement; }
const rings = [];
if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) rings.push(rgb(style.outlineColor));
const shadow = style.boxShadow.match(/rgba?\\([^)]*\\)[^,]*?(\\d+)px(?:\\s*$|,)/g) || [];
for (const s of shadow) { const c = rgb(s); const spread = parseFloat(s.trim().split(' ').slice(-1)[0]); if (spread >= 2) rings.push(c); }
const best = rings.length ? Math.max(...rings.map(c => ratio(c, bg))) : 0;
return {what: el.tagName + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined ? '.' + String(el.className).split(' ')[0] : ''),
        contrast: Math.round(best * 100) / 100};
"""


@pytest.mark.parametrize("path", ["/", "/risks", "/funding", "/indicators/benchmarks"])
def test_every_tab_stop_shows_a_focus_indicator_of_at_least_3_to_1(tracker_duo, path):
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    open_page(tracker_duo, path)
    tracker_duo.wait_for_element("h1")
    wait_until_settled(tracker_duo)
    faint = []
    seen = 0
    for _ in range(40):
        ActionChains(tracker_duo.driver).send_keys(Keys.TAB).perform()
        found = tracker_duo.driver.execute_script(MEASURE)
        if found is None:
            continue
        seen += 1
        if found["contrast"] < 3:
            faint.append(found)
    assert seen >= 10, "the page should have tab stops to check"
    assert not faint, f"focus indicators under 3:1 on {path}: {faint}"
