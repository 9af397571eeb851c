"""Reading an uploaded workbook: the file's own problems (size, type, sheet, headings), then each cell
as text, a UK date or a percentage, with a message saying what to fix."""

from __future__ import annotations

import calendar
import io
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from tracker.formatting import short_date
from tracker.rules.dates import DATE_HELP, EARLIEST_YEAR, LATEST_YEAR, parse_date
from tracker.rules.numbers import parse_number
from tracker.services.errors import ServiceError
from tracker.services.excel.columns import (
    BY_KEY,
    HEADINGS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    MAX_UPLOAD_BYTES,
    NOTES_PREFIX,
    PLAN_COLUMNS,
    REQUIRED_KEYS,
)

# --- Import: reading the workbook ------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    row: int  # as the spreadsheet numbers it (the headings are row 1); 0 for the file as a whole
    column: str  # the column's heading; "" for the row or the file as a whole
    message: str  # what to fix

    def __str__(self) -> str:
        where = ", ".join(p for p in (f"Row {self.row}" if self.row else "", self.column) if p)
        return f"{where}: {self.message}" if where else self.message


class PlanImportRejected(ServiceError):
    """The workbook has problems: `errors` lists every one. Nothing may be kept of the import."""

    def __init__(self, errors: list[CellError]):
        self.errors = list(errors)
        rows = {e.row for e in self.errors if e.row}
        where = f" in {len(rows)} row{'s' if len(rows) != 1 else ''}" if rows else ""
        count = len(self.errors)
        super().__init__(f"Nothing was saved: the file has {count} problem{'s' if count != 1 else ''}{where}. "
                         "Fix them and upload the whole file again.")


@dataclass(frozen=True)
class Cell:
    value: object
    number_format: str = "General"


@dataclass
class Sheet:
    columns: dict[str, int]  # column key -> position in the row
    rows: list[tuple[int, list[Cell]]]  # (spreadsheet row number, cells)
    # A council's own sheet (excel.mapping): the column of their own reference, kept on each new action,
    # whether a date given in words ("Ongoing") is read as no date, and what the reading left out.
    their_ref: int | None = None
    words_as_blank: bool = False
    mapped: bool = False
    notes: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # the template's heading -> the file's, for errors
    headings: list[str] = field(default_factory=list)  # a council's sheet: its headings, as read


def _key(heading) -> str:
    return re.sub(r"\s+", " ", str(heading or "")).strip().rstrip("*").strip().lower()


_HEADING_KEYS = {_key(h): c.key for c in PLAN_COLUMNS for h in (c.heading, *c.aliases)}


def _file_error(message: str, row: int = 0) -> PlanImportRejected:
    return PlanImportRejected([CellError(row, "", message)])


NOT_XLSX = ("The file is not an Excel workbook (.xlsx). In Excel, choose File, Save As, and the type "
            "'Excel Workbook (*.xlsx)'; an older .xls or a CSV file cannot be read.")


def read_sheet(content: bytes) -> Sheet:
    with reading(content) as workbook:
        return _read_plan(workbook)


@contextmanager
def reading(content: bytes):
    """The uploaded workbook (open_workbook), to read its cells in the block, closed after it. Read only,
    openpyxl parses each sheet as its rows are read: a file damaged inside (a sheet's XML cut short, a
    bad checksum) fails only then, and is refused as not a workbook rather than failing as a 500."""
    workbook = open_workbook(content)
    try:
        yield workbook
    except PlanImportRejected:
        raise
    except Exception:  # noqa: BLE001  (as in open_workbook: a damaged file fails in many ways inside openpyxl)
        raise _file_error(NOT_XLSX) from None
    finally:
        workbook.close()


