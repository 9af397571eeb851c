"""The board report as a PDF (fpdf2: pure Python, installs from PyPI with no system library), from
the report's blocks (layout.py). A4, the meeting date and page numbers in every footer. Paragraphs and
tables are laid out by pdf_text.py, in time linear in the text (fpdf2's multi_cell is quadratic in a
line's length: minutes for a large plan's report).

fpdf2's built-in fonts cover Latin-1 only, so symbols beside the RAG words (✓ ✕ ★) are dropped and
typographic punctuation is replaced; the words themselves are always there.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf import FPDF

from tracker.services.board import pdf_text
from tracker.services.board.layout import blocks, footer_text

_REPLACE = {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
            "\u2026": "...", "\u00b7": "-", "\u2022": "-", "\u2264": "<=", "\u2265": ">=", "\u00a0": " "}


def latin1(text: str) -> str:
    text = "".join(_REPLACE.get(ch, ch) for ch in text)
    return text.encode("latin-1", "ignore").decode("latin-1").replace("  ", " ").strip()


class _ReportPDF(FPDF):
    footer_line = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, latin1(f"{self.footer_line} - page {self.page_no()} of {{nb}}"), align="C")


def report_pdf(report: dict) -> bytes:
    pdf = _ReportPDF(format="A4")
    pdf.footer_line = footer_text(report)
    pdf.set_title(latin1(f"Board report: {report['partnership']['name']}, {report['meeting']['date_text']}"))
    pdf.set_author(latin1(report["partnership"]["name"]))
    pdf.set_lang("en-GB")
    pdf.set_creation_date(datetime.fromisoformat(report["as_at"]).replace(tzinfo=UTC))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    measure = pdf_text.Measure(pdf)
    for block in blocks(report):
        if block.kind == "title":
            pdf.set_font("Helvetica", "B", 18)
            pdf_text.paragraph(pdf, measure, latin1(block.text), 9)
        elif block.kind in ("heading", "subheading"):
            size = 14 if block.kind == "heading" else 11
            if block.kind == "heading" and pdf.get_y() > pdf.h - 60:
                pdf.add_page()  # a section heading never ends a page
            pdf.ln(3)
            pdf.set_font("Helvetica", "B", size)
            pdf_text.paragraph(pdf, measure, latin1(block.text), size * 0.5)
        elif block.kind in ("para", "note"):
            pdf.set_font("Helvetica", "I" if block.kind == "note" else "", 10)
            pdf_text.paragraph(pdf, measure, latin1(block.text), 5)
            pdf.ln(1)
        elif block.kind == "table":
            pdf.set_font("Helvetica", size=8.5)
            pdf_text.table(pdf, measure, [latin1(t) for t in block.headers],
                           [[latin1(t) for t in values] for values in block.rows], block.widths, 4.5)
            pdf.ln(2)
    return bytes(pdf.output())
