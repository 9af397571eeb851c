"""Moving between the views in a real browser: overview -> subgroup -> action, the theme and subgroup
pages and their indexes (axe-clean), and a lead recording a new version of terms of reference.

Runs on the tiny partnership in tests/fixtures/mini/ (today is 23 November 2026), whose figures are
fixed: the Treatment and recovery subgroup (TR, led by lead@) has two actions (TR-01 amber, TR-02
red) and terms of reference version 1, approved 10/01/2024, review due 10/01/2025 (so overdue).
"""

from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    current_path,
    form_css,
    open_page,
    sign_in,
    start_tracker,
    wait_until_settled,
)
from tests.conftest import DEMO_EMAILS, copy_engine
from tracker.models import Action, Subgroup, TermsOfReference, Theme
from tracker.web.app import create_app


@pytest.fixture
def engine(mini_engine: Engine) -> Engine:
    """Every test here runs on the mini partnership (tracker_app and session follow this engine)."""
    return mini_engine


def ids(session: Session) -> dict[str, int]:
    found = {f"sub:{s.code}": s.id for s in session.exec(select(Subgroup))}
    found |= {f"theme:{t.number}": t.id for t in session.exec(select(Theme))}
    found |= {f"action:{a.ref}": a.id for a in session.exec(select(Action))}
    return found


def wait_for_text(duo, selector: str, text: str, timeout: float = 10) -> None:
    duo.wait_for_contains_text(selector, text, timeout=timeout)


def go(duo, path: str, ready_selector: str) -> None:
    open_page(duo, path)
    duo.wait_for_element(ready_selector, timeout=15)
    wait_until_settled(duo)


def open_tor_form(duo) -> None:
    summary = duo.wait_for_element("#tor-form-open")
    if duo.find_element("#tor-form-section").get_attribute("open") is None:
        click(duo, summary)
    duo.wait_for_element("#tor-form-save")


def click(duo, element) -> None:
    """Bring the element into view first, at once (Bootstrap makes scrolling smooth, so a click
    during the animation lands on whatever was there)."""
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    element.click()


def set_value(duo, selector: str, value: str) -> None:
    """Type into a field the way a person does (clear, then keys), so React sees the change."""
    element = duo.find_element(selector)
    element.clear()
    if value:
        element.send_keys(value)


def set_date(duo, selector: str, iso: str) -> None:
    """Fill a native date input: Chromium's keyboard order follows the locale, so set it as React would."""
    duo.driver.execute_script(
        """
        const input = document.querySelector(arguments[0]);
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
        setter.call(input, arguments[1]);
        input.dispatchEvent(new Event('input', {bubbles: true}));
        input.dispatchEvent(new Event('change', {bubbles: true}));
        """,
        selector, iso,
    )


