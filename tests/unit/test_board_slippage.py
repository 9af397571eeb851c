"""The board report's "Slippage against original due dates": the actions due later than first
planned, worst first, with the latest reason, the same in the report data, the Word file and the PDF."""

from __future__ import annotations

import io
from datetime import timedelta

from docx import Document
from pypdf import PdfReader
from sqlmodel import select

from tracker.models import Action
from tracker.services import actions
from tracker.services.board import calendar
from tracker.services.board.docx_export import report_docx
from tracker.services.board.layout import blocks
from tracker.services.board.pdf_export import report_pdf
from tracker.services.board.report import SECTIONS, build_report


def move(session, person, ref: str, days: int, reason: str) -> None:
    action = session.exec(select(Action).where(Action.ref == ref)).one()
    actions.edit_action(session, person, action.id, action.version,
                        {"due_date": (action.due_date + timedelta(days=days)).isoformat(), "due_date_reason": reason})


def test_slipped_actions_are_listed_worst_first_with_their_latest_reason(session, partnership, lead, admin, today):
    meeting = calendar.next_meeting(session, partnership.id, today).meeting
    assert build_report(session, partnership.id, meeting.id, today)["slippage"] == []
    move(session, lead, "TR-03", 30, "Waiting for the new contract")
    move(session, lead, "TR-03", 15, "The contract was signed late")
    move(session, admin, "TR-01", 90, "Recommissioning")
    move(session, lead, "TR-02", -10, "Brought forward")  # earlier than planned: not slippage
    report = build_report(session, partnership.id, meeting.id, today)
    assert [(r["ref"], r["days_slipped"], r["reason"]) for r in report["slippage"]] == [
        ("TR-01", 90, "Recommissioning"), ("TR-03", 45, "The contract was signed late")]

    table = next(b for b in blocks(report) if b.kind == "table" and "Original due" in b.headers)
    assert [row[4] for row in table.rows] == ["+90 days", "+45 days"]
    doc = Document(io.BytesIO(report_docx(report)))
    assert SECTIONS["slippage"] in [p.text for p in doc.paragraphs]
    word_table = next(t for t in doc.tables if t.rows[0].cells[2].text == "Original due")
    assert [r.cells[0].text.split()[0] for r in word_table.rows[1:]] == ["TR-01", "TR-03"]
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(report))).pages).split())
    assert SECTIONS["slippage"] in pdf and "+90 days" in pdf and "Recommissioning" in pdf


def test_a_pack_published_before_slippage_was_reported_still_renders(session, partnership, today):
    meeting = calendar.next_meeting(session, partnership.id, today).meeting
    report = build_report(session, partnership.id, meeting.id, today)
    del report["slippage"]
    texts = [b.text for b in blocks(report)]
    assert SECTIONS["slippage"] in texts
    assert "published before slippage against original due dates was reported" in " ".join(texts)
