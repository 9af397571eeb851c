"""A council's own spreadsheet, not the template: which sheet, which row holds the headings, and which
column is which of the tracker's fields (guessed from the headings, changed by the officer), then the
rows read as the importer reads the template's. Pure: no database, no Dash.

The officer's choices travel as a Layout (sheet, header row, column -> field); it comes back from the
browser, so Layout.from_data checks it again and read_mapped checks it against the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from openpyxl.utils import get_column_letter

from tracker.services.excel.columns import (
    BY_KEY,
    MAX_COLUMNS,
    MAX_ROWS,
    NOTES_PREFIX,
    PLAN_COLUMNS,
    THEIR_REF_HEADING,
)
from tracker.services.excel.reader import (
    _HEADING_KEYS,
    CellError,
    PlanImportRejected,
    Sheet,
    _key,
    cell_text,
    is_filled,
    reading,
    to_cells,
)

THEIR_REF = "their_ref"
HEADER_SEARCH_ROWS = 30
SAMPLE_ROWS = 5
SUGGEST_AT = 0.78  # a heading this close to a field's words is suggested for it
TRACKER_REF = re.compile(r"^[A-Za-z]{1,10}-\d{1,5}$")

# The fields a column may be read as, in the order the officer sees them.
FIELDS: dict[str, str] = {THEIR_REF: "Your own reference (kept on the action)"} | {
    c.key: c.heading for c in PLAN_COLUMNS if c.importable
}
FIELDS["ref"] = "Ref of an action in the tracker (e.g. TR-03)"
REQUIRED = ("subgroup", "title")

# Words councils use for each field, besides the template's heading and aliases.
SYNONYMS: dict[str, tuple[str, ...]] = {
    THEIR_REF: ("reference", "no", "number", "action no", "action number", "action ref", "id", "item"),
    "objective": ("objective", "priority", "local priority", "strategic objective", "aim", "outcome"),
    "subgroup": ("subgroup", "sub group", "workstream", "work stream", "delivery group", "group", "board",
                 "task and finish group"),
    "title": ("action", "actions", "action title", "task", "activity", "deliverable", "what we will do",
              "key action", "actions to be taken"),
    "description": ("description", "detail", "details", "action detail", "how"),
    "owner": ("lead officer", "responsible officer", "action owner", "owner", "lead person", "named lead",
              "responsible", "lead", "officer", "accountable officer", "who"),
    "lead_organisation": ("lead organisation", "lead agency", "organisation", "agency", "partner",
                          "lead partner", "organization", "lead organization"),
    "start_date": ("start", "start date", "date started", "from"),
    "due_date": ("target date", "due date", "deadline", "completion date", "target completion date",
                 "timescale", "timescales", "by when", "due by", "target", "end date", "date due"),
    "status": ("status", "action status", "delivery status", "progress status"),
    "rag": ("rag", "rag rating", "rag status", "rating", "current rag", "brag", "rag rating current"),
    "progress": ("progress percent", "percent complete", "complete percent", "percentage complete",
                 "progress"),
    "update_date": ("last update", "date updated", "last updated", "update date", "date of update"),
    "narrative": ("latest narrative", "narrative", "progress update", "update", "comments", "commentary",
                  "progress narrative", "latest update", "progress to date", "notes", "position statement"),
    "next_steps": ("next steps", "next actions", "actions next period", "forward plan"),
    "blockers": ("blockers", "barriers", "issues", "risks and issues", "issues and risks", "challenges"),
}


def normalise(heading) -> str:
    text = str(heading or "").lower().replace("&", " and ").replace("%", " percent ")
    text = text.replace("sub-group", "subgroup")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _words(key: str) -> list[str]:
    column = BY_KEY.get(key)
    own = [column.heading, *column.aliases] if column else []
    return [normalise(w) for w in (*own, *SYNONYMS.get(key, ()))]


def heading_score(heading, key: str) -> float:
    """How well a heading reads as a field, 0 to 1: the same words 1; a close spelling by similarity."""
    text = normalise(heading)
    if not text:
        return 0.0
    best = 0.0
    for word in _words(key):
        if text == word:
            return 1.0
        ratio = SequenceMatcher(None, text, word).ratio()
        # "Target date (revised)" still starts with the field's words.
        if len(word) >= 4 and (text.startswith(word + " ") or text.endswith(" " + word)):
            ratio = max(ratio, 0.85)
        best = max(best, ratio)
    return best


def suggest(headings: list[str], samples: list[list[str]] | None = None) -> dict[int, str]:
    """Column position -> field, for the headings that read as one; each field at most once, the
    closest heading winning. A "Ref" column whose values are not the tracker's refs is their own."""
    pairs = sorted(
        ((heading_score(h, key), -i, i, key) for i, h in enumerate(headings) if h for key in FIELDS),
        reverse=True,
    )
    chosen: dict[int, str] = {}
    for score, _, i, key in pairs:
        if score < SUGGEST_AT or i in chosen or key in chosen.values():
            continue
        chosen[i] = key
    for i, key in list(chosen.items()):
        if key == "ref":
            values = [row[i] for row in samples or [] if i < len(row) and row[i]]
            if not values or not all(TRACKER_REF.match(v) for v in values):
                if THEIR_REF not in chosen.values():
                    chosen[i] = THEIR_REF
                else:
                    del chosen[i]
    return chosen


