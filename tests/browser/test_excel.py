"""The plan in Excel, in a real browser: the admin uploads an edited export, sees the preview, confirms
and sees the changed action; a bad workbook lists its problems and writes nothing; the download links
save the whole plan and the overview's filtered view (their content is tested in
tests/unit/test_excel_export.py and test_excel_download.py); axe-core on /plan/transfer.

The workbooks are built in the test from the app's own export, with openpyxl, under pytest's tmp_path.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    css_id,
    open_page,
    sign_in,
    wait_until_settled,
)
from tests.browser.test_admin import wait_for_text
from tests.browser.test_board import wait_for_file
from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tracker.models import Action, AuditEvent, StatusUpdate, Subgroup
from tracker.services import excel

DUE = excel.HEADINGS.index("Due") + 1
RAG = excel.HEADINGS.index("RAG") + 1
NARRATIVE = excel.HEADINGS.index("Latest narrative") + 1


def edited_export(engine: Engine, path: Path, edits: dict[tuple[str, int], object]) -> Path:
    """The admin's export of the plan with some cells changed ({(ref, column number): value})."""
    with Session(engine) as session:
        content = excel.export_plan(session, person_by_email(session, DEMO_EMAILS["admin"]), TODAY).content
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Plan"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for (ref, col), value in edits.items():
        ws.cell(row=rows[ref], column=col).value = value
    wb.save(path)
    return path


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as s:
        # Audit events of changes only: signing in is audited too (entity "Account"), and saves nothing.
        changes = select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type != "Account")
        return (*(s.exec(select(func.count()).select_from(m)).one() for m in (Action, StatusUpdate)),
                s.exec(changes).one())


def action_id(engine: Engine, ref: str) -> int:
    with Session(engine) as s:
        return s.exec(select(Action.id).where(Action.ref == ref)).one()


def upload(dash_duo, path: Path) -> None:
    """Give the file to dcc.Upload's native file input, as the browser's file chooser would."""
    file_input = dash_duo.wait_for_element("#plan-upload input[type=file]")
    wait_until_settled(dash_duo)
    file_input.send_keys(str(path))


def open_transfer(dash_duo) -> None:
    open_page(dash_duo, "/plan/transfer")
    dash_duo.wait_for_element("#export-button")
    wait_until_settled(dash_duo)


def test_admin_imports_an_edited_export_after_a_preview(tracker_duo, engine, tmp_path):
    path = edited_export(engine, tmp_path / "plan-edited.xlsx", {
        ("TR-03", DUE): "30/06/2027",
        ("TR-04", RAG): "Red",
        ("TR-04", NARRATIVE): "The provider has withdrawn: the board must decide.",
    })
    before = counts(engine)
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    open_transfer(tracker_duo)
    assert not tracker_duo.find_element("#import-confirm").is_displayed()
    upload(tracker_duo, path)

    preview = tracker_duo.wait_for_element("#import-preview", timeout=15)
    assert preview.get_attribute("role") == "alert"
    assert "Check the changes before importing plan-edited.xlsx" in preview.text
    assert tracker_duo.find_element("#count-created").text == "0 actions would be created"
    assert tracker_duo.find_element("#count-changed").text == "1 action would be changed"
    assert tracker_duo.find_element("#count-updated").text == "1 action would get a new status update"
    assert tracker_duo.find_element("#count-unchanged").text.endswith("actions unchanged")
    rows = tracker_duo.find_element("#import-preview-rows").text
    assert "Due: 31/03/2027 → 30/06/2027" in rows and "New update: Red" in rows
    assert counts(engine) == before  # nothing saved until Import

    confirm = tracker_duo.find_element("#import-confirm")
    assert confirm.is_displayed()
    confirm.click()
    success = tracker_duo.wait_for_element("#import-success", timeout=15)
    assert "Imported plan-edited.xlsx" in success.text
    assert tracker_duo.find_element("#count-changed").text == "1 action changed"
    assert not tracker_duo.find_element("#import-confirm").is_displayed()
    actions_before, updates_before, audit_before = before
    # audited: the edit, its due-date change (with the import as its reason), the update, the import
    assert counts(engine) == (actions_before, updates_before + 1, audit_before + 4)

    # The changed action, as its page shows it; the row of the success table links to it.
    link = tracker_duo.driver.find_element(By.CSS_SELECTOR, "#import-done-rows a")
    assert link.text == "TR-03"
    link.click()
    assert tracker_duo.wait_for_element("#action-due").text == "30 June 2027"
    open_page(tracker_duo, f"/action/{action_id(engine, 'TR-04')}")
    assert "Red" in tracker_duo.wait_for_element("#action-current-rag").text
    assert "The provider has withdrawn" in tracker_duo.find_element("#history-list").text
    assert browser_errors(tracker_duo) == []