def test_overview_to_subgroup_to_action(tracker_duo, session):
    known = ids(session)
    sign_in(tracker_duo, DEMO_EMAILS["chair"])

    # The overview's subgroup table links each subgroup to its page.
    link = tracker_duo.wait_for_element(f"#table-by-subgroup a[href$='/subgroup/{known['sub:TR']}']")
    assert link.text == "Treatment and recovery subgroup"
    click(tracker_duo, link)
    tracker_duo.wait_for_element("#subgroup-heading", timeout=15)
    wait_until_settled(tracker_duo)
    assert current_path(tracker_duo) == f"/subgroup/{known['sub:TR']}"
    assert tracker_duo.find_element("#subgroup-heading").text == "Treatment and recovery subgroup"
    assert tracker_duo.driver.title == "Treatment and recovery subgroup – CDP Delivery Tracker"
    assert tracker_duo.find_element("#subgroup-lead").text == "Lee Lead"

    # Its terms of reference, with their state in words.
    current = tracker_duo.find_element("#tor-current-version").text
    assert "Version 1" in current and "Approved on 10 January 2024" in current
    assert "Review overdue" in current
    assert tracker_duo.find_element("#tor-overdue").text == "! Review overdue"
    assert tracker_duo.find_element("#tor-purpose").text == "Oversee the treatment and recovery part of the delivery plan."
    dependency = tracker_duo.find_element("#tor-interdependencies a")
    assert dependency.text == "Supply subgroup"
    assert dependency.get_attribute("href").endswith(f"/subgroup/{known['sub:SUP']}")
    assert tracker_duo.find_element("#tor-history").text.startswith("Earlier versions (0)")
    # The chair does not lead the subgroup: no form to change its terms of reference.
    assert tracker_duo.driver.find_elements(By.ID, "tor-form-section") == []

    # The plan grid: one row per action, dates in UK form, RAG as word and symbol.
    tracker_duo.wait_for_element("#subgroup-plan-grid .ag-row", timeout=15)
    rows = tracker_duo.driver.find_elements(By.CSS_SELECTOR, "#subgroup-plan-grid .ag-center-cols-container .ag-row")
    assert sorted(r.get_attribute("row-id") for r in rows) == ["TR-01", "TR-02"]
    tr01 = "#subgroup-plan-grid .ag-center-cols-container .ag-row[row-id='TR-01']"
    assert tracker_duo.find_element(f"{tr01} [col-id='due']").text == "31/03/2027"
    assert tracker_duo.find_element(f"{tr01} [col-id='rag']").text == "! Amber"
    assert tracker_duo.find_element(f"{tr01} [col-id='last_update']").text == "01/11/2026"
    assert tracker_duo.find_element(f"{tr01} [col-id='progress']").text == "45"

    # Latest updates, newest first.
    first_update = tracker_duo.find_element("#latest-updates tbody tr").text
    assert "01/11/2026" in first_update and "TR-01" in first_update and "Staff vacancies" in first_update

    # The reference in the grid opens the action.
    click(tracker_duo, tracker_duo.find_element(f"{tr01} [col-id='ref_link'] a"))
    tracker_duo.wait_for_element("#action-heading", timeout=15)
    assert current_path(tracker_duo) == f"/action/{known['action:TR-01']}"
    assert "TR-01" in tracker_duo.find_element("h1").text
    assert browser_errors(tracker_duo) == []


def test_grid_sorts_by_column(tracker_duo, session):
    known = ids(session)
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    go(tracker_duo, f"/subgroup/{known['sub:TR']}", "#subgroup-plan-grid .ag-row")

    def order() -> list[str]:
        rows = tracker_duo.driver.find_elements(
            By.CSS_SELECTOR, "#subgroup-plan-grid .ag-center-cols-container .ag-row")
        return [r.get_attribute("row-id") for r in sorted(rows, key=lambda r: int(r.get_attribute("row-index")))]

    assert order() == ["TR-01", "TR-02"]
    # Sort by due date: TR-02 is due first (30/06/2026).
    click(tracker_duo, tracker_duo.find_element(
        "#subgroup-plan-grid .ag-header-cell[col-id='due'] .ag-header-cell-label"))
    WebDriverWait(tracker_duo.driver, 5, ignored_exceptions=(StaleElementReferenceException,)).until(lambda _: order() == ["TR-02", "TR-01"])

    # Filter the Ref column by the reference itself (not the link behind it).
    tracker_duo.driver.execute_script(
        "dash_ag_grid.getApi('subgroup-plan-grid').setFilterModel("
        "{ref_link: {filterType: 'text', type: 'contains', filter: '02'}})")
    WebDriverWait(tracker_duo.driver, 5, ignored_exceptions=(StaleElementReferenceException,)).until(lambda _: order() == ["TR-02"])
    tracker_duo.driver.execute_script(
        "dash_ag_grid.getApi('subgroup-plan-grid').setFilterModel("
        "{ref_link: {filterType: 'text', type: 'contains', filter: 'action'}})")
    WebDriverWait(tracker_duo.driver, 5, ignored_exceptions=(StaleElementReferenceException,)).until(lambda _: order() == [])


