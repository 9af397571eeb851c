"""Writing cells in openpyxl, for the blank template: text that stays text, real dates shown dd/mm/yyyy,
headings. (The export is written with XlsxWriter, in streamed.py, in the same look.)"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from tracker.services.excel.columns import DATE_FORMAT

HEADER_FILL = PatternFill("solid", fgColor="0B0C0C")
HEADER_FONT = Font(bold=True, color="FFFFFF")
NOTES_FILL = PatternFill("solid", fgColor="F3F2F1")
THIN = Side(style="thin", color="B1B4B6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


# --- Writing cells ---------------------------------------------------------------------------


def put(ws, row: int, column: int, value, wrap: bool = False):
    """Write a value. Text is always text: a title beginning "=" must never become a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    cell.alignment = WRAP if wrap else TOP
    cell.border = BORDER
    return cell


def header(ws, row: int, headings: list[str], widths: list[int] | None = None) -> None:
    for i, heading in enumerate(headings, start=1):
        cell = put(ws, row, i, heading, wrap=True)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        if widths:
            ws.column_dimensions[get_column_letter(i)].width = widths[i - 1]


def save_workbook(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
