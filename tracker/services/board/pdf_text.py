"""Paragraphs and tables for the board report's PDF, laid out in time linear in the text.

fpdf2's multi_cell (which its table() uses for every cell, twice: once to measure, once to draw) sums
the widths of all the characters of a line again for each character it adds, so its cost grows with
the square of the line's length: the report of a county x10 (1,500 exceptions, 330 indicators) took
over a minute. Here words are wrapped greedily by their measured widths (each character measured once
per font, with fpdf2's own get_string_width) and every line is placed with text(), at the baseline
cell() would give it: text() does no line breaking or layout at all, where cell() copies the graphics
state and parses the text for styles each time (most of a large report's drawing). Same fonts,
sizes, margins, row heights and page breaks as before; table rows never split across pages unless
one is taller than a page, and the heading row is repeated on each page. Text is aligned left
(multi_cell justified it): a ragged right edge is the easier to read.
"""

from __future__ import annotations

from fpdf import FPDF

_HEADING_FILL = (230, 230, 230)


class Measure:
    """Character widths per font (family, style, size), each measured once."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.fonts: dict[tuple, dict[str, float]] = {}

    def width(self, text: str) -> float:
        pdf = self.pdf
        widths = self.fonts.setdefault((pdf.font_family, pdf.font_style, pdf.font_size_pt), {})
        total = 0.0
        for ch in text:
            w = widths.get(ch)
            if w is None:
                w = widths[ch] = pdf.get_string_width(ch)
            total += w
        return total

    def wrap(self, text: str, width: float) -> list[str]:
        """`text` as lines no wider than `width` in the current font, broken at spaces (and inside a word
        only when the word alone is wider than a line). Always at least one line."""
        space = self.width(" ")
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split():
                w = self.width(word)
                if line and used + space + w <= width:
                    line, used = f"{line} {word}", used + space + w
                    continue
                if line:
                    lines.append(line)
                while w > width and len(word) > 1:  # a word wider than the line: break it where it must
                    cut = 1
                    while cut < len(word) and self.width(word[:cut + 1]) <= width:
                        cut += 1
                    lines.append(word[:cut])
                    word = word[cut:]
                    w = self.width(word)
                line, used = word, w
            lines.append(line)
        return lines or [""]


def _put(pdf: FPDF, x: float, top: float, line_height: float, line: str) -> None:
    """`line` where cell(w, line_height, line) at (x, top) would put it, left-aligned: inside the cell
    margin, on the baseline half a line down plus 0.3 of the font size (fpdf2's own placement)."""
    if line:
        pdf.text(x + pdf.c_margin, top + 0.5 * line_height + 0.3 * pdf.font_size, line)


def paragraph(pdf: FPDF, measure: Measure, text: str, line_height: float) -> None:
    """Text across the page from the left margin, as multi_cell(0, line_height, text) lays it out."""
    room = pdf.w - pdf.r_margin - pdf.l_margin - 2 * pdf.c_margin
    for line in measure.wrap(text, room):
        if pdf.y + line_height > pdf.page_break_trigger:  # where cell() would break the page
            pdf.add_page()
        _put(pdf, pdf.l_margin, pdf.y, line_height, line)
        pdf.set_y(pdf.y + line_height)


def table(pdf: FPDF, measure: Measure, headers: list[str], rows: list[list[str]], widths: list[float] | None,
          line_height: float) -> None:
    """A bordered table across the page: a bold heading row on a grey fill (repeated on each page),
    then the rows, each cell's text wrapped to its column (relative `widths`, else equal)."""
    relative = widths or [1.0] * len(headers)
    columns = [pdf.epw * w / sum(relative) for w in relative]
    style = pdf.font_style

    def lines(values: list[str], bold: bool) -> list[list[str]]:
        pdf.set_font(style="B" if bold else style)
        return [measure.wrap(v or "-", c - 2 * pdf.c_margin) for v, c in zip(values, columns, strict=True)]

    heading = lines(headers, True)
    heading_height = max(map(len, heading)) * line_height

    def draw(cells: list[list[str]], bold: bool) -> None:
        height = max(map(len, cells)) * line_height
        pdf.set_font(style="B" if bold else style)
        x, y = pdf.l_margin, pdf.y
        for text_lines, column in zip(cells, columns, strict=True):
            if bold:
                pdf.set_fill_color(*_HEADING_FILL)
            pdf.rect(x, y, column, height, style="DF" if bold else "D")
            for n, line in enumerate(text_lines):
                _put(pdf, x, y + n * line_height, line_height, line)
            x += column
        pdf.set_xy(pdf.l_margin, y + height)

    def room() -> float:
        return pdf.page_break_trigger - pdf.y

    def new_page() -> None:
        pdf.add_page()
        draw(heading, True)

    if room() < heading_height + line_height:
        pdf.add_page()
    draw(heading, True)
    full_page = pdf.page_break_trigger - pdf.t_margin - heading_height
    for values in rows:
        cells = lines(values, False)
        height = max(map(len, cells)) * line_height
        if height > room() and height <= full_page:
            new_page()
        while cells:  # one slice, unless the row is taller than a page
            fit = int(room() // line_height)
            if fit < 1:
                new_page()
                continue
            draw([c[:fit] for c in cells], False)
            cells = [c[fit:] for c in cells] if any(len(c) > fit for c in cells) else []
    pdf.set_font(style=style)