@dataclass(frozen=True)
class Layout:
    """Where the rows are and how to read them: the officer's choices, confirmed."""

    sheet: str
    header_row: int
    columns: dict[int, str]  # position in the row (0 = column A) -> field key
    words_as_blank: bool = False  # a date in words ("Ongoing") is read as no date, and said so

    def to_data(self) -> dict:
        return {"sheet": self.sheet, "header_row": self.header_row, "words_as_blank": self.words_as_blank,
                "columns": {str(i): k for i, k in self.columns.items()}}

    @classmethod
    def from_data(cls, data) -> Layout:
        """A layout sent back by the browser; anything malformed is refused, saying what to do."""
        again = PlanImportRejected([CellError(0, "", "The column choices could not be read: upload the file "
                                                     "again and choose the columns.")])
        if not isinstance(data, dict) or not isinstance(data.get("sheet"), str):
            raise again
        try:
            header_row = int(data.get("header_row"))
            raw = data.get("columns") or {}
            columns = {int(i): str(k) for i, k in raw.items() if k}
        except (TypeError, ValueError, AttributeError, OverflowError):  # OverflowError: int(float("inf"))
            raise again from None
        if not 1 <= header_row <= HEADER_SEARCH_ROWS or any(
                k not in FIELDS or not 0 <= i < MAX_COLUMNS for i, k in columns.items()):
            raise again
        return cls(data["sheet"][:200], header_row, columns, bool(data.get("words_as_blank")))


@dataclass
class SheetView:
    """What the officer sees before choosing: the sheets, the header row found, each column's heading
    with the field suggested for it, and the first rows as text."""

    sheets: list[str]
    sheet: str
    header_row: int
    headings: list[str]
    suggested: dict[int, str]
    sample: list[list[str]] = field(default_factory=list)
    row_count: int = 0
    template: bool = False  # laid out exactly as the template: import it as it is
    # The column choices are those of the partnership's last import of this layout (excel.remembered).
    remembered: bool = False
    words_as_blank: bool = False

    def layout(self) -> Layout:
        return Layout(self.sheet, self.header_row, dict(self.suggested), self.words_as_blank)


def _raw_rows(ws, limit: int | None = None):
    ws.reset_dimensions()  # some programs write a wrong size; read what is there
    for number, raw in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
        if limit is not None and number > limit:
            return
        yield number, to_cells(raw)