def test_a_bad_workbook_lists_its_problems_and_saves_nothing(tracker_duo, engine, tmp_path):
    path = edited_export(engine, tmp_path / "plan-bad.xlsx", {
        ("TR-03", DUE): "31/02/2027",
        ("TR-04", RAG): "Purple",
        ("TR-05", DUE): "30/06/2027",  # fine on its own, but not saved either
    })
    before = counts(engine)
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    open_transfer(tracker_duo)
    upload(tracker_duo, path)
    heading = tracker_duo.wait_for_element("#import-error-heading", timeout=15)
    assert heading.text.startswith("Nothing was saved: the file has 2 problems in 2 rows")
    assert tracker_duo.find_element("#import-rejected").get_attribute("role") == "alert"
    table = tracker_duo.find_element("#import-errors").text
    assert "Due 31/02/2027 is not a real date" in table, table
    assert "RAG 'Purple' is not on the partnership's RAG scale" in table
    assert not tracker_duo.find_element("#import-confirm").is_displayed()
    assert counts(engine) == before


def downloaded_refs(dash_duo, link_css: str) -> list[str]:
    """Follow a download link as a person would, and the refs of the workbook the browser saved."""
    folder = Path(dash_duo.download_path)
    for old in folder.glob("*.xlsx"):
        old.unlink()
    dash_duo.find_element(link_css).click()
    book = load_workbook(io.BytesIO(wait_for_file(folder, ".xlsx").read_bytes()))
    return [row[0] for row in book["Plan"].iter_rows(min_row=2, values_only=True)]


def test_the_downloads_save_the_plan_and_the_overviews_view(tracker_duo, engine):
    sign_in(tracker_duo, DEMO_EMAILS["viewer"])  # anyone signed in may export, but only some may import
    open_transfer(tracker_duo)
    assert tracker_duo.find_element("#export-button").text == "Download the delivery plan (.xlsx)"
    refs = downloaded_refs(tracker_duo, "#export-button")
    assert "SUP-04" in refs and len(refs) == counts(engine)[0]  # the whole plan, the cancelled action too
    assert tracker_duo.driver.find_elements(By.ID, "plan-upload") == []
    assert "Only an administrator or a subgroup lead" in tracker_duo.find_element("#import-not-allowed").text

    # The overview's link saves the view as filtered there, and the overview stays open.
    with Session(engine) as s:
        supply = s.exec(select(Subgroup.id).where(Subgroup.code == "SUP")).one()
    open_page(tracker_duo, f"/?subgroup={supply}")
    wait_until_settled(tracker_duo)
    link = tracker_duo.find_element("#overview-export-button")
    assert link.text == "Download this view as Excel (.xlsx)"
    assert link.get_attribute("href").endswith(f"/plan/overview.xlsx?subgroup={supply}")
    refs = downloaded_refs(tracker_duo, "#overview-export-button")
    assert refs and all(ref.startswith("SUP-") for ref in refs) and "SUP-04" not in refs
    assert tracker_duo.find_element("#headline-total")  # still on the overview
    assert tracker_duo.find_element("#overview-transfer-link").get_attribute("href").endswith("/plan/transfer")
    assert browser_errors(tracker_duo) == []


def has_download(dash_duo, component_id: str) -> bool:
    """Whether the page's layout holds a dcc.Download with this id (it renders nothing to see)."""
    wait_until_settled(dash_duo)
    return dash_duo.driver.execute_script("""
        const want = arguments[0];
        const seen = new Set();
        function find(node) {
            if (!node || typeof node !== 'object' || seen.has(node)) return false;
            seen.add(node);
            if (node.type === 'Download' && node.namespace === 'dash_core_components'
                && node.props && node.props.id === want) return true;
            return Object.values(node).some(find);
        }
        return find(window.store.getState().layout);
    """, component_id)


def test_transfer_page_is_accessible(tracker_duo, engine, tmp_path):
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    open_transfer(tracker_duo)
    assert tracker_duo.driver.title.startswith("Export and import the plan")
    assert has_download(tracker_duo, "template-download")
    assert tracker_duo.find_element("#template-button").text == "Download the blank template (.xlsx)"
    assert_no_serious_axe_violations(tracker_duo, "export and import page")

    # The upload is reachable from the keyboard: Tab from the control before it lands on the file input,
    # which is named by its label (Enter or Space then opens the file chooser).
    driver = tracker_duo.driver
    driver.find_element(By.ID, "template-button").send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.get_attribute("type") == "file"
    assert active == driver.find_element(By.CSS_SELECTOR, "#plan-upload input[type=file]")
    assert driver.execute_script(
        "return arguments[0].closest('label').textContent", active).startswith("Choose an Excel workbook")

    upload(tracker_duo, edited_export(engine, tmp_path / "plan.xlsx", {("TR-03", DUE): "30/06/2027"}))
    tracker_duo.wait_for_element("#import-preview", timeout=15)
    assert_no_serious_axe_violations(tracker_duo, "export and import page with a preview")
    upload(tracker_duo, edited_export(engine, tmp_path / "bad.xlsx", {("TR-03", DUE): "31/02/2027"}))
    tracker_duo.wait_for_element("#import-errors", timeout=15)
    assert_no_serious_axe_violations(tracker_duo, "export and import page with problems listed")


