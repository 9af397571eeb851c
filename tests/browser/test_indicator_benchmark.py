"""The indicator page beside the region and England, in a real browser: the chair reads the verdict,
the chart and its table, and where there is nothing to compare with, the page says so; axe finds
nothing serious."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import open_page, sign_in, wait_until_settled
from tests.conftest import DEMO_EMAILS
from tracker.models import Indicator


def _indicator_id(engine, code: str) -> int:
    with Session(engine) as s:
        return s.exec(select(Indicator.id).where(Indicator.code == code)).one()


def test_chair_sees_an_indicator_beside_the_region_and_england(tracker_duo, engine):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, f"/indicator/{_indicator_id(engine, 'L-ALC-ADM-NARROW')}")
    tracker_duo.wait_for_element("#benchmark-chart .main-svg")
    wait_until_settled(tracker_duo)
    assert "Similar to England" in tracker_duo.find_element("#benchmark-verdict").text
    words = tracker_duo.find_element("#benchmark-chart-summary").text
    assert "Local 479" in words and "Region: East Midlands 536" in words and "England 494" in words
    table = tracker_duo.find_element("#benchmark-table").text
    assert "1,679" in table and "867 – 251" in table
    assert "comparator group" in tracker_duo.find_element("#benchmark-missing").text
    assert_no_serious_axe_violations(tracker_duo, "indicator page with comparators")

    open_page(tracker_duo, f"/indicator/{_indicator_id(engine, 'N-I2-ADULTS')}")
    verdict = tracker_duo.wait_for_element("#benchmark-verdict")
    assert "No comparator figures" in verdict.text
    assert tracker_duo.driver.find_elements("css selector", "#benchmark-chart") == []
