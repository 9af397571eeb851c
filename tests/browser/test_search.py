"""Search in a real browser: the query lives in the URL, so a refresh or a shared link shows the same."""

from __future__ import annotations

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import open_page, sign_in
from tests.conftest import DEMO_EMAILS


def test_a_search_from_the_form_lands_on_a_shareable_url_with_results(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    open_page(tracker_duo, "/search")
    box = tracker_duo.wait_for_element("#search-q")
    box.send_keys("recovery\n")
    tracker_duo.wait_for_contains_text("h1", "Search: recovery")
    assert "q=recovery" in tracker_duo.driver.current_url
    assert "Actions" in tracker_duo.find_element("#search-action").text
    tracker_duo.driver.refresh()
    tracker_duo.wait_for_contains_text("h1", "Search: recovery")
    assert_no_serious_axe_violations(tracker_duo, "search results")
