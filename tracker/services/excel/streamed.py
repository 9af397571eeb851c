"""The export's workbook, written with XlsxWriter in its constant-memory mode: each sheet's rows go out
in order and are not kept, so a plan of a hundred thousand cells takes little memory, and writing a cell
is a direct call rather than a cell object and its style look-ups (openpyxl's write-only mode took about
2.4 times as long for the same cells). Each cell takes one of a few formats made once per workbook; the
cells look as sheets.put and sheets.header make them in the template (openpyxl), so the export and the
template read alike.

Rows and columns here count from 1, as in Excel and openpyxl; XlsxWriter's count from 0.
"""

from __future__ import annotations

import io
from datetime import date

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tracker.services import reference
from tracker.services.excel.columns import DATE_FORMAT

# The formats every export workbook has.
TEXT, WRAPPED, HEADING, BOLD, TITLE, SECTION, NOTE = (
    "text", "wrapped", "heading", "bold", "title", "section", "note")
_DATED = {TEXT: "date", WRAPPED: "wrapped date"}
_EDGE = {"border": 1, "border_color": "#B1B4B6", "valign": "top"}  # sheets.BORDER and TOP
_FORMATS = {
    TEXT: _EDGE,
    WRAPPED: {**_EDGE, "text_wrap": True},
    "date": {**_EDGE, "num_format": DATE_FORMAT},
    "wrapped date": {**_EDGE, "text_wrap": True, "num_format": DATE_FORMAT},
    HEADING: {**_EDGE, "text_wrap": True, "bold": True, "font_color": "#FFFFFF", "bg_color": "#0B0C0C",
              "pattern": 1},
    BOLD: {**_EDGE, "bold": True},
    TITLE: {"bold": True, "font_size": 14},
    SECTION: {"bold": True, "font_size": 12},
    NOTE: {"italic": True},
}

# One cell as the sheets take it: its value and the name of its format.
Cell = tuple[object, str]


def _rag_format(code: str) -> str:
    return f"RAG {code}"


class Book:
    """A workbook being written to memory; `content()` closes it and gives the file's bytes."""

    def __init__(self, scale: list[reference.Rag], title: str) -> None:
        self._buffer = io.BytesIO()
        self._wb = xlsxwriter.Workbook(self._buffer, {"constant_memory": True})
        self._wb.set_properties({"title": title, "author": "CDP Delivery Tracker"})
        self.formats = {name: self._wb.add_format(spec) for name, spec in _FORMATS.items()}
        for rag in scale:  # each RAG level of the partnership's scale: its word on its colour
            self.formats[_rag_format(rag.code)] = self._wb.add_format({
                **_EDGE, "bold": True, "bg_color": rag.colour, "pattern": 1, "font_color": rag.text_colour})

    def sheet(self, name: str, widths: list[float], freeze: tuple[int, int] | None = None) -> Sheet:
        """A new sheet with its column widths (in characters) and its frozen rows and columns."""
        ws = self._wb.add_worksheet(name)
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        if freeze:
            ws.freeze_panes(*freeze)
        return Sheet(ws, self.formats)

    def content(self) -> bytes:
        self._wb.close()
        return self._buffer.getvalue()


class Sheet:
    """Rows appended in order (a constant-memory sheet writes a row out when the next one begins)."""

    def __init__(self, ws, formats: dict) -> None:
        self.ws = ws
        self.formats = formats
        self.rows = 0  # rows written so far

    def append(self, cells: list[Cell | None]) -> None:
        self.write_row(self.rows + 1, cells)

    def write_row(self, row: int, cells: list[Cell | None]) -> None:
        """Text is always text: a title beginning "=" must never become a formula. A date in a text or
        wrapped column is shown dd/mm/yyyy. An empty cell keeps its format (borders)."""
        ws, formats, r = self.ws, self.formats, row - 1
        for c, one in enumerate(cells):
            if one is None:
                continue
            value, style = one
            if value is None or value == "":
                ws.write_blank(r, c, None, formats[style])
            elif isinstance(value, str):
                ws.write_string(r, c, ILLEGAL_CHARACTERS_RE.sub("", value), formats[style])
            elif isinstance(value, date):
                ws.write_datetime(r, c, value, formats[_DATED.get(style, style)])
            else:
                ws.write_number(r, c, value, formats[style])
        self.rows = max(self.rows, row)

    def filter(self, first_row: int, columns: int, last_row: int) -> None:
        """The autofilter on rows first_row..last_row (the first is the headings) of the first columns."""
        self.ws.autofilter(first_row - 1, 0, last_row - 1, columns - 1)

    def landscape(self, heading_row: int | None = None) -> None:
        """Printed on A4 landscape, one page wide, with the heading row repeated on every page."""
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        self.ws.fit_to_pages(1, 0)
        if heading_row:
            self.ws.repeat_rows(heading_row - 1)


def rag(level: reference.Rag | None) -> Cell:
    """The RAG's word, in a cell filled with the partnership's colour for it (never colour alone)."""
    return (level.label, _rag_format(level.code)) if level else ("", TEXT)


class Grid:
    """Cells placed by row and column, in any order, then written row by row: for the short sheets
    (Summary, RAG key) whose layout reads best as positions."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.cells: dict[int, dict[int, Cell]] = {}

    def put(self, row: int, column: int, value, style: str = TEXT) -> None:
        self.cells.setdefault(row, {})[column] = (value, style)

    def rag(self, row: int, column: int, level: reference.Rag | None) -> None:
        self.cells.setdefault(row, {})[column] = rag(level)

    def write(self) -> None:
        for r in sorted(self.cells):
            placed = self.cells[r]
            self.sheet.write_row(r, [placed.get(c) for c in range(1, max(placed) + 1)])
