"""Smoke tests in a real browser: signing in, the overview, and axe-core on both pages."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy import func
from sqlmodel import select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    current_path,
    open_page,
    sign_in,
    submit_sign_in,
    wait_for_overview,
    wait_until_settled,
)
from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD
from tracker.models import Action


def seeded_action_count(session) -> int:
    # The overview counts every action of the plan except cancelled ones.
    return session.exec(select(func.count(Action.id)).where(Action.status != "cancelled")).one()


def test_chair_signs_in_and_sees_the_overview(tracker_duo, session, chair):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])

    assert current_path(tracker_duo) == "/"
    expected = seeded_action_count(session)
    assert expected > 0
    figure = tracker_duo.find_element("#headline-total .figure")
    assert figure.text == str(expected)
    assert chair.name in tracker_duo.find_element("#signed-in-as").text
    assert tracker_duo.driver.title.startswith("Overview")
    assert browser_errors(tracker_duo) == []


def test_signed_out_visit_goes_to_sign_in_and_back(tracker_duo):
    open_page(tracker_duo, "/")
    tracker_duo.wait_for_element("#login-submit")
    assert current_path(tracker_duo) == "/login"

    # After signing in from there, the person lands where they were going.
    for field, value in (("#email", DEMO_EMAILS["viewer"]), ("#password", "demo-password-1")):
        tracker_duo.find_element(field).send_keys(value)
    tracker_duo.find_element("#login-submit").click()
    wait_for_overview(tracker_duo)
    assert current_path(tracker_duo) == "/"


def test_wrong_password_is_refused(tracker_duo):
    submit_sign_in(tracker_duo, DEMO_EMAILS["chair"], "not-the-password")

    error = tracker_duo.wait_for_element("#login-error")
    assert "password is not right" in error.text
    assert current_path(tracker_duo) == "/login"
    # The email is kept, so only the password needs typing again; the password is not.
    assert tracker_duo.find_element("#email").get_attribute("value") == DEMO_EMAILS["chair"]
    assert tracker_duo.find_element("#password").get_attribute("value") == ""
    # Still signed out: the overview sends the browser back to sign in.
    open_page(tracker_duo, "/")
    tracker_duo.wait_for_element("#login-submit")
    assert current_path(tracker_duo) == "/login"


def test_sign_in_page_is_accessible(tracker_duo):
    assert_no_serious_axe_violations(tracker_duo, "sign-in page")
    submit_sign_in(tracker_duo, DEMO_EMAILS["chair"], "not-the-password")
    tracker_duo.wait_for_element("#login-error")
    assert_no_serious_axe_violations(tracker_duo, "sign-in page with an error")

    # The check itself works: an unlabelled field and an image with no text are caught.
    tracker_duo.driver.execute_script(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<input id=\"unlabelled\" type=\"text\"><img id=\"no-alt\" src=\"data:,\">')"
    )
    with pytest.raises(pytest.fail.Exception) as caught:
        assert_no_serious_axe_violations(tracker_duo, "sign-in page with planted faults")
    report = str(caught.value)
    assert "image-alt" in report and "#no-alt" in report
    assert "label" in report and "#unlabelled" in report


def test_overview_is_accessible(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    tracker_duo.wait_for_element("#chart-by-theme .main-svg")
    assert_no_serious_axe_violations(tracker_duo, "overview page")


def test_a_session_that_ends_is_told_in_the_page_and_nothing_typed_is_lost(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    driver = tracker_duo.driver
    # The session ends (it timed out, or another tab signed out) while the page stays open.
    driver.delete_cookie("session")
    theme = Select(tracker_duo.find_element("#filter-theme"))
    chosen, other = [o.get_attribute("value") for o in theme.options if o.get_attribute("value")][:2]
    theme.select_by_value(chosen)

    # The filter's callback is refused (401): the page says so, with a way to sign in ...
    alert = tracker_duo.wait_for_element("#session-ended [role=alert]")
    assert "Your session has ended: sign in again." in alert.text and "reload" not in alert.text
    link = tracker_duo.find_element("#session-sign-in")
    assert link.get_attribute("target") == "_blank" and "new tab" in link.text
    href = urlparse(link.get_attribute("href"))
    assert href.path == "/login" and parse_qs(href.query)["next"] == ["/"]
    # ... and keeps what the user chose.
    assert Select(tracker_duo.find_element("#filter-theme")).first_selected_option.get_attribute("value") == chosen
    assert_no_serious_axe_violations(tracker_duo, "overview telling that the session has ended")

    # Signing in again in the new tab, then trying again here, works: the alert goes.
    page = driver.current_window_handle
    link.click()
    WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: len(d.window_handles) == 2)
    driver.switch_to.window(next(h for h in driver.window_handles if h != page))
    tracker_duo.wait_for_element("#email").send_keys(DEMO_EMAILS["chair"])
    tracker_duo.find_element("#password").send_keys(DEMO_PASSWORD)
    tracker_duo.find_element("#login-submit").click()
    tracker_duo.wait_for_element("#headline-total")
    driver.switch_to.window(page)
    before = tracker_duo.find_element("#headline-total .figure").text  # still every theme's figure
    Select(tracker_duo.find_element("#filter-theme")).select_by_value(other)
    WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: not d.find_elements("css selector", "#session-ended"), "the alert did not go")
    wait_until_settled(tracker_duo)
    assert tracker_duo.find_element("#headline-total .figure").text != before
