"""The indicators list a page at a time, in a real browser: with more indicators than a page holds,
the list shows fifty and links to the rest; the next page works from the keyboard, keeps the counts
of every indicator and passes axe."""

from __future__ import annotations

import random

import pytest
from selenium.webdriver.common.keys import Keys
from sqlmodel import Session, select

from benchmarks import generate
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
from tracker.models import Partnership
from tracker.web.app import create_app


@pytest.fixture
def many_indicators_duo(dash_duo, _template_engine, today, tracker_settings, monkeypatch):
    """The app on the seed with 60 generated indicators (87 in all: two pages)."""
    for name, value in {"SUBGROUPS_PER_THEME": 0, "INDICATORS": 60, "MONTHS": 2, "ROUNDS": 0}.items():
        monkeypatch.setattr(generate, name, value)
    engine = copy_engine(_template_engine)
    with Session(engine) as s:
        generate.grow(s, s.exec(select(Partnership.id).order_by(Partnership.id)).first(), random.Random(4), tag="i")
        s.commit()
    start_tracker(dash_duo, create_app(tracker_settings, engine=engine, today=today))
    yield dash_duo
    engine.dispose()


def _rows(duo) -> list[str]:
    return [r.get_attribute("id") for r in duo.find_elements("#indicators-by-outcome tbody tr")]


def test_the_next_page_of_the_indicators_from_the_keyboard(many_indicators_duo):
    duo = many_indicators_duo
    sign_in(duo, DEMO_EMAILS["chair"])
    open_page(duo, "/indicators")
    duo.wait_for_element("#indicators-pages", timeout=15)
    wait_until_settled(duo)
    counted = duo.find_element("#status-heading").text
    assert counted == "Status of the 87 indicators"
    first = _rows(duo)
    assert len(first) == 50
    assert duo.find_element("#indicators-pages-status").text == "Showing 1–50 of 87 indicators (page 1 of 2)."
    link = duo.find_element("#indicators-pages-next")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", link)
    link.send_keys(Keys.NULL)  # focus it as Tab would
    assert duo.driver.switch_to.active_element == link
    link.send_keys(Keys.ENTER)
    duo.wait_for_contains_text("#indicators-pages-status", "Showing 51–87 of 87 ", timeout=15)
    wait_until_settled(duo)
    assert duo.driver.current_url.endswith("/indicators?page=2") and current_path(duo) == "/indicators"
    second = _rows(duo)
    assert len(second) == 37 and not set(second) & set(first)
    assert duo.find_element("#status-heading").text == counted  # the counts are of every indicator still
    assert_no_serious_axe_violations(duo, "page 2 of the indicators")
    assert browser_errors(duo) == []
