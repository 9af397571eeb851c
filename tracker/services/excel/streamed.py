"""A workbook written in openpyxl's write-only mode, for the export: each sheet's rows are streamed out
in order (no cell object is kept, so a plan of a hundred thousand cells takes little memory), and each
cell takes one of a few named styles registered once per workbook. Setting a cell's font, fill, border,
alignment and number format one by one costs a look-up of each in the workbook's style lists; a named
style is one. The cells look exactly as sheets.put and sheets.rag_cell make them.

A write-only sheet's column widths and frozen panes must be set before its first row; its filter,
print settings and print titles may be set after.
"""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter

from tracker.services import reference
from tracker.services.excel.columns import DATE_FORMAT
from tracker.services.excel.sheets import BORDER, HEADER_FILL, HEADER_FONT, TOP, WRAP

# The named styles every export workbook has (as they appear in Excel's "Cell styles" list).
TEXT, WRAPPED, HEADING, BOLD, TITLE, SECTION, NOTE = (
    "Tracker text", "Tracker wrapped text", "Tracker heading", "Tracker bold", "Tracker title", "Tracker section",
    "Tracker note")
_DATED = {TEXT: "Tracker date", WRAPPED: "Tracker wrapped date"}


def _rag_style(code: str) -> str:
    return f"Tracker RAG {code}"


def new_workbook(scale: list[reference.Rag]) -> Workbook:
    """A write-only workbook with the export's styles, one for each RAG level of the partnership's scale."""
    wb = Workbook(write_only=True)
    for style in (
        NamedStyle(TEXT, alignment=TOP, border=BORDER),
        NamedStyle(WRAPPED, alignment=WRAP, border=BORDER),
        NamedStyle(_DATED[TEXT], alignment=TOP, border=BORDER, number_format=DATE_FORMAT),
        NamedStyle(_DATED[WRAPPED], alignment=WRAP, border=BORDER, number_format=DATE_FORMAT),
        NamedStyle(HEADING, alignment=WRAP, border=BORDER, fill=HEADER_FILL, font=HEADER_FONT),
        NamedStyle(BOLD, alignment=TOP, border=BORDER, font=Font(bold=True)),
        NamedStyle(TITLE, font=Font(bold=True, size=14)),
        NamedStyle(SECTION, font=Font(bold=True, size=12)),
        NamedStyle(NOTE, font=Font(italic=True)),
    ):
        wb.add_named_style(style)
    for rag in scale:
        wb.add_named_style(NamedStyle(
            _rag_style(rag.code), alignment=TOP, border=BORDER,
            fill=PatternFill("solid", fgColor=rag.colour.lstrip("#").upper()),
            font=Font(bold=True, color=rag.text_colour.lstrip("#").upper())))
    return wb


def cell(ws, value, style: str = TEXT) -> WriteOnlyCell:
    """A cell for ws.append. Text is always text: a title beginning "=" must never become a formula.
    A date in a text or wrapped column is shown dd/mm/yyyy."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    out = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        out.data_type = "s"
    elif isinstance(value, date):
        style = _DATED.get(style, style)
    out.style = style
    return out


def rag(ws, level: reference.Rag | None) -> WriteOnlyCell:
    """The RAG's word, in a cell filled with the partnership's colour for it (never colour alone)."""
    return cell(ws, level.label, _rag_style(level.code)) if level else cell(ws, "")


def widths(ws, sizes: list[float]) -> None:
    for i, width in enumerate(sizes, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


class Grid:
    """Cells placed by row and column, in any order, then written row by row: for the short sheets
    (Summary, RAG key) whose layout reads best as positions."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.cells: dict[tuple[int, int], WriteOnlyCell] = {}

    def put(self, row: int, column: int, value, style: str = TEXT) -> None:
        self.cells[(row, column)] = cell(self.ws, value, style)

    def rag(self, row: int, column: int, level: reference.Rag | None) -> None:
        self.cells[(row, column)] = rag(self.ws, level)

    def write(self) -> None:
        if not self.cells:
            return
        last_row = max(r for r, _ in self.cells)
        last_column = max(c for _, c in self.cells)
        for r in range(1, last_row + 1):
            self.ws.append([self.cells.get((r, c)) for c in range(1, last_column + 1)])
