"""The board report's PDF for a large plan (tracker.services.board.pdf_text lays out its paragraphs and
tables): every row and word is there, a long table's headings are on each page it spans, nothing runs
past the margins, and a word longer than a line is broken rather than lost."""

from __future__ import annotations

import copy
import io
from itertools import pairwise

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


def _placed(content: bytes) -> list[tuple[int, float, float, str]]:
    """(page, x, y from the bottom, text) of every piece of text drawn, in points."""
    placed = []
    for number, page in enumerate(PdfReader(io.BytesIO(content)).pages):
        def visit(text, _cm, tm, _font, _size, number=number):
            if text.strip():
                placed.append((number, tm[4], tm[5], text.strip()))
        page.extract_text(visitor_text=visit)
    return placed


def test_a_paragraph_longer_than_a_page_runs_on_within_the_margins_in_order():
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    words = [f"w{n:04d}" for n in range(2500)]
    pdf_text.paragraph(pdf, pdf_text.Measure(pdf), " ".join(words), 5)
    placed = _placed(bytes(pdf.output()))
    assert len({page for page, *_ in placed}) >= 3
    assert " ".join(text for *_, text in placed).split() == words  # every word, in reading order
    points = 72 / 25.4
    for _page, x, y, _text in placed:
        assert x >= 18 * points - 0.01  # not left of the margin
        assert 18 * points <= y <= (297 - 18) * points  # above the bottom margin, below the top
    lines_on_first = [y for page, _x, y, _t in placed if page == 0]
    gaps = [a - b for a, b in pairwise(lines_on_first)]
    assert all(abs(gap - 5 * points) < 0.05 for gap in gaps)  # one line height apart, top to bottom


def test_a_table_cells_text_sits_inside_its_cell():
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=8.5)
    pdf_text.table(pdf, pdf_text.Measure(pdf), ["Ref", "Title"], [["A-1", "A title long enough " * 6]], [1, 4], 4.5)
    placed = _placed(bytes(pdf.output()))
    points = 72 / 25.4
    top = (297 - 10) * points  # fpdf2's default top margin is 1 cm
    heading = [p for p in placed if p[3] == "Ref"][0]
    first_row = [p for p in placed if p[3] == "A-1"][0]
    # Each line's baseline is inside its row: the heading's first row, the row's below it.
    assert top - 4.5 * points < heading[2] < top
    assert top - 9 * points < first_row[2] < top - 4.5 * points
    title_lines = [p for p in placed if p[3] not in ("Ref", "Title", "A-1")]
    assert len(title_lines) >= 2  # wrapped in its column, right of the Ref column, one line under another
    assert len({round(x, 1) for _p, x, _y, _t in title_lines}) == 1 and title_lines[0][1] > first_row[1] + 20
    assert " ".join(t for *_, t in title_lines).split() == ("A title long enough " * 6).split()
