"""The administrator's pages and the audit trail, in a real browser.

The admin adds a person and rewrites what Amber means; the new words then show in the RAG legend
of the overview, and both changes are in the audit trail. axe-core checks every admin page and the
audit trail (no serious or critical WCAG 2.x A/AA violations).
"""

from __future__ import annotations

import json

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait
from sqlmodel import Session, select

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
from tracker.models import AuditEvent, Person
from tracker.services import reference
from tracker.services.auth import verify_password

NEW_DEFINITION = "Slipping: the subgroup expects to recover it before the next board meeting."
NEW_PASSWORD = "welcome-to-the-cdp-1"


def css_id(component_id: dict) -> str:
    """A CSS selector for a pattern-matching id, as Dash writes it into the page."""
    return "[id='" + json.dumps(component_id, sort_keys=True, separators=(",", ":")) + "']"


def type_into(dash_duo, selector: str, text: str) -> None:
    box = dash_duo.wait_for_element(selector)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(text)


def wait_for_text(dash_duo, selector: str, text: str, timeout: float = 15) -> None:
    # A callback may redraw the element while we read it: a stale element means "look again".
    WebDriverWait(dash_duo.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda driver: any(text in e.text for e in driver.find_elements("css selector", selector)),
        f"{text!r} did not appear in {selector}",
    )


def open_admin_page(dash_duo, path: str, ready: str) -> None:
    open_page(dash_duo, path)
    dash_duo.wait_for_element(ready, timeout=15)
    wait_until_settled(dash_duo)


def test_admin_adds_a_person_and_redefines_amber_which_the_overview_legend_then_shows(tracker_duo, engine):
    dash_duo = tracker_duo
    sign_in(dash_duo, DEMO_EMAILS["admin"])
    # The nav offers the admin pages to an admin.
    assert dash_duo.find_element("a.nav-link[href='/admin']").text == "Admin"

    # 1. Add a person.
    open_admin_page(dash_duo, "/admin/people", form_css("person-new", "name"))
    assert_no_serious_axe_violations(dash_duo, "people and roles page")
    type_into(dash_duo, form_css("person-new", "name"), "Nadia Rahman")
    type_into(dash_duo, form_css("person-new", "email"), "Nadia.Rahman@Council.example.org")
    type_into(dash_duo, form_css("person-new", "organisation"), "West Northamptonshire Council")
    type_into(dash_duo, form_css("person-new", "job_title"), "Public Health Analyst")
    Select(dash_duo.find_element(form_css("person-new", "sector"))).select_by_visible_text("Public health")
    Select(dash_duo.find_element(form_css("person-new", "role"))).select_by_visible_text("Member")
    # First with a password too short: the field says what to fix, and nothing is added.
    type_into(dash_duo, form_css("person-new", "password"), "too-short")
    dash_duo.find_element("#person-new-submit").click()
    wait_for_text(dash_duo, form_css("person-new", "password", "feedback"), "at least 12 characters")
    assert "is-invalid" in dash_duo.find_element(form_css("person-new", "password")).get_attribute("class")
    assert_no_serious_axe_violations(dash_duo, "people and roles page showing an error")
    type_into(dash_duo, form_css("person-new", "password"), NEW_PASSWORD)
    dash_duo.find_element("#person-new-submit").click()
    wait_for_text(dash_duo, "#people-done", "Nadia Rahman was added as member")
    wait_for_text(dash_duo, "#people-table-grid", "nadia.rahman@council.example.org")
    assert dash_duo.find_element(form_css("person-new", "name")).get_attribute("value") == ""
    with Session(engine) as session:
        nadia = session.exec(select(Person).where(Person.email == "nadia.rahman@council.example.org")).one()
        assert (nadia.role, nadia.sector, nadia.job_title) == ("member", "public_health", "Public Health Analyst")
        assert verify_password(nadia.password_hash, NEW_PASSWORD)

    # ... and make her a chair from her row of the table.
    Select(dash_duo.find_element(css_id({"type": "person-role", "person": nadia.id}))).select_by_value("chair")
    dash_duo.find_element(css_id({"type": "person-role-save", "person": nadia.id})).click()
    wait_for_text(dash_duo, "#people-done", "Nadia Rahman is now chair")

    # 2. Say what Amber means.
    open_admin_page(dash_duo, "/admin/rag", css_id({"form": "rag", "code": "amber", "field": "definition"}))
    assert_no_serious_axe_violations(dash_duo, "RAG scale page")
    # A colour the label cannot be read on is refused beside the field.
    type_into(dash_duo, css_id({"form": "rag", "code": "amber", "field": "colour"}), "#333333")
    dash_duo.find_element(css_id({"type": "rag-save", "code": "amber"})).click()
    wait_for_text(dash_duo, css_id({"form": "rag-feedback", "code": "amber", "field": "colour"}), "4.5:1")
    type_into(dash_duo, css_id({"form": "rag", "code": "amber", "field": "colour"}), "#ffdd00")
    type_into(dash_duo, css_id({"form": "rag", "code": "amber", "field": "definition"}), NEW_DEFINITION)
    dash_duo.find_element(css_id({"type": "rag-save", "code": "amber"})).click()
    wait_for_text(dash_duo, css_id({"type": "rag-msg", "code": "amber"}), "Amber saved.")
    with Session(engine) as session:
        partnership = reference.get_partnership(session)
        assert reference.rag_by_code(session, partnership.id)["amber"].definition == NEW_DEFINITION

    # 3. The overview's legend uses the new words.
    open_page(dash_duo, "/")
    wait_for_overview(dash_duo)
    dash_duo.find_element("#rag-legend-heading-summary").click()  # the key is a disclosure
    wait_for_text(dash_duo, ".rag-legend", NEW_DEFINITION)

    # 4. The audit trail shows both changes, newest first, with the values before and after.
    open_admin_page(dash_duo, "/audit", "#audit-table")
    rows = dash_duo.find_elements("#audit-table tbody tr")
    assert "RAG colour" in rows[0].text and NEW_DEFINITION in rows[0].text
    assert "Role: Member → Chair" in rows[1].text
    assert "Nadia Rahman" in rows[2].text
    assert_no_serious_axe_violations(dash_duo, "audit trail")
    # Filter by type of record.
    Select(dash_duo.find_element(form_css("audit", "entity_type"))).select_by_visible_text("Person")
    wait_for_text(dash_duo, "#audit-count", "2 changes")
    wait_until_settled(dash_duo)
    assert all("Person" in r.text for r in dash_duo.find_elements("#audit-table tbody tr"))
    with Session(engine) as session:
        assert session.exec(select(AuditEvent).where(AuditEvent.entity_type == "RagLevel")).first() is not None
    assert browser_errors(dash_duo) == []


