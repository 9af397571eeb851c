"""My actions in the browser: the lead signs in, lands on their page, records five updates inline from
one page without a page load, and the page passes axe; the chair sees everyone's outstanding updates."""

from __future__ import annotations

import json

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait
from sqlmodel import Session, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    current_path,
    open_page,
    sign_in,
    submit_sign_in,
    wait_until_settled,
)
from tests.conftest import DEMO_EMAILS
from tracker.models import StatusUpdate


def css_id(component_id: dict) -> str:
    """A CSS selector for the element with this pattern-matching id (as Dash writes it)."""
    text = json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return f'[id={json.dumps(text)}]'


def replace_text(element, text: str) -> None:
    """Type over a field's value as a user does (clear() does not tell React the value changed)."""
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    if text:
        element.send_keys(text)


def row_ids(duo) -> list[int]:
    return [json.loads(e.get_attribute("id"))["action"] for e in duo.driver.find_elements(By.CSS_SELECTOR, ".myact-row")]


def test_the_lead_records_five_updates_inline_without_a_page_load(tracker_duo, engine):
    duo = tracker_duo
    submit_sign_in(duo, DEMO_EMAILS["lead"], "demo-password-1")
    duo.wait_for_element("#myact-heading", timeout=15)
    wait_until_settled(duo)
    assert current_path(duo) == "/my-actions"
    assert "Updates are due by" in duo.find_element("#myact-meeting-section").text
    assert duo.find_element("#myact-deadline").text == "26 November 2026"
    ids = row_ids(duo)
    assert len(ids) >= 5
    assert_no_serious_axe_violations(duo, "my actions page")

    # every field is labelled: the label's `for` is the control's id (a pattern-matching id)
    for kind in ("myact-date", "myact-rag", "myact-progress", "myact-narrative"):
        control = duo.find_element(css_id({"type": kind, "action": ids[0]}))
        labels = duo.driver.find_elements(By.CSS_SELECTOR, f'label[for={json.dumps(control.get_attribute("id"))}]')
        assert len(labels) == 1 and labels[0].text.strip(), kind
    # RAG choices are words, never colour alone
    options = [o.text for o in Select(duo.find_element(css_id({"type": "myact-rag", "action": ids[0]}))).options]
    assert any("Amber" in o for o in options) and any("Red" in o for o in options)

    navigations = duo.driver.execute_script("return performance.getEntriesByType('navigation').length")
    duo.driver.execute_script("window.__sameDocument = true")
    chosen = ids[:5]
    rags = ["amber", "green", "red", "amber", "green"]
    for action_id, rag in zip(chosen, rags, strict=True):
        Select(duo.find_element(css_id({"type": "myact-rag", "action": action_id}))).select_by_value(rag)
        progress = duo.find_element(css_id({"type": "myact-progress", "action": action_id}))
        replace_text(progress, "40")
        narrative = duo.find_element(css_id({"type": "myact-narrative", "action": action_id}))
        replace_text(narrative, f"Inline update, {rag}.")
        save = duo.find_element(css_id({"type": "myact-save", "action": action_id}))
        save.send_keys(" ")  # from the keyboard: Space presses the focused button
        message = css_id({"type": "myact-message", "action": action_id})
        WebDriverWait(duo.driver, 10).until(
            lambda d, m=message: "Saved:" in d.find_element(By.CSS_SELECTOR, m).text)

    # no page load happened: same document, same URL, one navigation entry
    assert duo.driver.execute_script("return window.__sameDocument === true")
    assert duo.driver.execute_script("return performance.getEntriesByType('navigation').length") == navigations
    assert current_path(duo) == "/my-actions"
    wait_until_settled(duo)
    words = {"amber": "Amber", "green": "Green", "red": "Red"}
    for action_id, rag in zip(chosen, rags, strict=True):
        figures = duo.find_element(css_id({"type": "myact-figures", "action": action_id}))
        assert words[rag] in figures.find_element(By.CSS_SELECTOR, ".myact-rag-now").text
        assert figures.find_element(By.CSS_SELECTOR, ".myact-progress-now").text == "40%"
        assert figures.find_element(By.CSS_SELECTOR, ".myact-last-update").text == "23 November 2026"
        assert "Up to date" in figures.text
    with Session(engine) as s:
        latest = {u.action_id: u for u in s.exec(select(StatusUpdate).where(StatusUpdate.action_id.in_(chosen))
                                                  .order_by(StatusUpdate.id))}
        assert [latest[i].rag for i in chosen] == rags
        assert {latest[i].narrative for i in chosen} == {f"Inline update, {r}." for r in rags}
    assert_no_serious_axe_violations(duo, "my actions page after the updates")
    assert browser_errors(duo) == []


def test_a_refused_row_shows_its_error_beside_that_row_only(tracker_duo):
    duo = tracker_duo
    submit_sign_in(duo, DEMO_EMAILS["lead"], "demo-password-1")
    duo.wait_for_element("#myact-heading", timeout=15)
    wait_until_settled(duo)
    first, second = row_ids(duo)[:2]
    Select(duo.find_element(css_id({"type": "myact-rag", "action": first}))).select_by_value("red")
    narrative = duo.find_element(css_id({"type": "myact-narrative", "action": first}))
    replace_text(narrative, "")
    duo.find_element(css_id({"type": "myact-save", "action": first})).click()
    message = css_id({"type": "myact-message", "action": first})
    WebDriverWait(duo.driver, 10).until(lambda d: "Narrative" in d.find_element(By.CSS_SELECTOR, message).text)
    assert "is-invalid" in narrative.get_attribute("class")
    assert narrative.get_attribute("aria-invalid") == "true"
    assert duo.find_element(css_id({"type": "myact-message", "action": second})).text == ""
    assert_no_serious_axe_violations(duo, "my actions page with a refused row")


def test_the_chair_keeps_the_overview_and_sees_everyones_outstanding_updates(tracker_duo):
    duo = tracker_duo
    sign_in(duo, DEMO_EMAILS["chair"])
    assert current_path(duo) == "/"
    duo.find_element("#overview-reminders-link").click()
    duo.wait_for_element("#reminders-by-person")
    wait_until_settled(duo)
    assert "No SMTP server is configured" in duo.find_element("#reminders-no-smtp").text
    assert not duo.find_element("#reminders-send").is_enabled()
    assert duo.driver.find_elements(By.CSS_SELECTOR, ".reminder-digest")
    assert_no_serious_axe_violations(duo, "outstanding updates page")


def test_the_reminders_page_refuses_a_member(tracker_duo):
    duo = tracker_duo
    submit_sign_in(duo, DEMO_EMAILS["owner"], "demo-password-1")
    duo.wait_for_element("#myact-heading", timeout=15)
    open_page(duo, "/reminders")
    WebDriverWait(duo.driver, 10).until(
        lambda d: "Only the chair or an administrator" in d.find_element(By.ID, "main").text)
    assert duo.driver.find_elements(By.ID, "reminders-send") == []