def open_workbook(content: bytes):
    """The uploaded workbook, read only, values not formulas; PlanImportRejected says what is wrong."""
    if not content:
        raise _file_error("The file is empty: choose the Excel workbook (.xlsx) of the plan.")
    if not isinstance(content, bytes | bytearray):
        raise _file_error(NOT_XLSX)  # not a file's bytes at all (a crafted call): never len() or unzipped
    if len(content) > MAX_UPLOAD_BYTES:
        raise _file_error(f"The file is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB: remove the other sheets "
                          "or split the plan into smaller files.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise _file_error("The workbook is too large to read: keep only the Plan sheet and upload again.")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except PlanImportRejected:
        raise
    except Exception:  # noqa: BLE001  (a damaged or foreign file can fail in many ways inside openpyxl)
        raise _file_error(NOT_XLSX) from None
    return workbook


def _read_plan(workbook) -> Sheet:
    names = {name.strip().lower(): name for name in workbook.sheetnames}
    if "plan" in names:
        ws = workbook[names["plan"]]
    elif len(workbook.sheetnames) == 1:
        ws = workbook[workbook.sheetnames[0]]
    else:
        raise _file_error("The workbook has no sheet called Plan: name the sheet of actions Plan, as in the "
                          "template, and upload it again.")
    ws.reset_dimensions()  # some programs write a wrong size; read what is there
    columns: dict[str, int] | None = None
    rows: list[tuple[int, list[Cell]]] = []
    blank_run = 0
    for row_number, raw in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
        cells = to_cells(raw)
        if not any(is_filled(c.value) for c in cells):
            blank_run += 1
            if blank_run > 1000:
                break  # the rest of a formatted but empty sheet
            continue
        blank_run = 0
        if columns is None:
            if row_number > 10:
                raise _file_error("The headings must be in row 1 of the Plan sheet, as in the template: "
                                  + ", ".join(HEADINGS))
            columns = _headings(cells, row_number)
            continue
        ref = cells[columns["ref"]].value if columns["ref"] < len(cells) else None
        if isinstance(ref, str) and ref.strip().lower().startswith(NOTES_PREFIX[:25].lower()):
            continue  # the template's notes row
        rows.append((row_number, cells))
        if len(rows) > MAX_ROWS:
            raise _file_error(f"The sheet has more than {MAX_ROWS:,} rows of actions: split it into smaller files.")
    if columns is None:
        raise _file_error("The Plan sheet is empty: it needs the headings in row 1 (" + ", ".join(HEADINGS)
                          + ") and a row for each action.")
    if not rows:
        raise _file_error("The Plan sheet has headings but no rows of actions.")
    return Sheet(columns, rows)


def _headings(cells: list[Cell], row_number: int) -> dict[str, int]:
    found: dict[str, int] = {}
    unknown, repeated = [], []
    for i, cell in enumerate(cells):
        if not is_filled(cell.value):
            continue
        key = _HEADING_KEYS.get(_key(cell.value))
        if key is None:
            unknown.append(str(cell.value).strip())
        elif key in found:
            repeated.append(BY_KEY[key].heading)
        else:
            found[key] = i
    problems = []
    missing = [BY_KEY[k].heading for k in REQUIRED_KEYS if k not in found]
    if missing:
        problems.append(CellError(row_number, "", f"The headings need the column{'s' if len(missing) > 1 else ''} "
                                                  f"{', '.join(missing)}. Use the headings of the template: "
                                                  f"{', '.join(HEADINGS)}"))
    if unknown:
        problems.append(CellError(row_number, "", f"Unexpected heading{'s' if len(unknown) > 1 else ''} "
                                                  f"{', '.join(repr(u) for u in unknown)}: use only the headings "
                                                  f"of the template ({', '.join(HEADINGS)})"))
    if repeated:
        problems.append(CellError(row_number, "", f"The column{'s' if len(repeated) > 1 else ''} "
                                                  f"{', '.join(repeated)} appear{'' if len(repeated) > 1 else 's'} "
                                                  "more than once"))
    if problems:
        raise PlanImportRejected(problems)
    return found


def to_cells(raw) -> list[Cell]:
    return [Cell(c.value, getattr(c, "number_format", "General") or "General") for c in raw]


def is_filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# --- Import: reading cells -------------------------------------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return short_date(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def norm(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()




class DateInWords(ValueError):
    """A date cell holding words with no digit ("Ongoing", "TBC"): a council's sheet may mean no date."""


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                        "dec"), start=1)}
_MONTH_YEAR = re.compile(r"([a-z]{3,9})\.?[\s\-/']*(\d{2}|\d{4})")
_NUMERIC_MONTH_YEAR = re.compile(r"(\d{1,2})\s*/\s*(\d{4})")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_year(text: str) -> date | None:
    """ "Mar-27", "Mar 2027", "March 2027", "03/2027": the month's last day (a plan's month means by its end)."""
    lowered = text.strip().lower()
    if m := _MONTH_YEAR.fullmatch(lowered):
        month = _MONTHS.get(m.group(1)[:3])
        if month is None or (len(m.group(1)) > 3 and not _full_month(m.group(1))):
            return None
        year = int(m.group(2)) + (2000 if len(m.group(2)) == 2 else 0)
    elif m := _NUMERIC_MONTH_YEAR.fullmatch(lowered):
        month, year = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            return None
    else:
        return None
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    return month_end(year, month)


def _full_month(word: str) -> bool:
    names = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "sept")
    return word in names


def cell_date(cell: Cell) -> date | None:
    """A date from an Excel date cell or from text typed the UK way, or a month ("Mar-27", a date cell shown
    as mmm-yy) as its last day; ValueError says what to fix (DateInWords for words such as "Ongoing")."""
    value = cell.value
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        shown = cell.number_format.lower()
        if "y" in shown and "m" in shown and "d" not in shown:
            return month_end(day.year, day.month)  # shown as a month: the month's end, as typed text reads
        return day
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a date: {DATE_HELP}")
    if isinstance(value, int | float):
        # A date cell that lost its format shows as Excel's day number (46082 is 01/03/2026).
        if 20_000 <= value <= 80_000:
            return from_excel(value).date()
        raise ValueError(f"{cell_text(value)} is a number, not a date: {DATE_HELP}")
    text = cell_text(value)
    if text and (month := _month_year(text)) is not None:
        return month
    if text and not any(ch.isdigit() for ch in text):
        raise DateInWords(f"{text!r} is not a date: {DATE_HELP}, or a month such as Mar 2027")
    return parse_date(text)  # text typed the UK way: the tracker's one date parser


def cell_progress(cell: Cell) -> int | None:
    value = cell.value
    help_text = "write progress as a whole number from 0 to 100, for example 40"
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, datetime | date):
        raise ValueError(f"{cell_text(value)} is not a percentage: {help_text}")
    if isinstance(value, int | float):
        number = float(value) * (100 if "%" in cell.number_format else 1)
        shown = cell_text(value)
    else:
        shown = cell_text(value)
        try:
            number = parse_number(shown)  # the tracker's one number parser: "40", "40%", " 40 "
        except ValueError:
            raise ValueError(f"{shown!r} is not a number: {help_text}") from None
    number = round(number, 6)
    if not number.is_integer():
        raise ValueError(f"{shown} is not a whole number: {help_text}")
    if not 0 <= number <= 100:
        raise ValueError(f"{shown} is outside 0 to 100: {help_text}")
    return int(number)


def letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())
