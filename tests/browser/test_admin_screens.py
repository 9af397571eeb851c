"""The admin screens for embed tokens, themes and objectives, and thresholds, in a real browser: what an
administrator does on each, what a refused input shows, and axe-core on each page (nothing serious)."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from sqlmodel import Session, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    css_id,
    form_css,
    open_page,
    sign_in,
    wait_until_settled,
)
from tests.browser.test_admin import type_into, wait_for_text
from tests.conftest import DEMO_EMAILS, TODAY
from tracker.models import EmbedToken, Objective, Partnership, Theme
from tracker.services import embeds


def open_admin(duo, path: str, ready: str) -> None:
    open_page(duo, path)
    duo.wait_for_element(ready, timeout=15)
    wait_until_settled(duo)


def test_admin_creates_and_revokes_an_embed_token(tracker_duo, engine):
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    nav = tracker_duo.driver.find_element(By.TAG_NAME, "nav").text
    assert "Embeds" in nav and "Strategy" in nav and "Thresholds" in nav  # in the navbar for an admin
    open_admin(tracker_duo, "/admin/embeds", "#embed-create")
    assert tracker_duo.driver.title.startswith("Embed tokens")
    assert_no_serious_axe_violations(tracker_duo, "embed tokens")

    tracker_duo.find_element("#embed-create").click()  # nothing filled in: refused, by field
    wait_for_text(tracker_duo, "#embed-error", "Say where the embed will be used")
    with Session(engine) as s:
        assert s.exec(select(EmbedToken)).all() == []

    type_into(tracker_duo, form_css("embed", "label"), "Intranet: CDP home page")
    Select(tracker_duo.find_element(form_css("embed", "scope"))).select_by_value("overview")
    tracker_duo.find_element("#embed-create").click()
    alert = tracker_duo.wait_for_element("#embed-created-alert", timeout=15)
    assert "Copy it now: it is not shown again" in alert.text
    plain = tracker_duo.find_element("#embed-token-value").text
    assert f"/embed/overview?token={plain}" in tracker_duo.find_element("#embed-snippet").text
    with Session(engine) as s:
        row = s.exec(select(EmbedToken)).one()
        assert row.expires_on is not None and row.expires_on > TODAY
        assert embeds.resolve(s, plain, "overview", TODAY) == row.partnership_id
    assert tracker_duo.find_element(f"#embed-state-{row.id}").text == "Active"
    assert_no_serious_axe_violations(tracker_duo, "embed tokens, with a new token shown")

    tracker_duo.find_element(css_id({"type": "embed-revoke", "id": row.id})).click()
    wait_for_text(tracker_duo, "#embed-revoke-message", "is revoked")
    assert tracker_duo.find_element(f"#embed-state-{row.id}").text == "Revoked"
    with Session(engine) as s:
        assert embeds.resolve(s, plain, "overview", TODAY) is None
    assert browser_errors(tracker_duo) == []


def test_admin_renames_a_theme_retires_an_objective_and_is_told_what_to_fix(tracker_duo, engine):
    with Session(engine) as s:
        theme = s.exec(select(Theme).order_by(Theme.number)).first()
        objective = s.exec(select(Objective).where(Objective.theme_id == theme.id).order_by(Objective.code)).first()
        theme_id, objective_id, number = theme.id, objective.id, theme.number
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    open_admin(tracker_duo, "/admin/strategy", f"#theme-section-{theme_id}")
    assert_no_serious_axe_violations(tracker_duo, "themes and objectives")

    type_into(tracker_duo, css_id({"type": "theme-name", "id": theme_id}), "Disrupting drug supply")
    tracker_duo.find_element(css_id({"type": "theme-save", "id": theme_id})).click()
    wait_for_text(tracker_duo, css_id({"type": "theme-msg", "id": theme_id}), f"Theme {number} saved.")

    tracker_duo.find_element(css_id({"type": "objective-retire", "id": objective_id})).click()
    wait_for_text(tracker_duo, "#strategy-done", "retired: it is no longer offered for new work")
    assert "Retired" in tracker_duo.find_element(f"#objective-row-{objective_id}").text
    with Session(engine) as s:
        assert s.get(Theme, theme_id).name == "Disrupting drug supply" and s.get(Objective, objective_id).retired

    type_into(tracker_duo, form_css("new-theme", "number"), str(number))
    type_into(tracker_duo, form_css("new-theme", "name"), "Housing")
    tracker_duo.find_element("#add-theme").click()
    wait_for_text(tracker_duo, "#add-theme-error", f"Theme {number} already exists: choose another number")
    assert tracker_duo.find_element(form_css("new-theme", "number")).get_attribute("aria-invalid") == "true"
    assert_no_serious_axe_violations(tracker_duo, "themes and objectives, with a refused theme")
    assert browser_errors(tracker_duo) == []


def test_admin_changes_the_thresholds(tracker_duo, engine):
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    open_admin(tracker_duo, "/admin/thresholds", "#thresholds-save")
    assert "10%" in tracker_duo.find_element("#thresholds-indicator-rule").text
    assert_no_serious_axe_violations(tracker_duo, "thresholds")
    type_into(tracker_duo, "#threshold-stale-after-days", "3")
    tracker_duo.find_element("#thresholds-save").click()
    wait_for_text(tracker_duo, "#thresholds-error", "Nothing was saved")
    type_into(tracker_duo, "#threshold-stale-after-days", "60")
    tracker_duo.find_element("#thresholds-save").click()
    wait_for_text(tracker_duo, "#thresholds-saved", "Thresholds saved.")
    with Session(engine) as s:
        assert s.exec(select(Partnership)).first().stale_after_days == 60
    assert browser_errors(tracker_duo) == []


def test_the_admin_screens_are_refused_to_a_chair(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    assert "Embeds" not in tracker_duo.driver.find_element(By.TAG_NAME, "nav").text
    for path in ("/admin/embeds", "/admin/strategy", "/admin/thresholds"):
        open_page(tracker_duo, path)
        assert "Only an administrator" in tracker_duo.wait_for_element("#access-refused", timeout=15).text
