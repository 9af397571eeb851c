"""Smoke tests in a real browser: signing in, the overview, and axe-core on both pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.browser.conftest import (
    assert_no_serious_axe_violations,
    browser_errors,
    current_path,
    open_page,
    sign_in,
    submit_sign_in,
    wait_for_overview,
)
from tests.conftest import DEMO_EMAILS
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
