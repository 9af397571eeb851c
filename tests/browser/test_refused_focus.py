"""A refused save moves focus to the error summary, which may be far from the Save button; each link
in the summary moves focus to its field. On the mini partnership: the lead's terms-of-reference form
on the Treatment and recovery subgroup's page."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import form_css, sign_in
from tests.browser.test_navigation import click, go, ids, open_tor_form, set_date, wait_for_text
from tests.conftest import DEMO_EMAILS
from tracker.web.components.forms import dom_id


@pytest.fixture
def engine(mini_engine: Engine) -> Engine:
    return mini_engine


def focused_id(duo) -> str:
    return duo.driver.switch_to.active_element.get_attribute("id")


def test_a_refused_save_moves_focus_to_the_error_summary_and_its_links_to_the_fields(tracker_duo, session):
    duo = tracker_duo
    sign_in(duo, DEMO_EMAILS["lead"])
    go(duo, f"/subgroup/{ids(session)['sub:TR']}", "#tor-current-version")
    open_tor_form(duo)
    set_date(duo, form_css("tor", "approved_on"), "2026-11-20")
    set_date(duo, form_css("tor", "review_due"), "2026-11-01")  # before the approval: refused
    click(duo, duo.find_element("#tor-form-save"))
    wait_for_text(duo, "#tor-form-message", "Nothing was saved")
    # The summary has focus (so a screen reader reads it, and it is scrolled into view) ...
    assert focused_id(duo) == "tor-form-message"
    in_view = duo.driver.execute_script(
        "const r = document.getElementById('tor-form-message').getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight;")
    assert in_view
    # ... and its link takes focus to the field to fix.
    duo.find_element("#tor-form-message a").click()
    assert focused_id(duo) == dom_id({"form": "tor", "field": "review_due"})
    assert_no_serious_axe_violations(duo, "terms-of-reference form after a refused save")