def _header_row(ws) -> int:
    """The row of the headings: the one of the first rows whose cells read most like the tracker's
    fields (a title above it, merged or not, fills one cell and reads as none)."""
    best, best_row, first_filled = 0.0, None, None
    for number, cells in _raw_rows(ws, HEADER_SEARCH_ROWS):
        texts = [cell_text(c.value) for c in cells if is_filled(c.value)]
        if not texts:
            continue
        first_filled = first_filled or number
        if len(texts) < 2:
            continue
        score = sum(max(heading_score(t, k) for k in FIELDS) >= SUGGEST_AT for t in texts if isinstance(t, str))
        if score > best:
            best, best_row = score, number
    return best_row or first_filled or 1


def _pick_sheet(workbook) -> str:
    names = {n.strip().lower(): n for n in workbook.sheetnames}
    if "plan" in names:
        return names["plan"]
    scored = []
    for name in workbook.sheetnames:
        ws = workbook[name]
        row = _header_row(ws)
        headings = _headings_of(ws, row)
        scored.append((len(suggest(headings)), -workbook.sheetnames.index(name), name))
    return max(scored)[2]


def _headings_of(ws, header_row: int) -> list[str]:
    for number, cells in _raw_rows(ws, header_row):
        if number == header_row:
            texts = [" ".join(cell_text(c.value).split()) for c in cells]
            while texts and not texts[-1]:
                texts.pop()
            return texts
    return []


def _data_rows(ws, header_row: int, width: int):
    """The rows under the headings, as (row number, cells), skipping blank rows and the template's notes."""
    blank_run = 0
    for number, cells in _raw_rows(ws):
        if number <= header_row:
            continue
        if not any(is_filled(c.value) for c in cells[:width]):
            blank_run += 1
            if blank_run > 1000:
                return  # the rest of a formatted but empty sheet
            continue
        blank_run = 0
        first = cells[0].value if cells else None
        if isinstance(first, str) and first.strip().lower().startswith(NOTES_PREFIX[:25].lower()):
            continue
        yield number, cells


def inspect_workbook(content: bytes, sheet: str | None = None, header_row: int | None = None) -> SheetView:
    """The sheets of an uploaded workbook and, for the one chosen (or the likeliest), the header row (as
    given, or found), its headings, the field each seems to be, and the first rows."""
    with reading(content) as workbook:  # a file damaged inside is refused as it is read
        sheets = list(workbook.sheetnames)
        if sheet is not None and sheet not in sheets:
            raise PlanImportRejected([CellError(0, "", f"The workbook has no sheet called {sheet!r}: choose "
                                                       "one of " + ", ".join(sheets))])
        name = sheet or _pick_sheet(workbook)
        ws = workbook[name]
        row = header_row if header_row else _header_row(ws)
        if not 1 <= row <= HEADER_SEARCH_ROWS:
            raise PlanImportRejected([CellError(0, "", f"The headings must be in one of the first "
                                                       f"{HEADER_SEARCH_ROWS} rows: give a row from 1 to "
                                                       f"{HEADER_SEARCH_ROWS}")])
        headings = _headings_of(ws, row)
        sample, count = [], 0
        for _, cells in _data_rows(ws, row, max(len(headings), 1)):
            count += 1
            if len(sample) < SAMPLE_ROWS:
                sample.append([cell_text(c.value) for c in cells[:len(headings)]])
        view = SheetView(sheets, name, row, headings, suggest(headings, sample), sample, count)
        view.template = _is_template(workbook, view)
        return view


