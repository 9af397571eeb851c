"""The board report's PDF for a large plan (tracker.services.board.pdf_text lays out its paragraphs and
tables): every row and word is there, a long table's headings are on each page it spans, nothing runs
past the margins, and a word longer than a line is broken rather than lost."""

from __future__ import annotations

import copy
import io

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from tracker.services.board import calendar, pdf_text
from tracker.services.board.pdf_export import report_pdf
from tracker.services.board.report import build_report


@pytest.fixture
def report(session, partnership, today) -> dict:
    return build_report(session, partnership.id, calendar.next_meeting(session, partnership.id, today).meeting.id,
                        today)


def pages_of(content: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages]


def test_a_long_table_has_every_row_and_its_headings_on_each_page(report):
    big = copy.deepcopy(report)
    first = big["indicators"][0]
    big["indicators"] = [first | {"name": f"Indicator number {n:03d} with a long enough name to wrap in its cell"}
                         for n in range(300)]
    pages = pages_of(report_pdf(big))
    text = " ".join(pages)
    assert all(f"Indicator number {n:03d}" in text for n in range(300))
    spanned = [p for p in pages if "Indicator number" in p]
    assert len(spanned) >= 5
    assert all("Indicator Baseline Latest Target Status" in p for p in spanned)  # the heading row repeats
    for i, page in enumerate(pages, start=1):
        assert f"page {i} of {len(pages)}" in page


def test_every_exception_and_its_words_are_in_the_pdf_of_a_large_plan(report):
    big = copy.deepcopy(report)
    template = big["exceptions"][0]
    big["exceptions"] = [template | {"ref": f"X-{n:04d}", "narrative": f"Narrative {n} " + "words " * 60 + "end."}
                         for n in range(400)]
    text = " ".join(pages_of(report_pdf(big)))
    for n in range(400):
        assert f"X-{n:04d}" in text and f"Narrative {n} words" in text


def test_lines_fit_the_width_and_a_word_longer_than_a_line_is_broken_not_lost():
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    measure = pdf_text.Measure(pdf)
    long_word = "https://example.org/" + "a" * 200
    text = "A short start, then " + long_word + " and a tail of ordinary words " * 5
    lines = measure.wrap(text, 60)
    assert all(pdf.get_string_width(line) <= 60 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # every character, in order
    assert measure.wrap("", 60) == [""]
    assert measure.wrap("one\ntwo", 60) == ["one", "two"]
