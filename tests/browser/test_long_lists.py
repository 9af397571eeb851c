"""A long list a page at a time, in a real browser: a theme of a county x10 size shows fifty actions
and links to the others, which work from the keyboard, keep the figures and pass axe."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys
from sqlmodel import Session, select

from tests.browser.conftest import (
    assert_no_serious_axe_violations,
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
def large_duo(dash_duo, _template_engine, today, tracker_settings, monkeypatch):
    """The app on the seed grown by benchmarks.generate: three more subgroups of 40 actions per theme."""
    engine = copy_engine(_template_engine)
    with Session(engine) as s:
        grow_plan(s, monkeypatch, subgroups_per_theme=3, actions_per_subgroup=40, indicators=2, tag="b")
        dash_duo.theme_id = s.exec(select(Theme.id).order_by(Theme.number)).first()
    start_tracker(dash_duo, create_app(tracker_settings, engine=engine, today=today))
    yield dash_duo
    engine.dispose()


def _rows(duo) -> list[str]:
    return [r.text for r in duo.find_elements("#theme-actions tbody tr")]


def test_the_next_page_of_a_theme_from_the_keyboard(large_duo):
    duo = large_duo
    sign_in(duo, DEMO_EMAILS["chair"])
    open_page(duo, f"/theme/{duo.theme_id}")
    duo.wait_for_element("#theme-actions-pages", timeout=15)
    wait_until_settled(duo)
    first = _rows(duo)
    assert len(first) == 50
    assert duo.find_element("#theme-actions-pages-status").text.startswith("Showing 1–50 of ")
    # No link to a page before the first: Previous is there but not a link, so Tab goes past it.
    assert not duo.find_elements("#theme-actions-pages-previous")
    link = duo.find_element("#theme-actions-pages-next")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", link)
    link.send_keys(Keys.NULL)  # focus it as Tab would
    assert duo.driver.switch_to.active_element == link
    link.send_keys(Keys.ENTER)
    duo.wait_for_contains_text("#theme-actions-pages-status", "Showing 51–100 of ", timeout=15)
    wait_until_settled(duo)
    assert duo.driver.current_url.endswith(f"/theme/{duo.theme_id}?page=2")
    assert current_path(duo) == f"/theme/{duo.theme_id}"
    second = _rows(duo)
    assert len(second) == 50 and not set(second) & set(first)
    assert duo.find_element("#theme-actions-pages-previous").get_attribute("href").endswith(f"/theme/{duo.theme_id}")
    assert_no_serious_axe_violations(duo, "page 2 of a large theme's actions")
    assert browser_errors(duo) == []
