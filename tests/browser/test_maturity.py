"""A maturity assessment completed in a real browser, and axe-core on every maturity page.

The lead of the Treatment and Recovery subgroup opens a round, rates and submits, and records the
agreed scores; the chair moderates one score (a change needs a comment) and signs off; the
partnership heatmap then shows the new scores, number and word.
"""

from __future__ import annotations

from datetime import date

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.wait import WebDriverWait
from sqlmodel import Session, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    current_path,
    open_page,
    sign_in,
    wait_until_settled,
)
from tests.conftest import DEMO_EMAILS
from tracker.models import AuditEvent, MaturityAssessment, MaturityDimension, MaturityFramework, Subgroup
from tracker.web.components.forms import dom_id


def find_by_id(duo, component_id):
    """The element with a (pattern-matching) Dash id, or None; a JSON id is no valid CSS selector."""
    return duo.driver.execute_script("return document.getElementById(arguments[0])", dom_id(component_id))


def by_id(duo, component_id):
    element = find_by_id(duo, component_id)
    assert element is not None, f"no element {component_id}"
    return element


def wait_for_id(duo, component_id, timeout: float = 10):
    return WebDriverWait(duo.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: find_by_id(duo, component_id),
                                                    f"no element {component_id}")


def choose(duo, component_id, value: int | str) -> None:
    Select(by_id(duo, component_id)).select_by_value(str(value))


def type_into(duo, component_id, text: str) -> None:
    box = by_id(duo, component_id)
    # Select and delete what is there (clear() alone changes the DOM but not React's state).
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(text)


def click(duo, element_id: str) -> None:
    button = duo.find_element(f"#{element_id}")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()


def open_and_settle(duo, path: str, css: str) -> None:
    open_page(duo, path)
    duo.wait_for_element(css, timeout=15)
    wait_until_settled(duo)


def sign_out_and_in(duo, email: str) -> None:
    duo.driver.delete_all_cookies()
    sign_in(duo, email)


def wait_for_title(duo, title: str) -> None:
    """The browser's title names the page's subject (the title follows a client-side navigation)."""
    WebDriverWait(duo.driver, 10).until(lambda d: d.title == title, f"title is {duo.driver.title!r}, not {title!r}")


def tr_and_dimensions(session: Session) -> tuple[Subgroup, list[MaturityDimension]]:
    tr = session.exec(select(Subgroup).where(Subgroup.code == "TR")).one()
    fw = session.exec(select(MaturityFramework).where(MaturityFramework.is_current)).one()
    dims = session.exec(select(MaturityDimension).where(MaturityDimension.framework_id == fw.id)
                        .order_by(MaturityDimension.number)).all()
    return tr, list(dims)


