"""The risk register in a real browser: the chair reads the heat map and re-rates a risk with a reason."""

from __future__ import annotations

from selenium.webdriver.support.ui import Select
from sqlmodel import Session, select

from tests.browser.conftest import assert_no_serious_axe_violations, open_page, sign_in, wait_until_settled
from tests.conftest import DEMO_EMAILS
from tracker.models import Risk, RiskRating

REASON = '#\\{\\"field\\"\\:\\"reason\\"\\,\\"form\\"\\:\\"risk-rerate\\"\\}'
RESIDUAL_IMPACT = '#\\{\\"field\\"\\:\\"residual_impact\\"\\,\\"form\\"\\:\\"risk-rerate\\"\\}'


def test_chair_sees_the_heat_map_and_re_rates_a_risk(tracker_duo, engine):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, "/risks")
    heat = tracker_duo.wait_for_element("#risk-heat-map")
    assert "12 High" in heat.text and "R-01, R-04" in heat.text  # words and refs, not colour alone
    assert "2 overdue for review" in tracker_duo.find_element("#risk-summary").text
    assert "Review overdue" in tracker_duo.find_element("#risk-register").text
    assert_no_serious_axe_violations(tracker_duo, "risk register")

    wait_until_settled(tracker_duo)
    Select(tracker_duo.find_element(RESIDUAL_IMPACT)).select_by_value("2")
    tracker_duo.find_element(REASON).send_keys("Mitigation in place: DATRIG allocation confirmed.")
    tracker_duo.find_element("#risk-rerate-save").click()
    tracker_duo.wait_for_contains_text("#risk-message", "Saved the new rating of R-01")
    tracker_duo.wait_for_contains_text("#risk-register", "6 Medium (likelihood 3 Possible × impact 2 Minor)")
    with Session(engine) as s:
        risk = s.exec(select(Risk).where(Risk.ref == "R-01")).one()
        assert risk.residual_impact == 2
        assert len(s.exec(select(RiskRating).where(RiskRating.risk_id == risk.id)).all()) == 2


def test_a_re_rating_without_a_reason_is_refused_and_nothing_changes(tracker_duo, engine):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, "/risks")
    tracker_duo.wait_for_element("#risk-rerate-save")
    wait_until_settled(tracker_duo)
    tracker_duo.find_element("#risk-rerate-save").click()
    tracker_duo.wait_for_contains_text("#risk-message", "reason")
    with Session(engine) as s:
        assert s.exec(select(Risk).where(Risk.ref == "R-01")).one().version == 1
