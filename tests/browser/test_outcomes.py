"""Outcomes and indicators in a real browser: CSV upload (good and bad), entering a value by form,
the chair's golden thread with its gaps, and axe-core on the three pages."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    form_css,
    open_page,
    sign_in,
    wait_until_settled,
)
from tests.conftest import DEMO_EMAILS
from tracker.models import AuditEvent, Indicator, IndicatorValue

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOOD_CSV = FIXTURES / "indicator_values_good.csv"
BAD_CSV = FIXTURES / "indicator_values_bad.csv"


def _indicator_id(engine: Engine, code: str) -> int:
    with Session(engine) as s:
        return s.exec(select(Indicator.id).where(Indicator.code == code)).one()


def _value_count(engine: Engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(IndicatorValue)).one()


def _upload(dash_duo, path: Path) -> None:
    """Give the file to dcc.Upload's native file input, as the browser's file chooser would."""
    file_input = dash_duo.wait_for_element("#values-upload input[type=file]")
    wait_until_settled(dash_duo)
    file_input.send_keys(str(path))


def test_admin_uploads_a_csv_and_sees_the_new_values(tracker_duo, engine):
    before = _value_count(engine)
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    open_page(tracker_duo, "/indicators")
    tracker_duo.wait_for_element("#indicators-by-outcome")
    _upload(tracker_duo, GOOD_CSV)

    message = tracker_duo.wait_for_element("#upload-success", timeout=15)
    assert "Saved 3 values from indicator_values_good.csv" in message.text
    assert "N-I2-ADULTS: 1 value" in message.text
    assert _value_count(engine) == before + 3

    # The indicator's page shows the new value, in the table and in the chart's summary.
    open_page(tracker_duo, f"/indicator/{_indicator_id(engine, 'N-I2-ADULTS')}")
    row = tracker_duo.wait_for_element("#value-row-2026-10")
    assert "3,612" in row.text and "12 months to October 2026" in row.text
    assert "Oct 2026 (3,612)" in tracker_duo.find_element("#indicator-chart-summary").text
    assert tracker_duo.find_element("#indicator-status").text.strip()  # a status in words
    assert browser_errors(tracker_duo) == []


def test_a_csv_with_bad_rows_lists_them_and_writes_nothing(tracker_duo, engine):
    before_values = _value_count(engine)
    with Session(engine) as s:
        before_audit = s.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type != "Account")).one()
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    open_page(tracker_duo, "/indicators")
    _upload(tracker_duo, BAD_CSV)

    table = tracker_duo.wait_for_element("#upload-errors", timeout=15)
    heading = tracker_duo.find_element("#upload-error-heading").text
    assert heading.startswith("Nothing was saved")
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    found = {(r[0], r[1]) for r in rows}
    assert {("3", "period"), ("4", "indicator_code"), ("5", "value"), ("5", "period")} <= found
    assert not any(r[0] == "2" for r in rows)  # the good row has nothing to fix ...
    assert _value_count(engine) == before_values  # ... but was not written either
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type != "Account")).one() == before_audit
    assert any("months run from 01 to 12" in r[2] for r in rows)
    assert any("no indicator with the code 'N-XX-UNKNOWN'" in r[2] for r in rows)


def test_a_lead_enters_a_value_by_form(tracker_duo, engine):
    # The treatment lead's action TR-03 is linked to N-I2-ADULTS.
    sign_in(tracker_duo, DEMO_EMAILS["lead"])
    open_page(tracker_duo, f"/indicator/{_indicator_id(engine, 'N-I2-ADULTS')}")
    tracker_duo.wait_for_element(form_css("indicator-value", "period"))
    wait_until_settled(tracker_duo)
    tracker_duo.find_element(form_css("indicator-value", "period")).send_keys("2026-13")
    tracker_duo.find_element(form_css("indicator-value", "value")).send_keys("3620")
    tracker_duo.find_element("#value-submit").click()
    summary = tracker_duo.wait_for_element("#value-error-summary")
    assert "months run from 01 to 12" in summary.text
    assert "is-invalid" in tracker_duo.find_element(form_css("indicator-value", "period")).get_attribute("class")

    period = tracker_duo.find_element(form_css("indicator-value", "period"))
    period.clear()
    period.send_keys("2026-10")
    tracker_duo.find_element("#value-submit").click()
    tracker_duo.wait_for_text_to_equal("#value-row-2026-10 td:nth-child(3)", "3,620")
    assert "Saved 3,620 for Oct 2026" in tracker_duo.find_element("#value-success").text


def test_a_viewer_sees_no_upload_and_no_value_form(tracker_duo, engine):
    sign_in(tracker_duo, DEMO_EMAILS["viewer"])
    open_page(tracker_duo, "/indicators")
    tracker_duo.wait_for_element("#indicators-by-outcome")
    assert tracker_duo.driver.find_elements(By.ID, "values-upload") == []
    open_page(tracker_duo, f"/indicator/{_indicator_id(engine, 'N-I2-ADULTS')}")
    tracker_duo.wait_for_element("#value-not-allowed")
    assert tracker_duo.driver.find_elements(By.ID, "value-submit") == []


def test_chair_reads_the_golden_thread_and_sees_the_gaps(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, "/golden-thread")
    tracker_duo.wait_for_element("#gaps")
    assert tracker_duo.driver.title.startswith("Progress against CDP goals")
    # A national measure that no action is linked to, and an indicator with nothing since its baseline.
    measure = tracker_duo.find_element("#gap-measure-N-S1-OCU")
    assert "Prevalence of opiate and/or crack cocaine use" in measure.text
    assert "national headline measure" in measure.text
    no_data = tracker_duo.find_element("#gap-nodata-L-DRD-NNC-3YR")
    assert "No data since baseline" in no_data.text
    assert "gaps in the thread" in tracker_duo.find_element("#gaps-summary").text
    # The summary names every theme with its RAG in words; one theme is shown at a time, and the
    # summary's link opens theme 2 (a shareable ?theme= address).
    assert "Green" in tracker_duo.find_element("#thread-summary-2").text
    tracker_duo.find_element("#thread-theme-1")
    assert tracker_duo.driver.find_elements(By.ID, "thread-theme-2") == []
    tracker_duo.find_element("#thread-open-2").click()
    # The thread itself: theme 2's objectives with actions (RAG in words), indicators and maturity.
    theme = tracker_duo.wait_for_element("#thread-theme-2")
    assert "theme=" in tracker_duo.driver.current_url
    assert "Theme 2" in theme.text
    page = tracker_duo.find_element("#main").text
    assert "On track" in page or "At risk" in page or "Off track" in page
    assert "not assessed" in page or "median level" in page


def test_indicators_list_is_accessible(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["admin"])  # the admin also sees the upload
    open_page(tracker_duo, "/indicators")
    tracker_duo.wait_for_element("#values-upload input[type=file]")
    wait_until_settled(tracker_duo)
    assert tracker_duo.driver.title.startswith("Outcomes and indicators")
    tracker_duo.find_element("#new-summary").click()  # open the admin's form, so axe checks its fields
    tracker_duo.wait_for_element(form_css("indicator-new", "code"))
    assert_no_serious_axe_violations(tracker_duo, "indicators page")

    # The upload is reachable from the keyboard: Tab from the control before it lands on the file
    # input, which is named by its label (Enter or Space then opens the file chooser).
    driver = tracker_duo.driver
    driver.find_element(By.CSS_SELECTOR, "#upload-section details summary").send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.get_attribute("type") == "file"
    assert active == driver.find_element(By.CSS_SELECTOR, "#values-upload input[type=file]")
    assert driver.execute_script(
        "return arguments[0].closest('label').textContent", active).startswith("Choose a CSV file")
    _upload(tracker_duo, BAD_CSV)
    tracker_duo.wait_for_element("#upload-errors", timeout=15)
    assert_no_serious_axe_violations(tracker_duo, "indicators page with upload errors")


def test_indicator_page_is_accessible(tracker_duo, engine):
    sign_in(tracker_duo, DEMO_EMAILS["admin"])  # with the value form and the definition form
    open_page(tracker_duo, f"/indicator/{_indicator_id(engine, 'N-I2-CONTINUITY')}")
    tracker_duo.wait_for_element("#indicator-chart .main-svg")
    wait_until_settled(tracker_duo)
    assert tracker_duo.driver.title.startswith("N-I2-CONTINUITY")
    tracker_duo.find_element("#def-summary").click()  # the definition form too
    tracker_duo.wait_for_element(form_css("indicator-def", "name"))
    assert_no_serious_axe_violations(tracker_duo, "indicator page")


def test_golden_thread_is_accessible(tracker_duo):
    sign_in(tracker_duo, DEMO_EMAILS["chair"])
    open_page(tracker_duo, "/golden-thread")
    tracker_duo.wait_for_element("#gaps")
    wait_until_settled(tracker_duo)
    assert_no_serious_axe_violations(tracker_duo, "golden thread page")


def test_admin_adds_a_local_indicator(tracker_duo, engine):
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    open_page(tracker_duo, "/indicators")
    tracker_duo.wait_for_element("#new-summary")
    wait_until_settled(tracker_duo)
    tracker_duo.find_element("#new-summary").click()
    tracker_duo.wait_for_element(form_css("indicator-new", "code")).send_keys("L-DETOX")
    tracker_duo.find_element(form_css("indicator-new", "name")).send_keys("Inpatient detox placements")
    tracker_duo.find_element(form_css("indicator-new", "baseline_value")).send_keys("12")
    tracker_duo.find_element("#new-submit").click()
    # A baseline value without its period is refused, with the field marked.
    summary = tracker_duo.wait_for_element("#new-error-summary")
    assert "Give both the baseline value and its period" in summary.text
    assert "is-invalid" in tracker_duo.find_element(form_css("indicator-new", "baseline_period")).get_attribute("class")

    tracker_duo.find_element(form_css("indicator-new", "baseline_period")).send_keys("2023/24")
    tracker_duo.find_element("#new-submit").click()
    assert "Added L-DETOX" in tracker_duo.wait_for_element("#new-success").text
    tracker_duo.wait_for_element("#indicator-row-L-DETOX")
    assert "No data since baseline" in tracker_duo.find_element("#indicator-row-L-DETOX").text
    with Session(engine) as s:
        assert s.exec(select(Indicator).where(Indicator.code == "L-DETOX")).one().baseline_period == "2023/24"