def test_lead_and_chair_complete_an_assessment_and_the_heatmap_shows_it(tracker_duo, session):
    duo = tracker_duo
    tr, dims = tr_and_dimensions(session)
    gov = next(d for d in dims if d.key == "governance")

    # The lead opens a round from the subgroup's maturity page.
    sign_in(duo, DEMO_EMAILS["lead"])
    open_and_settle(duo, f"/maturity/subgroup/{tr.id}", "#open-round-submit")
    duo.wait_for_element("#maturity-radar .main-svg")
    wait_for_title(duo, f"Maturity: {tr.name} – CDP Delivery Tracker")
    assert_no_serious_axe_violations(duo, "subgroup maturity page")
    type_into(duo, "open-round-title", "2026/27 winter self-assessment")
    click(duo, "open-round-submit")
    WebDriverWait(duo.driver, 15, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: current_path(duo).startswith("/maturity/assessment/"))
    duo.wait_for_element("#rate-submit", timeout=15)
    wait_until_settled(duo)
    assessment_id = int(current_path(duo).rsplit("/", 1)[1])
    wait_for_title(duo, f"2026/27 winter self-assessment: {tr.name} – CDP Delivery Tracker")
    assert_no_serious_axe_violations(duo, "assessment page (rating form)")
    # The tracker's own evidence sits beside the delivery dimension as a hint.
    assert "Evidence from the tracker" in by_id(duo, {"type": "hint", "dim": "delivery"}).text

    # Submitting an empty form is refused, saying what to fix, next to each dimension.
    click(duo, "rate-submit")
    summary = duo.wait_for_element("#error-summary")
    assert f"{gov.name}: choose a score from 1 to 5" in summary.text
    assert "choose a score" in wait_for_id(duo, {"type": "rate-error", "dim": gov.id}).text
    assert_no_serious_axe_violations(duo, "assessment page with errors")

    # Rate every dimension 4, save a draft, then submit.
    for dim in dims:
        choose(duo, {"type": "rate-score", "dim": dim.id}, 4)
        type_into(duo, {"type": "rate-evidence", "dim": dim.id}, f"Evidence for {dim.key}")
        type_into(duo, {"type": "rate-improvement", "dim": dim.id}, f"Next step for {dim.key}")
    click(duo, "rate-save")
    duo.wait_for_text_to_equal("#success-message", "Your draft is saved. You can change it until you submit.")
    click(duo, "rate-submit")
    duo.wait_for_element("#my-submitted", timeout=15)
    duo.wait_for_element("#maturity-spread")
    assert "Agree" in duo.find_element("#maturity-spread").text

    # The lead records the agreed scores: 4 everywhere except governance, 3.
    wait_until_settled(duo)
    for dim in dims:
        choose(duo, {"type": "agree-score", "dim": dim.id}, 3 if dim.key == "governance" else 4)
        type_into(duo, {"type": "agree-evidence", "dim": dim.id}, f"Agreed evidence for {dim.key}")
        type_into(duo, {"type": "agree-improvement", "dim": dim.id}, f"Agreed improvement for {dim.key}")
    click(duo, "agree-submit")
    duo.wait_for_element("#maturity-scores", timeout=15)
    assert "Agreed, awaiting sign-off" in duo.find_element("#assessment-status").text

    # The chair moderates governance down to 2: without a comment it is refused.
    sign_out_and_in(duo, DEMO_EMAILS["chair"])
    open_and_settle(duo, f"/maturity/assessment/{assessment_id}", "#moderate-submit")
    assert_no_serious_axe_violations(duo, "assessment page (moderation)")
    choose(duo, {"type": "mod-score", "dim": gov.id}, 2)
    click(duo, "moderate-submit")
    assert "say why you changed the agreed score from 3 to 2" in duo.wait_for_element("#error-summary").text
    type_into(duo, {"type": "mod-comment", "dim": gov.id}, "The review of the terms of reference is overdue.")
    click(duo, "moderate-submit")
    duo.wait_for_element("#success-message")
    wait_until_settled(duo)
    type_into(duo, "signoff-comment", "Signed off at the November board.")
    click(duo, "signoff-submit")
    duo.wait_for_element("#signed-off-note", timeout=15)
    assert "Signed off" in duo.find_element("#assessment-status").text
    assert "2 Developing" in by_id(duo, {"type": "final-score", "dim": "governance"}).text
    assert_no_serious_axe_violations(duo, "signed-off assessment page")

    # The partnership heatmap shows the new scores, number and word, for the subgroup.
    open_and_settle(duo, "/maturity", "#maturity-heatmap")
    cell = lambda key: by_id(duo, {"type": "heatmap-cell", "subgroup": tr.id, "dim": key}).text  # noqa: E731
    assert cell("governance").split() == ["2", "Developing"]
    assert cell("delivery").split() == ["4", "Embedded"]
    row = by_id(duo, {"type": "heatmap-row", "subgroup": tr.id}).text
    assert "2026/27 winter self-assessment" in row and "Signed off" in row
    assert_no_serious_axe_violations(duo, "maturity heatmap page")
    assert browser_errors(duo) == []

    # And the database agrees; every step is in the audit trail.
    session.expire_all()
    done = session.get(MaturityAssessment, assessment_id)
    assert done.status == "signed_off" and done.chair_comment == "Signed off at the November board."
    verbs = set(session.exec(select(AuditEvent.verb).where(AuditEvent.entity_type.like("Maturity%"))).all())
    assert {"create", "submit", "agree", "moderate", "sign_off"} <= verbs