def _is_template(workbook, view: SheetView) -> bool:
    """Laid out as the template (the sheet the template reader takes, headings in the first filled row,
    every heading one of the template's): then it is imported as it is, without asking."""
    names = {n.strip().lower() for n in workbook.sheetnames}
    sheet_ok = view.sheet.strip().lower() == "plan" or (len(workbook.sheetnames) == 1 and "plan" not in names)
    keys = [_HEADING_KEYS.get(_key(h)) for h in view.headings if h]
    first_filled = next((n for n, cells in _raw_rows(workbook[view.sheet], HEADER_SEARCH_ROWS)
                         if any(is_filled(c.value) for c in cells)), None)
    return (sheet_ok and view.header_row == first_filled and bool(keys) and None not in keys
            and len(set(keys)) == len(keys) and {"ref", "subgroup", "title"} <= set(keys))


def read_mapped(content: bytes, layout: Layout) -> Sheet:
    """The rows of a council's sheet read with the officer's layout, as the importer reads the template's."""
    with reading(content) as workbook:  # a file damaged inside is refused as it is read
        if layout.sheet not in workbook.sheetnames:
            raise PlanImportRejected([CellError(0, "", f"The workbook has no sheet called {layout.sheet!r}: "
                                                       "upload the file again and choose its sheet")])
        ws = workbook[layout.sheet]
        headings = _headings_of(ws, layout.header_row)
        problems = _layout_problems(layout, headings)
        if problems:
            raise PlanImportRejected([CellError(0, "", p) for p in problems])
        columns = {k: i for i, k in layout.columns.items() if k != THEIR_REF}
        their_ref = next((i for i, k in layout.columns.items() if k == THEIR_REF), None)
        labels = {BY_KEY[k].heading: headings[i] for k, i in columns.items()}
        if their_ref is not None:
            labels[THEIR_REF_HEADING] = headings[their_ref]
        sheet = Sheet(columns, [], their_ref=their_ref, words_as_blank=layout.words_as_blank, mapped=True,
                      labels=labels, headings=headings)
        title_at = columns["title"]
        for number, cells in _data_rows(ws, layout.header_row, len(headings)):
            filled = [c for c in cells[:len(headings)] if is_filled(c.value)]
            title = cells[title_at].value if title_at < len(cells) else None
            if len(filled) == 1 and not is_filled(title):
                # A section heading across the sheet ("Theme 2: Treatment"): said, not imported.
                sheet.notes.append(f"Row {number} was read as a section heading and skipped: "
                                   f"{cell_text(filled[0].value)[:80]!r}")
                continue
            sheet.rows.append((number, cells))
            if len(sheet.rows) > MAX_ROWS:
                raise PlanImportRejected([CellError(0, "", f"The sheet has more than {MAX_ROWS:,} rows of actions: "
                                                           "split it into smaller files.")])
        if not sheet.rows:
            raise PlanImportRejected([CellError(0, "", f"There are no rows of actions under the headings in "
                                                       f"row {layout.header_row} of {layout.sheet}.")])
        ignored = [h for i, h in enumerate(headings) if h and i not in layout.columns]
        if ignored:
            sheet.notes.append("Not imported (no field chosen): " + ", ".join(repr(h) for h in ignored))
        return sheet


def _layout_problems(layout: Layout, headings: list[str]) -> list[str]:
    problems = []
    for i in layout.columns:
        if i >= len(headings) or not headings[i]:
            problems.append(f"Column {_letter(i)} has no heading in row {layout.header_row}: choose the row "
                            "of the headings again")
    by_field: dict[str, list[str]] = {}
    for i, key in sorted(layout.columns.items()):
        by_field.setdefault(key, []).append(headings[i] if i < len(headings) else _letter(i))
    for key, names in by_field.items():
        if len(names) > 1:
            problems.append(f"The columns {' and '.join(repr(n) for n in names)} are both read as "
                            f"{FIELDS[key]}: choose one of them, and 'Not imported' for the other")
    for key in REQUIRED:
        if key not in by_field:
            problems.append(f"Choose the column that holds the {BY_KEY[key].heading.lower()}: every action needs "
                            f"a {BY_KEY[key].heading.lower()}")
    return problems


def _letter(index: int) -> str:
    return get_column_letter(index + 1)