def test_admin_and_audit_pages_are_accessible(tracker_duo):
    dash_duo = tracker_duo
    sign_in(dash_duo, DEMO_EMAILS["admin"])
    open_admin_page(dash_duo, "/admin", "#admin-link-people")
    assert_no_serious_axe_violations(dash_duo, "administration page")

    open_admin_page(dash_duo, "/admin/subgroups", form_css("sg-edit", "name"))
    assert_no_serious_axe_violations(dash_duo, "subgroups admin page")
    # Set up a subgroup with a bad code: the message sits beside the field.
    type_into(dash_duo, form_css("sg-new", "code"), "T1")
    type_into(dash_duo, form_css("sg-new", "name"), "Workforce development")
    dash_duo.find_element("#sg-new-submit").click()
    wait_for_text(dash_duo, form_css("sg-new", "code", "feedback"), "2 to 6 capital letters")
    assert_no_serious_axe_violations(dash_duo, "subgroups admin page showing an error")
    type_into(dash_duo, form_css("sg-new", "code"), "WFD")
    first_theme = dash_duo.find_elements("[id^='{\"theme\":'][id$='\"type\":\"sg-new-theme\"}']")[0]
    first_theme.click()
    dash_duo.find_element("#sg-new-submit").click()
    wait_for_text(dash_duo, "#subgroups-done", "Subgroup WFD Workforce development was set up")

    open_admin_page(dash_duo, "/audit", "#audit-table")
    assert_no_serious_axe_violations(dash_duo, "audit trail")
    # A date range that ends before it starts is refused beside the field.
    type_into(dash_duo, form_css("audit", "date_from"), "01012026")
    type_into(dash_duo, form_css("audit", "date_to"), "01012025")
    wait_for_text(dash_duo, form_css("audit", "date_to", "feedback"), "cannot be before the start date")
    assert_no_serious_axe_violations(dash_duo, "audit trail showing an error")
    assert browser_errors(dash_duo) == []


def test_the_chair_sees_the_audit_trail_but_not_the_admin_pages(tracker_duo):
    dash_duo = tracker_duo
    sign_in(dash_duo, DEMO_EMAILS["chair"])
    assert dash_duo.find_elements("a.nav-link[href='/admin']") == []
    assert dash_duo.find_element("a.nav-link[href='/audit']").text == "Audit trail"
    open_admin_page(dash_duo, "/audit", "#audit-filters")
    open_admin_page(dash_duo, "/admin/people", "#access-refused")
    assert "Only an administrator" in dash_duo.find_element("#access-refused").text
    assert dash_duo.find_elements(form_css("person-new", "name")) == []
    assert_no_serious_axe_violations(dash_duo, "refusal page")


def test_a_viewer_is_refused_the_audit_trail(tracker_duo):
    dash_duo = tracker_duo
    sign_in(dash_duo, DEMO_EMAILS["viewer"])
    assert dash_duo.find_elements("a.nav-link[href='/audit']") == []
    open_admin_page(dash_duo, "/audit", "#access-refused")
    assert "Only the chair or an administrator" in dash_duo.find_element("#access-refused").text
    assert dash_duo.find_elements("#audit-table") == []
