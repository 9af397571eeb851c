"""The risk register in a real browser: the chair reads the heat map, re-rates a risk with a reason, adds a
risk (each mistake shown beside its field) and links a risk to a grant, which the funding page shows."""

from __future__ import annotations

from selenium.webdriver.support.ui import Select
from sqlmodel import Session, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    css_id,
    form_css,
    open_page,
    sign_in,
    wait_until_settled,
)
from tests.browser.test_action_updates import click
from tests.conftest import DEMO_EMAILS
from tracker.models import Funding, Risk, RiskFunding, RiskRating

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


def test_chair_adds_a_risk_after_fixing_what_the_form_points_out(tracker_duo, engine):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, "/risks")
    tracker_duo.wait_for_element("#risk-new-summary")
    wait_until_settled(tracker_duo)
    click(tracker_duo, "#risk-new-summary")
    tracker_duo.find_element(form_css("risk-new", "ref")).send_keys("R-06")
    tracker_duo.find_element(form_css("risk-new", "title")).send_keys("Pharmacies leave the needle exchange")
    tracker_duo.find_element(form_css("risk-new", "action_refs")).send_keys("TR-01, ZZ-9")
    click(tracker_duo, "#risk-new-submit")
    summary = tracker_duo.wait_for_element("#risk-new-error-summary")
    assert "Inherent likelihood: Choose a whole number from 1 to 5" in summary.text
    assert "There is no action ZZ-9" in tracker_duo.find_element(form_css("risk-new", "action_refs", "error")).text
    assert tracker_duo.find_element(form_css("risk-new", "residual_impact")).get_attribute("aria-invalid") == "true"
    assert_no_serious_axe_violations(tracker_duo, "risk register with the add form refused")

    for name, value in (("inherent_likelihood", "4"), ("inherent_impact", "3"), ("residual_likelihood", "3"),
                        ("residual_impact", "2")):
        Select(tracker_duo.find_element(form_css("risk-new", name))).select_by_value(value)
    box = tracker_duo.find_element(form_css("risk-new", "action_refs"))
    box.clear()
    box.send_keys("TR-01")
    with Session(engine) as s:
        grant = s.exec(select(Funding.id).where(Funding.name.startswith("Drug and Alcohol Treatment"))
                       .order_by(Funding.id)).first()
    click(tracker_duo, css_id({"type": "risk-new-funding", "index": grant}))
    click(tracker_duo, "#risk-new-submit")
    tracker_duo.wait_for_contains_text("#risk-new-success", "Added risk R-06")
    tracker_duo.wait_for_contains_text("#risk-register", "Pharmacies leave the needle exchange")
    assert tracker_duo.find_element(form_css("risk-new", "ref")).get_attribute("value") == ""

    open_page(tracker_duo, "/funding")
    row = tracker_duo.wait_for_element(f"#funding-{grant}")
    assert "R-06" in row.text and "R-01" in row.text  # the new risk and the seeded one, beside the grant
    assert_no_serious_axe_violations(tracker_duo, "contracts and grants with their risks")


def test_chair_links_a_risk_to_a_contract(tracker_duo, engine):
    with Session(engine) as s:
        contract = s.exec(select(Funding.id).where(Funding.name.startswith("Family support"))).one()
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, "/risks")
    tracker_duo.wait_for_element("#risk-link-save")
    wait_until_settled(tracker_duo)
    click(tracker_duo, css_id({"type": "risk-link", "index": contract}))
    click(tracker_duo, "#risk-link-save")
    tracker_duo.wait_for_contains_text("#risk-message", "Saved the contracts and grants of R-01")
    tracker_duo.wait_for_contains_text("#risk-register", "Family support service")
    with Session(engine) as s:
        r01 = s.exec(select(Risk.id).where(Risk.ref == "R-01")).one()
        assert contract in s.exec(select(RiskFunding.funding_id).where(RiskFunding.risk_id == r01)).all()
