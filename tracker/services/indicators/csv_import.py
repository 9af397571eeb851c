"""Indicator values from a CSV file: every row checked first, then all written or none.

The file has a header row (indicator_code, period, value and optionally note) and one row per value;
each problem is reported by row (the header is row 1, as in a spreadsheet) and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from tracker.models import Indicator, IndicatorValue, Person
from tracker.rules.numbers import format_number, parse_number
from tracker.rules.periods import Period, parse_period
from tracker.services import audit
from tracker.services.errors import PermissionDenied, ServiceError
from tracker.services.indicators.access import editable_indicator_ids
from tracker.services.indicators.values import already_there, flush_or_conflict, not_ended
from tracker.services.indicators.views import indicator_codes

CSV_COLUMNS = ("indicator_code", "period", "value", "note")
CSV_REQUIRED = ("indicator_code", "period", "value")
CSV_MAX_BYTES = 1_000_000
CSV_MAX_ROWS = 5_000


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1, the first value row 2 (0: the whole file)
    column: str  # "" for the row or file as a whole
    message: str  # what to fix


class UploadRejected(ServiceError):
    """The file has problems; nothing was written. `errors` lists every one, by row and column."""

    def __init__(self, errors: list[RowError]):
        self.errors = list(errors)
        rows = {e.row for e in errors if e.row}
        where = f" in {len(rows)} row{'s' if len(rows) != 1 else ''}" if rows else ""
        super().__init__(
            f"Nothing was saved: the file has {len(errors)} problem{'s' if len(errors) != 1 else ''}{where}. "
            "Fix them and upload the whole file again.")


@dataclass
class ParsedRow:
    row: int
    indicator: Indicator
    period: Period
    value: float
    note: str


@dataclass
class ImportResult:
    written: int
    indicators: dict[str, int] = field(default_factory=dict)  # code -> values written
    indicator_ids: dict[str, int] = field(default_factory=dict)  # code -> the indicator's id, to link to it


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):  # a spreadsheet saved on Windows is often cp1252
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadRejected([RowError(0, "", "The file is not text: save it from the spreadsheet as CSV (UTF-8)")])


def _check_row(cells: list[str], position: dict[str, int], row_number: int, codes: dict[str, Indicator],
               allowed: set[int], existing: dict[tuple[int, str], IndicatorValue], seen: dict[tuple[int, str], int],
               today: date, errors: list[RowError]) -> ParsedRow | None:
    """Check one row, adding its problems to `errors`; the row if it is good."""

    def cell(name: str) -> str:
        i = position.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    found: list[RowError] = []
    code = cell("indicator_code")
    indicator = codes.get(code.upper()) if code else None
    if not code:
        found.append(RowError(row_number, "indicator_code",
                              "Enter the indicator's code, as the indicators page shows it"))
    elif indicator is None:
        found.append(RowError(row_number, "indicator_code",
                              f"There is no indicator with the code {code!r}: copy the code from the indicators page"))
    elif indicator.id not in allowed:
        found.append(RowError(row_number, "indicator_code",
                              f"You cannot enter data for {indicator.code}: only an administrator or a lead of a "
                              "subgroup whose actions are linked to it can"))
    period = None
    try:
        period = parse_period(cell("period"))
    except ValueError as exc:
        found.append(RowError(row_number, "period", str(exc)))
    if period is not None and (problem := not_ended(period, today)):
        found.append(RowError(row_number, "period", problem))
        period = None
    number = None
    try:
        number = parse_number(cell("value"))
    except ValueError as exc:
        found.append(RowError(row_number, "value", str(exc)))
    note = cell("note")
    if len(note) > 500:
        found.append(RowError(row_number, "note", "Shorten the note to 500 characters or fewer"))
    if indicator is not None and period is not None:
        key = (indicator.id, period.label)
        if key in existing:
            found.append(RowError(row_number, "period", already_there(indicator, existing[key])))
        elif key in seen:
            found.append(RowError(row_number, "period",
                                  f"Row {seen[key]} already gives {indicator.code} for {period.label}: "
                                  "keep one of the two rows"))
        else:
            seen[key] = row_number
    errors.extend(found)
    if found:
        return None
    return ParsedRow(row_number, indicator, period, number, note)


def validate_csv(session: Session, actor: Person, content: bytes | str, today: date) -> list[ParsedRow]:
    """Check every row of a CSV of values; returns them all, or raises UploadRejected with every problem."""
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to make changes.")
    allowed = editable_indicator_ids(session, actor)
    if not allowed:
        raise PermissionDenied(
            "Only an administrator, or a lead of a subgroup whose actions are linked to an indicator, can "
            "enter indicator data.")
    if len(content) > CSV_MAX_BYTES:
        raise UploadRejected([RowError(0, "", f"The file is larger than {CSV_MAX_BYTES // 1000:,} kB: split it "
                                              "into smaller files")])
    text = _decode(content)
    # Comma-separated as a rule; a spreadsheet set to a European locale saves semicolons instead.
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t") if d in first_line), ",")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise UploadRejected([RowError(0, "", "The file is empty: it needs a header row "
                                              f"({', '.join(CSV_COLUMNS)}) and a row for each value")]) from None
    except csv.Error as exc:
        raise UploadRejected([RowError(1, "", f"The file cannot be read as CSV ({exc})")]) from None
    names = [h.strip().lower().replace(" ", "_") for h in header]
    missing = [c for c in CSV_REQUIRED if c not in names]
    unknown = [h for h, n in zip(header, names, strict=True) if n and n not in CSV_COLUMNS]
    file_errors = []
    if missing:
        file_errors.append(RowError(1, "", f"The header row needs the column{'s' if len(missing) > 1 else ''} "
                                           f"{', '.join(missing)}. The columns are {', '.join(CSV_COLUMNS)} "
                                           "(note may be left out)"))
    if unknown:
        file_errors.append(RowError(1, "", f"Unexpected column{'s' if len(unknown) > 1 else ''} "
                                           f"{', '.join(repr(u) for u in unknown)}: use only "
                                           f"{', '.join(CSV_COLUMNS)}"))
    repeated = {n for n in names if n and names.count(n) > 1}
    if repeated:
        file_errors.append(RowError(1, "", f"The column{'s' if len(repeated) > 1 else ''} "
                                           f"{', '.join(sorted(repeated))} appear{'' if len(repeated) > 1 else 's'} "
                                           "more than once in the header"))
    if file_errors:
        raise UploadRejected(file_errors)
    position = {n: names.index(n) for n in CSV_COLUMNS if n in names}

    codes = indicator_codes(session, actor.partnership_id)
    existing: dict[tuple[int, str], IndicatorValue] = {
        (v.indicator_id, v.period): v
        for v in session.exec(
            select(IndicatorValue).join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(Indicator.partnership_id == actor.partnership_id)
        )
    }
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    seen: dict[tuple[int, str], int] = {}
    row_number = 1
    data_rows = 0
    try:
        for row_number, cells in enumerate(reader, start=2):  # a spreadsheet's numbering: header is row 1
            if not any(c.strip() for c in cells):
                continue  # a blank line, e.g. at the end of the file
            data_rows += 1
            if data_rows > CSV_MAX_ROWS:
                raise UploadRejected([RowError(0, "", f"The file has more than {CSV_MAX_ROWS:,} rows of values: "
                                                      "split it into smaller files")])
            if len(cells) > len(names):
                errors.append(RowError(row_number, "", f"The row has {len(cells)} cells but the header has "
                                                       f"{len(names)} columns: check for a stray comma (put a "
                                                       "note containing commas in double quotes)"))
                continue
            errors_before = len(errors)
            row = _check_row(cells, position, row_number, codes, allowed, existing, seen, today, errors)
            if row is not None and len(errors) == errors_before:
                parsed.append(row)
    except csv.Error as exc:
        errors.append(RowError(row_number + 1, "", f"The row cannot be read as CSV ({exc}): check its quotes"))
    if not errors and not parsed:
        errors.append(RowError(0, "", "The file has a header but no rows of values"))
    if errors:
        raise UploadRejected(errors)
    return parsed


def import_values_csv(session: Session, actor: Person, content: bytes | str, today: date,
                      filename: str = "") -> ImportResult:
    """Write every value in a CSV file, or none: any bad row rejects the whole file (UploadRejected)."""
    rows = validate_csv(session, actor, content, today)
    result = ImportResult(written=0)
    source = f" from {filename}" if filename else " from a CSV file"
    for row in rows:
        value = IndicatorValue(indicator_id=row.indicator.id, period=row.period.label, period_end=row.period.end,
                               value=row.value, note=row.note, recorded_by_id=actor.id)
        session.add(value)
        flush_or_conflict(session)
        audit.record(session, actor, "create", value, partnership_id=row.indicator.partnership_id,
                     summary=f"Value of {row.indicator.code} for {row.period.label}: {format_number(row.value)} "
                             f"(uploaded{source}, row {row.row})")
        result.written += 1
        result.indicators[row.indicator.code] = result.indicators.get(row.indicator.code, 0) + 1
        result.indicator_ids[row.indicator.code] = row.indicator.id
    session.flush()
    return result