def test_grid_links_are_reachable_from_the_keyboard(tracker_duo, session):
    known = ids(session)
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    go(tracker_duo, f"/subgroup/{known['sub:TR']}", "#subgroup-plan-grid .ag-row")
    cell = tracker_duo.find_element(
        "#subgroup-plan-grid .ag-center-cols-container .ag-row[row-id='TR-02'] [col-id='ref_link']")
    tracker_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});"
                                      "arguments[0].focus();", cell)
    # The link is no Tab stop of its own (the grid is one): Enter on its cell follows it.
    assert cell.find_element(By.TAG_NAME, "a").get_attribute("tabindex") == "-1"
    tracker_duo.driver.switch_to.active_element.send_keys(Keys.ENTER)
    tracker_duo.wait_for_element("#action-heading", timeout=15)
    assert current_path(tracker_duo) == f"/action/{known['action:TR-02']}"


def test_themes_and_theme_page(tracker_duo, session):
    known = ids(session)
    sign_in(tracker_duo, DEMO_EMAILS["viewer"])
    go(tracker_duo, "/themes", "#table-themes")
    assert tracker_duo.driver.title == "Themes – CDP Delivery Tracker"
    table = tracker_duo.find_element("#table-themes").text
    assert "1. Breaking drug supply chains" in table and "2. Delivering a world-class" in table
    click(tracker_duo, tracker_duo.find_element(f"#theme-link-{known['theme:2']}"))

    tracker_duo.wait_for_element("#theme-heading", timeout=15)
    wait_until_settled(tracker_duo)
    assert tracker_duo.find_element("#theme-heading").text == (
        "Theme 2: Delivering a world-class treatment and recovery system")
    objectives = tracker_duo.find_element("#objectives-table").text
    assert "T2.1" in objectives and "More people in treatment" in objectives
    assert "I2 Increasing engagement in drug treatment" in objectives  # the outcomes it serves
    assert "37.5%" in objectives  # the mean progress of TR-01 (45%) and TR-02 (30%)
    assert [a.text for a in tracker_duo.driver.find_elements(By.CSS_SELECTOR, "#theme-subgroups a")] == [
        "Treatment and recovery subgroup"]
    actions = tracker_duo.find_element("#theme-actions").text
    assert "TR-01" in actions and "TR-02" in actions and "SUP-01" not in actions
    assert "Amber" in actions and "Red" in actions


def test_subgroups_index(tracker_duo, session):
    known = ids(session)
    sign_in(tracker_duo, DEMO_EMAILS["viewer"])
    go(tracker_duo, "/subgroups", "#subgroups-table")
    row = tracker_duo.find_element(f"#subgroup-row-{known['sub:TR']}").text
    assert "Lee Lead" in row and "Active" in row and "2. Delivering" in row
    assert "! Review overdue" in tracker_duo.find_element(f"#tor-state-{known['sub:TR']}").text
    assert "✕ None recorded" in tracker_duo.find_element(f"#tor-state-{known['sub:SUP']}").text
    assert tracker_duo.find_element("#tor-in-force-count").text.startswith("0 of 2 subgroups")
    click(tracker_duo, tracker_duo.find_element(f"#subgroup-link-{known['sub:SUP']}"))
    wait_for_text(tracker_duo, "#subgroup-heading", "Supply subgroup")
    assert "no terms of reference yet" in tracker_duo.find_element("#tor-none").text


def test_unknown_and_foreign_ids_say_not_found(tracker_duo, session):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    go(tracker_duo, "/theme/9999", "#theme-not-found")
    assert "There is no theme 9999" in tracker_duo.find_element("#theme-not-found").text
    go(tracker_duo, "/theme/not-a-number", "#theme-not-found")
    go(tracker_duo, "/subgroup/9999", "#subgroup-not-found")
    assert "There is no subgroup 9999" in tracker_duo.find_element("#subgroup-not-found").text


