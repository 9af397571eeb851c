"""Sign-in protection in a real browser: the lockout message, an expired page's message, and
changing one's own password on the account page."""

from __future__ import annotations

import time

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    open_page,
    sign_in,
    submit_sign_in,
    wait_until_settled,
)
from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD
from tracker.config import Settings

NEW_PASSWORD = "heron-kettle-Lantern-42"


@pytest.fixture
def tracker_settings() -> Settings:
    return Settings(database_url="sqlite://", seed_on_start=False, secret_key="test", lockout_attempts=3)


def test_too_many_wrong_passwords_lock_the_account_with_a_message(tracker_duo):
    for _ in range(2):
        submit_sign_in(tracker_duo, DEMO_EMAILS["chair"], "not-the-password")
        assert "not right" in tracker_duo.wait_for_element("#login-error").text
    submit_sign_in(tracker_duo, DEMO_EMAILS["chair"], "not-the-password")
    tracker_duo.wait_for_text_to_equal("#login-error", "Too many attempts: try again in 15 minutes.")
    assert_no_serious_axe_violations(tracker_duo, "sign-in page with the lockout message")
    submit_sign_in(tracker_duo, DEMO_EMAILS["chair"], DEMO_PASSWORD)  # the right one waits too
    tracker_duo.wait_for_text_to_equal("#login-error", "Too many attempts: try again in 15 minutes.")


def expire_the_page_token(driver, stale: str = "a-token-from-an-old-session") -> None:
    """Put an old session's CSRF token in the cookie, and keep it there: every signed-in answer
    brings a fresh token, so one still on its way from the page's first load would undo the swap."""
    for _ in range(10):
        driver.delete_cookie("_csrf_token")
        driver.add_cookie({"name": "_csrf_token", "value": stale, "path": "/"})
        time.sleep(1)
        if (driver.get_cookie("_csrf_token") or {}).get("value") == stale:
            return
    raise AssertionError("the page kept getting a fresh token: it never settled")


def test_an_expired_page_says_so_and_trying_again_works(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    driver = tracker_duo.driver
    expire_the_page_token(driver)
    theme = Select(tracker_duo.find_element("#filter-theme"))
    chosen, other = [o.get_attribute("value") for o in theme.options if o.get_attribute("value")][:2]
    theme.select_by_value(chosen)
    message = tracker_duo.wait_for_element("#session-ended [role=alert] #request-refused")
    assert "This page had expired" in message.text and "try again" in message.text
    assert Select(tracker_duo.find_element("#filter-theme")).first_selected_option.get_attribute("value") == chosen
    assert_no_serious_axe_violations(tracker_duo, "overview telling that the page had expired")
    # The refusal brought a fresh token: the next change goes through and the message goes.
    Select(tracker_duo.find_element("#filter-theme")).select_by_value(other)
    WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: not d.find_elements("css selector", "#session-ended"), "the message did not go")


def test_changing_your_own_password(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, "/account")
    tracker_duo.wait_for_element("#account-current").send_keys("not-my-password")
    tracker_duo.find_element("#account-new").send_keys("password1234")
    tracker_duo.find_element("#account-confirm").send_keys("password1234")
    tracker_duo.find_element("#account-save").click()
    summary = tracker_duo.wait_for_element("#account-errors")
    assert "New password: This password is too easy to guess" in summary.text
    assert_no_serious_axe_violations(tracker_duo, "account page with a refused password")

    for box, value in (("#account-current", DEMO_PASSWORD), ("#account-new", NEW_PASSWORD),
                       ("#account-confirm", NEW_PASSWORD)):
        element = tracker_duo.find_element(box)
        element.clear()
        element.send_keys(value)
    tracker_duo.find_element("#account-save").click()
    assert "Your password has been changed" in tracker_duo.wait_for_element("#account-done").text
    wait_until_settled(tracker_duo)
    # This session goes on after the change...
    open_page(tracker_duo, "/")
    tracker_duo.wait_for_element("#headline-total")
    # ... and the new password is the one that works.
    tracker_duo.driver.delete_all_cookies()
    submit_sign_in(tracker_duo, DEMO_EMAILS["chair"], DEMO_PASSWORD)
    assert "not right" in tracker_duo.wait_for_element("#login-error").text
    sign_in(tracker_duo, DEMO_EMAILS["chair"], NEW_PASSWORD)
