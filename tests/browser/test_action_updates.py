"""The action page in a real browser: a lead records an update and sees it in the history and the
overview; a bad update is refused beside its fields; a viewer gets no form; editing is protected
against overwriting someone else's change; and axe-core finds nothing serious on the page."""

from __future__ import annotations

import time
from datetime import date

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    form_css,
    open_page,
    sign_in,
    wait_for_overview,
    wait_until_settled,
)
from tests.conftest import DEMO_EMAILS
from tracker.formatting import long_date
from tracker.models import Action, Person, StatusUpdate
from tracker.services import actions, permissions, plan
from tracker.services.plan import OPEN_STATUSES
from tracker.web.components.forms import dom_id

# The forms' fields (tracker.web.components.action_forms): {"form": "update"|"edit", "field": name}.
RAG, PROGRESS, NARRATIVE, NEXT_STEPS = (form_css("update", f) for f in ("rag", "progress", "narrative", "next_steps"))
UPDATE_DATE = form_css("update", "update_date")
EDIT_TITLE, EDIT_STATUS, EDIT_LEAD_ORG = (form_css("edit", f) for f in ("title", "status", "lead_organisation"))


def update_dom_id(field: str, part: str | None = None) -> str:
    """The id in the page of an update field (or of its "error"/"hint" companion)."""
    return dom_id({"form": f"update-{part}" if part else "update", "field": field})


def _person(session: Session, role: str) -> Person:
    return session.exec(select(Person).where(Person.email == DEMO_EMAILS[role])).one()


def lead_action(engine: Engine, today: date) -> plan.ActionRow:
    """An open action of a subgroup the demo lead leads, Green if there is one, started by today."""
    with Session(engine) as session:
        lead = _person(session, "lead")
        led = permissions.led_subgroup_ids(session, lead)
        rows = [r for r in plan.plan_rows(session, lead.partnership_id, today)
                if r.subgroup_id in led and r.status in OPEN_STATUSES
                and (r.start_date is None or r.start_date <= today)]
    assert rows, "the seed should give the demo lead an open action to update"
    rows.sort(key=lambda r: (r.rag != "green", r.ref))
    return rows[0]


def update_count(engine: Engine, action_id: int) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count(StatusUpdate.id)).where(StatusUpdate.action_id == action_id)).one()


def headline(dash_duo, tile: str) -> int:
    return int(dash_duo.find_element(f"#{tile} .figure").text)


def open_action(dash_duo, action_id: int) -> None:
    open_page(dash_duo, f"/action/{action_id}")
    dash_duo.wait_for_element("#action-heading")
    wait_until_settled(dash_duo)


def fill_update(dash_duo, rag: str, progress: str, narrative: str = "", next_steps: str = "") -> None:
    Select(dash_duo.find_element(RAG)).select_by_value(rag)
    dash_duo.find_element(PROGRESS).send_keys(progress)
    if narrative:
        dash_duo.find_element(NARRATIVE).send_keys(narrative)
    if next_steps:
        dash_duo.find_element(NEXT_STEPS).send_keys(next_steps)


def click(dash_duo, selector: str) -> None:
    """Scroll the element to the middle of the window at once, then click it. (Bootstrap makes
    scrolling smooth, so Selenium's own scrolling can click where the element is still passing by.)"""
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def clear(dash_duo, selector: str):
    """Empty a field as a user would (Selenium's clear() does not tell React, so Dash never hears)."""
    element = dash_duo.find_element(selector)
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.BACKSPACE)
    return element


def history_items(dash_duo) -> list:
    return dash_duo.driver.find_elements("css selector", "#history-list > li")