@pytest.mark.parametrize("page", ["themes", "theme", "subgroups", "subgroup", "subgroup with form"])
def test_pages_have_no_serious_axe_violations(tracker_duo, session, page):
    known = ids(session)
    who = "lead" if page == "subgroup with form" else "chair"
    sign_in(tracker_duo, DEMO_EMAILS[who])
    path, ready = {
        "themes": ("/themes", "#table-themes"),
        "theme": (f"/theme/{known['theme:2']}", "#objectives-table"),
        "subgroups": ("/subgroups", "#subgroups-table"),
        "subgroup": (f"/subgroup/{known['sub:TR']}", "#subgroup-plan-grid .ag-row"),
        "subgroup with form": (f"/subgroup/{known['sub:TR']}", "#subgroup-plan-grid .ag-row"),
    }[page]
    go(tracker_duo, path, ready)
    if page == "subgroup with form":
        open_tor_form(tracker_duo)
        # Show every error state too: the invalid fields must stay accessible.
        set_value(tracker_duo, form_css("tor", "purpose"), "short")
        click(tracker_duo, tracker_duo.find_element("#tor-form-save"))
        tracker_duo.wait_for_element("#tor-form-message")
        wait_until_settled(tracker_duo)
    assert_no_serious_axe_violations(tracker_duo, f"{page} page")
    assert browser_errors(tracker_duo) == []


def test_lead_records_a_new_version_of_the_terms_of_reference(tracker_duo, session):
    known = ids(session)
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    go(tracker_duo, f"/subgroup/{known['sub:TR']}", "#tor-current-version")
    open_tor_form(tracker_duo)

    # The form starts from the current version.
    assert tracker_duo.find_element(form_css("tor", "meeting_frequency")).get_attribute("value") == "Monthly"
    assert tracker_duo.find_element(form_css("tor", "approved_on")).get_attribute("value") == "2024-01-10"
    assert tracker_duo.find_element("#tor-form-based-on-text").text == "You are editing version 1."

    # A review date before the approval date is refused beside the field; nothing is saved.
    set_date(tracker_duo, form_css("tor", "approved_on"), "2026-11-20")
    set_date(tracker_duo, form_css("tor", "review_due"), "2026-11-01")
    click(tracker_duo, tracker_duo.find_element("#tor-form-save"))
    wait_for_text(tracker_duo, form_css("tor", "review_due", "feedback"), "The review date must be after the approval date")
    assert "is-invalid" in tracker_duo.find_element(form_css("tor", "review_due")).get_attribute("class")
    assert "Nothing was saved" in tracker_duo.find_element("#tor-form-message").text
    assert "Version 1" in tracker_duo.find_element("#tor-current-version").text

    # Fixed, with a change note: saved as version 2, which becomes current.
    set_date(tracker_duo, form_css("tor", "review_due"), "2027-11-20")
    set_value(tracker_duo, form_css("tor", "meeting_frequency"), "Every six weeks")
    set_value(tracker_duo, form_css("tor", "change_note"), "Annual review")
    click(tracker_duo, tracker_duo.find_element("#tor-form-save"))
    wait_for_text(tracker_duo, "#tor-form-message", "Saved: version 2 is now the current terms of reference.")
    wait_until_settled(tracker_duo)
    assert "is-invalid" not in tracker_duo.find_element(form_css("tor", "review_due")).get_attribute("class")
    current = tracker_duo.find_element("#tor-current-version").text
    assert "Version 2" in current and "Approved on 20 November 2026" in current
    assert "Review due 20 November 2027" in current
    assert tracker_duo.find_element("#tor-meeting_frequency").text == "Every six weeks"
    assert tracker_duo.find_element("#tor-change-note").text == "Annual review"
    assert "Lee Lead" in tracker_duo.find_element("#tor-recorded").text
    # The earlier version stays, in the history.
    history = tracker_duo.find_element("#tor-history").text
    assert "Earlier versions (1)" in history and "Version 1" in history
    assert tracker_duo.find_element("#tor-form-based-on-text").text == "You are editing version 2."
    assert tracker_duo.find_element(form_css("tor", "change_note")).get_attribute("value") == ""

    # In the database: both versions, the new one by the lead, its interdependency kept.
    session.expire_all()
    tors = session.exec(select(TermsOfReference).where(TermsOfReference.subgroup_id == known["sub:TR"])
                        .order_by(TermsOfReference.version)).all()
    assert [(t.version, t.meeting_frequency) for t in tors] == [(1, "Monthly"), (2, "Every six weeks")]
    assert tracker_duo.find_element("#tor-interdependencies a").text == "Supply subgroup"

    # After a reload the page shows version 2 as current.
    go(tracker_duo, f"/subgroup/{known['sub:TR']}", "#tor-current-version")
    assert "Version 2" in tracker_duo.find_element("#tor-current-version").text
    assert browser_errors(tracker_duo) == []


