"""Indicators beside England in a real browser: the chair reads the verdicts; stale data is flagged."""

from __future__ import annotations

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import open_page, sign_in
from tests.conftest import DEMO_EMAILS


def test_chair_sees_each_indicator_beside_england_in_words(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, "/indicators/benchmarks")
    table = tracker_duo.wait_for_element("#benchmarks-table").text
    assert "L-ALC-ADM-NARROW" in table and "Similar to England" in table
    assert "Lower than England (no significance test given)" in table
    assert "Stale data" in table and "Restricted" in table
    assert "Worse than England" not in table  # the documents give no test that says so
    assert_no_serious_axe_violations(tracker_duo, "indicators compared with England")