def test_framework_page_is_accessible_and_an_admin_saves_a_new_version(tracker_duo, session):
    duo = tracker_duo
    sign_in(duo, DEMO_EMAILS["admin"])
    open_and_settle(duo, "/maturity/framework", "#fw-save")
    assert_no_serious_axe_violations(duo, "maturity framework page (admin)")
    type_into(duo, {"type": "fw-level", "level": 1}, "Absent")
    click(duo, "fw-save")
    duo.wait_for_text_to_equal("#fw-saved", "Saved as version 2. New assessment rounds will use it.")
    assert "Version 2 (current)" in duo.find_element("#framework-current").text
    assert "Version 1" in duo.find_element("#framework-versions").text
    session.expire_all()
    assert session.exec(select(MaturityFramework).where(MaturityFramework.is_current)).one().version == 2
    assert "1 Absent" in duo.find_element("#framework-table").text
    # A descriptor too short is refused with what to fix.
    type_into(duo, {"type": "fw-descriptor", "key": "governance", "level": 1}, "Short")
    click(duo, "fw-save")
    assert "level 1: describe the level in 10 to 2000 characters" in duo.wait_for_element("#fw-errors").text


def test_readers_see_the_framework_and_subgroup_views_without_forms(tracker_duo, session):
    duo = tracker_duo
    tr, _ = tr_and_dimensions(session)
    sign_in(duo, DEMO_EMAILS["viewer"])
    open_and_settle(duo, "/maturity/framework", "#framework-table")
    assert not duo.driver.find_elements(By.ID, "fw-save")
    open_and_settle(duo, f"/maturity/subgroup/{tr.id}", "#maturity-trend-table")
    duo.wait_for_element("#maturity-trend .main-svg")
    assert not duo.driver.find_elements(By.ID, "open-round-submit")
    assert "Up 1" in duo.find_element("#maturity-radar-table").text
    assessment = session.exec(select(MaturityAssessment).where(MaturityAssessment.subgroup_id == tr.id)).first()
    open_and_settle(duo, f"/maturity/assessment/{assessment.id}", "#maturity-scores")
    assert "Illustrative" in duo.find_element("#assessment-status").text
    assert_no_serious_axe_violations(duo, "signed-off assessment page (viewer)")


def test_the_rounds_page_lists_the_rounds_in_progress_and_is_accessible(tracker_duo, session):
    duo = tracker_duo
    tr, _ = tr_and_dimensions(session)
    framework = session.exec(select(MaturityFramework).where(MaturityFramework.is_current)).one()
    session.add(MaturityAssessment(subgroup_id=tr.id, framework_id=framework.id, title="2026/27 spring round",
                                   opened_on=date(2026, 11, 2)))
    session.commit()
    sign_in(duo, DEMO_EMAILS["chair"])
    open_and_settle(duo, "/maturity/rounds?list=in-progress", "#rounds-heading")
    assert duo.find_element("#rounds-heading").text == "Rounds in progress"
    in_progress = session.exec(select(MaturityAssessment).where(MaturityAssessment.status != "signed_off")).all()
    count = duo.find_element("#rounds-count").text
    assert in_progress and count.startswith(f"{len(in_progress)} round"), count
    for assessment in in_progress:
        assert assessment.title in duo.find_element("#maturity-rounds").text
    assert_no_serious_axe_violations(duo, "maturity rounds page")
    assert browser_errors(duo) == []