def test_lead_records_an_update_and_the_overview_follows(tracker_duo, engine, today):
    row = lead_action(engine, today)
    before_updates = update_count(engine, row.id)
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    red_before = headline(tracker_duo, "headline-red")

    open_action(tracker_duo, row.id)
    assert row.ref in tracker_duo.find_element("h1").text
    assert tracker_duo.find_element(UPDATE_DATE).get_attribute("value") == today.isoformat()
    fill_update(tracker_duo, "red", "35", narrative="The provider's contract was paused; the board must decide.",
                next_steps="Paper to the December board.")
    click(tracker_duo, "#update-submit")

    tracker_duo.wait_for_contains_text("#update-success", "Update recorded")
    wait_until_settled(tracker_duo)
    newest = history_items(tracker_duo)[0]
    assert long_date(today) in newest.text
    assert "Red" in newest.text and "35%" in newest.text
    assert "The provider's contract was paused; the board must decide." in newest.text
    assert "Paper to the December board." in newest.text
    with Session(engine) as session:
        assert _person(session, "lead").name in newest.text
    assert len(history_items(tracker_duo)) == before_updates + 1
    # The details follow the new update, and the form is cleared for the next one.
    assert "Red" in tracker_duo.find_element("#action-current-rag").text
    assert tracker_duo.find_element("#action-progress").text == "35%"
    assert tracker_duo.find_element(NARRATIVE).get_attribute("value") == ""
    assert tracker_duo.find_element(PROGRESS).get_attribute("value") == ""
    assert "Red" in tracker_duo.find_element("#rag-chart-summary").text
    assert update_count(engine, row.id) == before_updates + 1

    open_page(tracker_duo, "/")
    wait_for_overview(tracker_duo)
    assert headline(tracker_duo, "headline-red") == red_before + (0 if row.rag == "red" else 1)
    assert browser_errors(tracker_duo) == []


