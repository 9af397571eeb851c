"""The chair's board cycle in a real browser: open the board page and the next board's report,
download it as Word and PDF, publish it; the pack is then listed and stays as published. axe-core
on the board page and the report page."""

from __future__ import annotations

import io
import time
from pathlib import Path

from docx import Document
from pypdf import PdfReader
from sqlmodel import Session, select

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import open_page, sign_in, wait_until_settled
from tests.conftest import DEMO_EMAILS, TODAY
from tracker.models import BoardPack
from tracker.services.board import calendar


def wait_for_file(folder: Path, suffix: str, timeout: float = 20) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file was downloaded into {folder}: {list(folder.iterdir())}")


def test_chair_opens_downloads_and_publishes_the_board_report(tracker_duo, engine):
    dash_duo = tracker_duo
    sign_in(dash_duo, DEMO_EMAILS["chair"])
    open_page(dash_duo, "/board")
    dash_duo.wait_for_text_to_equal("#board-next h2", "Next board: 10 December 2026")
    assert "Updates are due by 26 November 2026" in dash_duo.find_element("#board-next").text
    assert "bank holidays are not taken into account" in dash_duo.find_element("#board-next").text
    wait_until_settled(dash_duo)
    assert_no_serious_axe_violations(dash_duo, "board page")

    dash_duo.find_element("#board-next-report").click()
    dash_duo.wait_for_element("#board-report-title")
    wait_until_settled(dash_duo)
    page = dash_duo.find_element("#board-report").text
    for heading in ("Summary by theme and subgroup", "Decisions and escalations for the board",
                    "What changed since the last board", "Indicator progress"):
        assert heading in page
    assert "45 actions" in page and "Draft" in dash_duo.find_element("#board-report-status").text
    assert dash_duo.driver.title == "Board report, 10 December 2026 – CDP Delivery Tracker"
    assert_no_serious_axe_violations(dash_duo, "board report page")

    # Printed: no navigation or controls; the meeting's footer line shows (repeated on every page).
    driver = dash_duo.driver
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element("css selector", "nav").is_displayed()
        assert not dash_duo.find_element("#board-download-docx").is_displayed()
        footer = dash_duo.find_element(".print-footer")
        assert footer.is_displayed() and "board of 10 December 2026" in footer.text
        driver.save_screenshot(str(Path(dash_duo.download_path) / "print-preview.png"))
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    folder = Path(dash_duo.download_path)
    for old in folder.glob("board-report-*"):
        old.unlink()
    dash_duo.find_element("#board-download-docx").click()
    docx_file = wait_for_file(folder, ".docx")
    headings = [p.text for p in Document(io.BytesIO(docx_file.read_bytes())).paragraphs]
    assert "Decisions and escalations for the board" in headings
    dash_duo.find_element("#board-download-pdf").click()
    pdf_file = wait_for_file(folder, ".pdf")
    assert "Exceptions" in PdfReader(io.BytesIO(pdf_file.read_bytes())).pages[0].extract_text() + "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf_file.read_bytes())).pages)

    dash_duo.find_element("#board-publish").click()
    dash_duo.wait_for_contains_text("#board-publish-result", "Published the board report for 10 December 2026")
    with Session(engine) as session:
        pack = session.exec(select(BoardPack)).one()
        meeting = calendar.next_meeting(session, pack.partnership_id, TODAY).meeting
        assert pack.meeting_id == meeting.id and pack.published_by_name == "Dr Rebecca Lowe"
    open_page(dash_duo, "/board")
    dash_duo.wait_for_element(f"#board-pack-{pack.id}")
    assert "10 December 2026" in dash_duo.find_element("#board-packs").text
