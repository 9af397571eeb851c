"""Two partnerships in one installation, in a real browser: Lancashire's chair signs in beside
Northamptonshire's data and sees Lancashire's overview, risks and contracts and grants only, on its own
(five-point) RAG scale; asking for a Northamptonshire action by its address shows nothing of it.
axe-core finds nothing serious on Lancashire's risk and funding pages."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import open_page, sign_in, wait_until_settled
from tests.conftest import SEED_DIR, copy_engine, seeded_engine
from tracker.config import PROJECT_ROOT
from tracker.models import Action, Partnership, Risk
from tracker.seed import seed_database


@pytest.fixture(scope="module")
def _both_template():
    engine = seeded_engine(SEED_DIR)
    seed_database(engine, PROJECT_ROOT / "seeds" / "lancashire")
    yield engine
    engine.dispose()


@pytest.fixture
def engine(_both_template):  # the browser fixtures serve this database: both partnerships
    engine = copy_engine(_both_template)
    yield engine
    engine.dispose()


def _northants_secrets(engine) -> tuple[Action, Risk]:
    with Session(engine) as s:
        pid = s.exec(select(Partnership.id).where(Partnership.slug == "northamptonshire")).one()
        action = s.exec(select(Action).where(Action.partnership_id == pid).order_by(Action.id)).first()
        risk = s.exec(select(Risk).where(Risk.partnership_id == pid, Risk.ref == "R-01")).one()
        return action, risk


def test_lancashires_chair_sees_only_lancashire(tracker_duo, engine):
    action, risk = _northants_secrets(engine)
    sign_in(tracker_duo, "chair@lancashire.example.org")
    body = tracker_duo.find_element("body").text
    assert "Lancashire" in body and "Northamptonshire" not in body and action.title not in body

    open_page(tracker_duo, "/risks")
    tracker_duo.wait_for_element("#risk-heat-map")
    wait_until_settled(tracker_duo)
    register = tracker_duo.find_element("#risk-register").text
    assert "Funding for prevention work" in register and risk.title not in register
    assert "Supplementary Substance Misuse Treatment and Recovery Grant (SSMTRG) (2024/25)" in register
    assert_no_serious_axe_violations(tracker_duo, "Lancashire's risk register")

    open_page(tracker_duo, "/funding")
    grants = tracker_duo.wait_for_element("#funding-grants").text
    assert "R-01: Funding for prevention work" in grants
    assert "DATRIG" not in tracker_duo.find_element("body").text
    assert_no_serious_axe_violations(tracker_duo, "Lancashire's contracts and grants")

    open_page(tracker_duo, f"/action/{action.id}")
    tracker_duo.wait_for_contains_text("#action-not-found", "There is no action with this address")
    assert action.title not in tracker_duo.find_element("body").text