def test_admin_imports_a_councils_own_spreadsheet_after_choosing_its_columns(tracker_duo, engine, tmp_path):
    """A council's plan (a cover sheet, merged title rows, its own headings, G/A/R/C, "Mar-27", "Ongoing"):
    the sheet and headings are found, the columns guessed and shown for checking, then the usual preview."""
    from tests.unit.test_excel_mapping import council_workbook

    path = tmp_path / "council-plan.xlsx"
    path.write_bytes(council_workbook())
    before = counts(engine)
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    open_transfer(tracker_duo)
    upload(tracker_duo, path)

    # The panel may be redrawn while it is read (the remembered choices arrive): wait for its words.
    wait_for_text(tracker_duo, "#import-mapping-panel", "Choose how to read council-plan.xlsx")
    wait_until_settled(tracker_duo)
    assert tracker_duo.find_element("#map-sheet").get_attribute("value") == "Action plan 2025-26"
    assert tracker_duo.find_element("#map-header-row").get_attribute("value") == "4"

    def read_as(index: int) -> str:
        return tracker_duo.find_element(css_id({"type": "map-field", "index": index})).get_attribute("value")

    assert [read_as(i) for i in range(4)] == ["their_ref", "", "subgroup", "title"]  # No., Theme, Workstream, Action
    assert read_as(4) == "owner" and read_as(6) == "due_date" and read_as(7) == "rag"
    assert "Map county lines activity" in tracker_duo.find_element("#map-sample").text
    assert not tracker_duo.find_element("#import-confirm").is_displayed()
    assert_no_serious_axe_violations(tracker_duo, "import: choosing the columns")

    tracker_duo.driver.find_element(By.ID, "map-words-blank").click()
    tracker_duo.find_element("#map-check").click()
    tracker_duo.wait_for_element("#import-preview", timeout=15)
    assert tracker_duo.find_element("#count-created").text == "4 actions would be created"
    warnings = tracker_duo.find_element("#import-warnings").text
    assert "Row 9, Due: 'Ongoing' read as no date" in warnings and "section heading and skipped" in warnings
    readings = tracker_duo.find_element("#import-readings").text
    assert "Amber/Green Amber" in readings and "Supply & Enforcement Supply and Enforcement Subgroup" in readings
    assert counts(engine) == before  # nothing saved until Import
    assert_no_serious_axe_violations(tracker_duo, "import: the preview of a council's sheet")

    tracker_duo.find_element("#import-confirm").click()
    assert "4 actions created" in tracker_duo.wait_for_element("#import-success", timeout=15).text
    assert counts(engine)[0] == before[0] + 4
    assert browser_errors(tracker_duo) == []


def test_re_importing_the_councils_changed_sheet_updates_its_actions_with_the_choices_remembered(
        tracker_duo, engine, tmp_path):
    """The council's sheet a month on: the column choices of the first import are offered again, each row
    is matched by the council's own reference ("Updates", "No change", "New"), a row older than the
    tracker changes nothing and says so, and importing it writes just that."""
    from tests.unit.test_excel_mapping import council_workbook
    from tests.unit.test_excel_reimport import CHANGED, first_import

    refs = first_import(engine)  # the first import, as the officer did it last month
    path = tmp_path / "council-plan-december.xlsx"
    path.write_bytes(council_workbook(CHANGED))
    before = counts(engine)
    sign_in(tracker_duo, DEMO_EMAILS["admin"])
    open_transfer(tracker_duo)
    upload(tracker_duo, path)

    wait_for_text(tracker_duo, "#map-remembered", "Using the column choices from your last import of this layout")
    wait_until_settled(tracker_duo)
    # Remembered too (read again if the panel is redrawn while it is read).
    WebDriverWait(tracker_duo.driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.ID, "map-words-blank").is_selected(), "the dates-in-words choice was not kept")
    assert_no_serious_axe_violations(tracker_duo, "import: the remembered column choices")

    tracker_duo.find_element("#map-check").click()
    tracker_duo.wait_for_element("#import-preview", timeout=15)
    wait_until_settled(tracker_duo)

    def outcome(row: int) -> str:
        return tracker_duo.find_element(f"#import-preview-rows-{row}-outcome").text

    assert [outcome(r) for r in (6, 7, 8, 9, 10)] == [
        f"Updates {refs['1.1']} (1 change)", f"Updates {refs['1.2']} (1 change)", "No change", "No change", "New"]
    assert tracker_duo.find_element("#count-matched").text == "4 rows found in the plan by your own reference"
    assert tracker_duo.find_element("#count-created").text == "1 action would be created"
    assert "Title: Closure orders on cuckooed addresses → Closure orders on cuckooed and exploited addresses" in (
        tracker_duo.find_element("#import-preview-rows-7").text)
    assert counts(engine) == before
    assert_no_serious_axe_violations(tracker_duo, "import: the preview of a re-import")

    tracker_duo.find_element("#import-confirm").click()
    success = tracker_duo.wait_for_element("#import-success", timeout=15).text
    assert "1 action created" in success and "1 action changed" in success
    assert counts(engine)[0] == before[0] + 1
    with Session(engine) as s:
        renamed = s.exec(select(Action).where(Action.external_ref == "1.2")).one()
        assert renamed.title == "Closure orders on cuckooed and exploited addresses"
    assert browser_errors(tracker_duo) == []
