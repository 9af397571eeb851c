"""Long lists a page at a time, in a real browser: a theme of a county x10 size shows fifty actions, and
a list of more indicators than a page holds shows fifty, with links to the others that work from the
keyboard, keep the figures of the whole list and pass axe."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys
from sqlmodel import Session, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    current_path,
    open_page,
    sign_in,
    start_tracker,
    wait_until_settled,
)
from tests.conftest import DEMO_EMAILS, copy_engine
from tests.generated import grow_plan
from tracker.models import Theme
from tracker.web.app import create_app


@pytest.fixture
def grown_duo(dash_duo, _template_engine, today, tracker_settings, monkeypatch):
    """grow(**sizes): the app on a copy of the seed grown by tests.generated.grow_plan, started."""
    engines = []

    def grow(**sizes):
        engine = copy_engine(_template_engine)
        engines.append(engine)
        with Session(engine) as s:
            grow_plan(s, monkeypatch, **sizes)
            dash_duo.theme_id = s.exec(select(Theme.id).order_by(Theme.number)).first()
        start_tracker(dash_duo, create_app(tracker_settings, engine=engine, today=today))
        sign_in(dash_duo, DEMO_EMAILS["chair"])
        return dash_duo

    yield grow
    for engine in engines:
        engine.dispose()


def _open(duo, path: str, pager: str) -> None:
    open_page(duo, path)
    duo.wait_for_element(f"#{pager}", timeout=15)
    wait_until_settled(duo)


def _next_from_the_keyboard(duo, pager: str, expected_status: str) -> None:
    """Focus the pager's Next link as Tab would, press Enter, and wait for the next page."""
    link = duo.find_element(f"#{pager}-next")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", link)
    link.send_keys(Keys.NULL)
    assert duo.driver.switch_to.active_element == link
    link.send_keys(Keys.ENTER)
    duo.wait_for_contains_text(f"#{pager}-status", expected_status, timeout=15)
    wait_until_settled(duo)


def _texts(duo, selector: str, attribute: str | None = None) -> list[str]:
    return [r.get_attribute(attribute) if attribute else r.text for r in duo.find_elements(selector)]


def test_the_next_page_of_a_theme_from_the_keyboard(grown_duo):
    duo = grown_duo(subgroups_per_theme=3, actions_per_subgroup=40, indicators=2, tag="b")
    path = f"/theme/{duo.theme_id}"
    _open(duo, path, "theme-actions-pages")
    first = _texts(duo, "#theme-actions tbody tr")
    assert len(first) == 50
    assert duo.find_element("#theme-actions-pages-status").text.startswith("Showing 1–50 of ")
    # No link to a page before the first: Previous is there but not a link, so Tab goes past it.
    assert not duo.find_elements("#theme-actions-pages-previous")
    _next_from_the_keyboard(duo, "theme-actions-pages", "Showing 51–100 of ")
    assert duo.driver.current_url.endswith(f"{path}?page=2") and current_path(duo) == path
    second = _texts(duo, "#theme-actions tbody tr")
    assert len(second) == 50 and not set(second) & set(first)
    assert duo.find_element("#theme-actions-pages-previous").get_attribute("href").endswith(path)
    assert_no_serious_axe_violations(duo, "page 2 of a large theme's actions")
    assert browser_errors(duo) == []


def test_the_next_page_of_the_indicators_from_the_keyboard(grown_duo):
    duo = grown_duo(subgroups_per_theme=0, actions_per_subgroup=0, indicators=60, months=2, seed=4, tag="i")
    _open(duo, "/indicators", "indicators-pages")
    counted = duo.find_element("#status-heading").text
    assert counted == "Status of the 87 indicators"  # the seed's 27 and 60 generated: two pages
    first = _texts(duo, "#indicators-by-outcome tbody tr", "id")
    assert len(first) == 50
    assert duo.find_element("#indicators-pages-status").text == "Showing 1–50 of 87 indicators (page 1 of 2)."
    _next_from_the_keyboard(duo, "indicators-pages", "Showing 51–87 of 87 ")
    assert duo.driver.current_url.endswith("/indicators?page=2") and current_path(duo) == "/indicators"
    second = _texts(duo, "#indicators-by-outcome tbody tr", "id")
    assert len(second) == 37 and not set(second) & set(first)
    assert duo.find_element("#status-heading").text == counted  # the counts are of every indicator still
    assert_no_serious_axe_violations(duo, "page 2 of the indicators")
    assert browser_errors(duo) == []
