"""Contracts and grants in a real browser: the chair sees what ends within 12 months, in words."""

from __future__ import annotations

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import open_page, sign_in
from tests.conftest import DEMO_EMAILS


def test_chair_sees_the_grant_ending_within_a_year_and_the_contract_split(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, "/funding")
    soon = tracker_duo.wait_for_element("#funding-ending-soon")
    assert "DATRIG" in soon.text and "ends 31 March 2027" in soon.text and "4 months left" in soon.text
    contracts = tracker_duo.find_element("#funding-contracts").text
    assert "£5.39m" in contracts and "North Northamptonshire £2.62m (48.6%)" in contracts
    assert "2023/24" in tracker_duo.find_element("#funding-totals").text
    assert_no_serious_axe_violations(tracker_duo, "contracts and grants")


def test_the_overview_shows_the_top_risks_and_the_money_ending_within_a_year(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    watch = tracker_duo.wait_for_element("#overview-watch-list").text
    assert "R-01: Supplementary treatment and recovery grant (SSMTRG) ends" in watch
    assert "12 High" in watch and "2 risks overdue for review" in watch
    assert "Drug and Alcohol Treatment and Recovery Improvement Grant (DATRIG) (2026/27) ends 31 March 2027" in watch