def test_a_bad_update_is_refused_beside_its_fields(tracker_duo, engine, today):
    row = lead_action(engine, today)
    before_updates = update_count(engine, row.id)
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    open_action(tracker_duo, row.id)
    history_before = [item.text for item in history_items(tracker_duo)]

    fill_update(tracker_duo, "amber", "150")  # Amber with no narrative, and progress over 100
    click(tracker_duo, "#update-submit")

    summary = tracker_duo.wait_for_element("#update-error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "narrative" in summary.text.lower() and "progress" in summary.text.lower()
    for field in ("narrative", "progress"):
        assert "is-invalid" in tracker_duo.find_element(form_css("update", field)).get_attribute("class")
        assert tracker_duo.find_element(form_css("update", field, "error")).is_displayed()
    assert "narrative" in tracker_duo.find_element(form_css("update", "narrative", "error")).text.lower()
    assert "0 to 100" in tracker_duo.find_element(form_css("update", "progress", "error")).text
    assert "is-invalid" not in tracker_duo.find_element(RAG).get_attribute("class")
    # Screen readers hear each invalid field's message with it (and the hint, if it has one).
    def described(field: str) -> list[str]:
        return (tracker_duo.find_element(form_css("update", field)).get_attribute("aria-describedby") or "").split()

    WebDriverWait(tracker_duo.driver, 5, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: described("progress") == [update_dom_id("progress", "error")])
    assert described("narrative") == [update_dom_id("narrative", "hint"), update_dom_id("narrative", "error")]
    assert tracker_duo.find_element(NARRATIVE).get_attribute("aria-invalid") == "true"
    assert described("rag") == [] and tracker_duo.find_element(RAG).get_attribute("aria-invalid") is None
    # The summary links each problem to its field.
    assert summary.find_element("css selector", f"a[href='#{update_dom_id('narrative')}']")
    # Nothing was written, and what the user typed is still there to correct.
    assert [item.text for item in history_items(tracker_duo)] == history_before
    assert update_count(engine, row.id) == before_updates
    assert Select(tracker_duo.find_element(RAG)).first_selected_option.get_attribute("value") == "amber"

    # Fixing the problems clears the messages and records the update.
    clear(tracker_duo, PROGRESS).send_keys("60")
    tracker_duo.find_element(NARRATIVE).send_keys("Recruitment is behind; recoverable by March.")
    click(tracker_duo, "#update-submit")
    tracker_duo.wait_for_element("#update-success")
    assert "is-invalid" not in tracker_duo.find_element(NARRATIVE).get_attribute("class")
    WebDriverWait(tracker_duo.driver, 5, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: described("narrative") == [update_dom_id("narrative", "hint")])
    assert tracker_duo.find_element(NARRATIVE).get_attribute("aria-invalid") is None
    assert update_count(engine, row.id) == before_updates + 1


def test_the_viewer_sees_no_forms(tracker_duo, engine, today):
    row = lead_action(engine, today)
    sign_in(tracker_duo, DEMO_EMAILS["viewer"])
    open_action(tracker_duo, row.id)

    assert "recorded by" in tracker_duo.find_element("#update-not-allowed").text
    assert tracker_duo.driver.find_elements("css selector", "#update-submit") == []
    assert tracker_duo.driver.find_elements("css selector", "#edit-section") == []
    assert row.ref in tracker_duo.find_element("h1").text


def test_the_owner_records_an_update_but_cannot_edit_the_details(tracker_duo, engine, today):
    with Session(engine) as session:
        owner = _person(session, "owner")
        rows = [r for r in plan.plan_rows(session, owner.partnership_id, today)
                if r.owner_id == owner.id and r.status in OPEN_STATUSES
                and not permissions.can_edit_action(session, owner, session.get(Action, r.id))]
    assert rows, "the seed should give the demo owner an open action in a subgroup they do not lead"
    row = rows[0]
    sign_in(tracker_duo, DEMO_EMAILS["owner"])
    open_action(tracker_duo, row.id)
    assert tracker_duo.driver.find_elements("css selector", "#edit-section") == []

    fill_update(tracker_duo, "green", "70", narrative="On track.")
    click(tracker_duo, "#update-submit")
    tracker_duo.wait_for_element("#update-success")
    wait_until_settled(tracker_duo)
    assert "70%" in history_items(tracker_duo)[0].text
    assert browser_errors(tracker_duo) == []


def test_an_unknown_action_says_so(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["viewer"])
    for path in ("/action/999999", "/action/not-a-number"):
        open_page(tracker_duo, path)
        tracker_duo.wait_for_contains_text("h1", "Action not found")


def test_an_edit_after_someone_elses_save_is_refused(tracker_duo, engine, today):
    row = lead_action(engine, today)
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    open_action(tracker_duo, row.id)
    click(tracker_duo, "#edit-summary")
    tracker_duo.wait_for_element(EDIT_TITLE)

    # The administrator saves a change while the lead has the form open.
    with Session(engine, expire_on_commit=False) as session:
        admin = _person(session, "admin")
        version = session.get(Action, row.id).version
        actions.edit_action(session, admin, row.id, version, {"lead_organisation": "Changed by the admin"})
        session.commit()

    clear(tracker_duo, EDIT_TITLE).send_keys("A title the lead typed")
    click(tracker_duo, "#edit-submit")
    conflict = tracker_duo.wait_for_element("#edit-conflict")
    with Session(engine) as session:
        assert _person(session, "admin").name in conflict.text
        assert session.get(Action, row.id).title == row.title  # nothing overwritten
        assert session.get(Action, row.id).lead_organisation == "Changed by the admin"

    # After reloading, the lead's edit goes through and the heading follows.
    open_action(tracker_duo, row.id)
    click(tracker_duo, "#edit-summary")
    tracker_duo.wait_for_element(EDIT_TITLE)
    clear(tracker_duo, EDIT_TITLE).send_keys("A title the lead typed")
    click(tracker_duo, "#edit-submit")
    tracker_duo.wait_for_element("#edit-success")
    tracker_duo.wait_for_contains_text("#action-heading", "A title the lead typed")
    with Session(engine) as session:
        assert session.get(Action, row.id).title == "A title the lead typed"


def test_an_update_then_an_edit_does_not_conflict(tracker_duo, engine, today):
    """Recording an update can change the status (and so the version): the edit form keeps up."""
    row = lead_action(engine, today)
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    open_action(tracker_duo, row.id)
    click(tracker_duo, "#edit-summary")
    fill_update(tracker_duo, "green", "50")
    click(tracker_duo, "#update-submit")
    tracker_duo.wait_for_element("#update-success")
    wait_until_settled(tracker_duo)
    assert tracker_duo.find_element(EDIT_STATUS).get_attribute("value") == "in_progress"

    clear(tracker_duo, EDIT_LEAD_ORG).send_keys("West Northamptonshire Council")
    click(tracker_duo, "#edit-submit")
    tracker_duo.wait_for_element("#edit-success")
    with Session(engine) as session:
        action = session.get(Action, row.id)
        assert action.lead_organisation == "West Northamptonshire Council"
        assert action.status == "in_progress"


@pytest.mark.parametrize("with_errors", [False, True], ids=["forms", "forms-with-errors"])
def test_action_page_is_accessible(tracker_duo, engine, today, with_errors):
    row = lead_action(engine, today)
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    open_action(tracker_duo, row.id)
    click(tracker_duo, "#edit-summary")
    tracker_duo.wait_for_element(EDIT_TITLE)
    if update_count(engine, row.id):
        tracker_duo.wait_for_element("#rag-chart .main-svg")
    if with_errors:
        fill_update(tracker_duo, "amber", "150")
        click(tracker_duo, "#update-submit")
        tracker_duo.wait_for_element("#update-error-summary")
        clear(tracker_duo, EDIT_TITLE)
        click(tracker_duo, "#edit-submit")
        tracker_duo.wait_for_element("#edit-error-summary")
    assert len(tracker_duo.driver.find_elements("css selector", "h1")) == 1
    assert tracker_duo.driver.title.startswith(row.ref)
    assert_no_serious_axe_violations(tracker_duo, "action page" + (" with errors" if with_errors else ""))
    assert browser_errors(tracker_duo) == []



def test_an_update_while_the_database_is_unavailable_says_so_and_keeps_what_was_typed(tracker_duo, engine, today):
    """The database goes away between opening the page and saving: the page says so, in words, and
    the form still holds the update to send again."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from tracker.web.errors import DATABASE_UNAVAILABLE

    def unreachable(_conn, _cursor, statement, parameters, *_):
        if statement.lstrip().upper().startswith("INSERT"):
            raise OperationalError(statement, parameters, ConnectionRefusedError("connection refused"))

    row = lead_action(engine, today)
    before_updates = update_count(engine, row.id)
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    open_action(tracker_duo, row.id)
    fill_update(tracker_duo, "amber", "40", narrative="Recruitment is behind; recoverable by March.")
    event.listen(engine, "before_cursor_execute", unreachable)
    try:
        click(tracker_duo, "#update-submit")
        tracker_duo.wait_for_contains_text("#app-notice", DATABASE_UNAVAILABLE)
    finally:
        event.remove(engine, "before_cursor_execute", unreachable)
    assert tracker_duo.find_element("#app-notice").get_attribute("role") == "alert"
    assert tracker_duo.find_element(NARRATIVE).get_attribute("value") == "Recruitment is behind; recoverable by March."
    assert tracker_duo.find_element(PROGRESS).get_attribute("value") == "40"
    assert tracker_duo.driver.find_elements("css selector", "#update-success") == []
    assert update_count(engine, row.id) == before_updates

    # Back again: the same click records the update.
    click(tracker_duo, "#update-submit")
    tracker_duo.wait_for_element("#update-success")
    assert update_count(engine, row.id) == before_updates + 1


def test_typing_a_colours_first_letter_in_the_rag_select_picks_it(tracker_duo, engine, today):
    """A keyboard user opens nothing: with the closed RAG select focused, "A" picks Amber and "R" Red."""
    row = lead_action(engine, today)
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    open_action(tracker_duo, row.id)
    rag = tracker_duo.find_element(RAG)
    rag.send_keys("a")
    assert Select(rag).first_selected_option.text.startswith("Amber")
    time.sleep(1.5)  # the browser's type-ahead would otherwise read "ar" as one search
    rag.send_keys("r")
    assert Select(rag).first_selected_option.text.startswith("Red")