def test_a_stale_form_is_refused_with_a_message(tracker_duo, session, mini_engine):
    """Someone saved a version after the lead opened the page: the lead's save is refused."""
    from tests.conftest import person_by_email
    from tracker.services import subgroups

    known = ids(session)
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    go(tracker_duo, f"/subgroup/{known['sub:TR']}", "#tor-current-version")
    open_tor_form(tracker_duo)

    with Session(mini_engine, expire_on_commit=False) as other:
        admin = person_by_email(other, DEMO_EMAILS["admin"])
        subgroups.record_tor_version(other, admin, known["sub:TR"], 1, {
            "purpose": "The admin's version of the purpose.", "change_note": "By the admin"})
        other.commit()

    set_value(tracker_duo, form_css("tor", "change_note"), "The lead's change")
    click(tracker_duo, tracker_duo.find_element("#tor-form-save"))
    wait_for_text(tracker_duo, "#tor-form-message", "Nothing was saved")
    assert "Ada Admin" in tracker_duo.find_element("#tor-form-message").text
    session.expire_all()
    versions = session.exec(select(TermsOfReference.version).where(
        TermsOfReference.subgroup_id == known["sub:TR"])).all()
    assert sorted(versions) == [1, 2]


@pytest.fixture
def northamptonshire_duo(dash_duo, _template_engine, today, tracker_settings):
    """The app on a copy of the full Northamptonshire seed (this module's `engine` is the mini one)."""
    engine = copy_engine(_template_engine)
    start_tracker(dash_duo, create_app(tracker_settings, engine=engine, today=today))
    dash_duo.tracker_engine = engine
    yield dash_duo
    engine.dispose()


def test_every_theme_and_subgroup_page_of_the_seed_is_axe_clean(northamptonshire_duo):
    """Every theme and subgroup of the real seed, as an admin (who sees every form), with the earlier
    versions of the terms of reference and the form opened."""
    duo = northamptonshire_duo
    with Session(duo.tracker_engine) as session:
        themes = [t.id for t in session.exec(select(Theme).order_by(Theme.number))]
        groups = [g.id for g in session.exec(select(Subgroup).order_by(Subgroup.name))]
    assert len(themes) == 4 and groups
    sign_in(duo, DEMO_EMAILS["admin"])
    go(duo, "/themes", "#table-themes")
    assert_no_serious_axe_violations(duo, "themes page (seed)")
    go(duo, "/subgroups", "#subgroups-table")
    assert_no_serious_axe_violations(duo, "subgroups page (seed)")
    for theme_id in themes:
        go(duo, f"/theme/{theme_id}", "#objectives-table")
        assert_no_serious_axe_violations(duo, f"page of theme {theme_id} (seed)")
    for subgroup_id in groups:
        go(duo, f"/subgroup/{subgroup_id}", "#tor-form-open")
        duo.wait_for_element("#subgroup-plan-grid", timeout=15)
        for summary in duo.driver.find_elements(By.CSS_SELECTOR, "#tor-history summary"):
            click(duo, summary)
        open_tor_form(duo)
        assert_no_serious_axe_violations(duo, f"page of subgroup {subgroup_id} (seed)")
    assert browser_errors(duo) == []
