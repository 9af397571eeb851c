"""Bad input at scale, continued (the property and the strategies are in properties_support.py): the
officer's upload of the plan from Excel (any bytes, the plan's own workbook with any cells changed, or a
damaged copy of it), from any role: a clear refusal that writes nothing, or a valid write; never another
exception, never a partial write. The maturity framework, raters and a risk's funding are in
test_properties_maturity.py."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlmodel import Session, select

from tests.conftest import TODAY, copy_engine
from tests.unit import properties_support
from tests.unit.properties_support import (
    ANYTHING,
    DATE,
    LONG_TEXT,
    NUMBER,
    PROPS,
    SCALAR,
    TEXT,
    mostly,
    refuses_or_writes,
    weighted,
)
from tracker.models import Action, Person
from tracker.services import excel
from tracker.services.errors import ServiceError
from tracker.services.excel.mapping import Layout, inspect_workbook

template = properties_support.template  # the fixture: both partnerships seeded once per module
# An import reads and writes a workbook per example: 20 (the file stays under a few seconds).
IMPORT_PROPS = settings(PROPS, max_examples=20)


# --- The plan uploaded from Excel --------------------------------------------------------------------

# The rows the plan workbook keeps of the export: two of Treatment and Recovery (the lead's), one each
# of two other subgroups; then a new action for each of two subgroups.
KEPT_REFS = ("TR-01", "TR-03", "SUP-01", "CYP-02")


def _plan_workbook(engine) -> bytes:
    """The project's own export of the plan (Plan sheet only, a few rows) with two new actions added:
    imported as it is, it is a valid write."""
    with Session(engine) as s:
        admin = s.exec(select(Person).where(Person.email == "admin@cdp.example.org")).one()
        content = excel.export_plan(s, admin, TODAY).content
    wb = load_workbook(io.BytesIO(content))
    for name in wb.sheetnames[1:]:
        del wb[name]
    ws = wb["Plan"]
    for row in range(ws.max_row, 1, -1):
        if ws.cell(row=row, column=1).value not in KEPT_REFS:
            ws.delete_rows(row)
    column = {h: i for i, h in enumerate(excel.HEADINGS, start=1)}
    for values in ({"Subgroup": "TR", "Title": "Peer mentors in every treatment hub", "Owner": "owner@cdp.example.org",
                    "Start": "01/12/2026", "Due": date(2027, 6, 30)},
                   {"Subgroup": "Supply and Enforcement Subgroup", "Title": "Closure orders for cuckooed homes",
                    "Status": "In progress", "RAG": "Green", "Progress %": 10, "Latest narrative": "Protocol drafted."}):
        r = ws.max_row + 1
        for heading, value in values.items():
            ws.cell(row=r, column=column[heading], value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def plan_workbook(template) -> bytes:
    return _plan_workbook(template)


@pytest.fixture(scope="module")
def plan_expected(template, plan_workbook) -> dict:
    """What the preview of the plan workbook saw of each action (ImportSummary.expected), as the page
    posts it back with the import the officer confirms."""
    engine = copy_engine(template)
    try:
        with Session(engine) as s:
            admin = s.exec(select(Person).where(Person.email == "admin@cdp.example.org")).one()
            return excel.preview_import(s, admin, plan_workbook, TODAY, "plan.xlsx").expected
    finally:
        engine.dispose()


def _cell_value(value):
    """What openpyxl will keep in a cell: text without the control characters a worksheet cannot hold,
    and dates from 1900 on (Excel's own limits; the file could not be saved otherwise)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, date) and value.year < 1900:
        return value.replace(year=1900 + value.year % 100)
    if isinstance(value, list | dict):
        return str(value)
    return value


PLAUSIBLE_CELL = st.sampled_from(["TR", "SUP", "Nowhere", "Amber", "Blue", "G", "purple", "Complete", "In progress",
                                  "Cancelled", "31/03/2027", "Mar-27", "Ongoing", "30/02/2027", "40%", "101", 55,
                                  0.5, "owner@cdp.example.org", "admin@lancashire.example.org", "Mark Fenwick",
                                  "TR-01", "TR-99", "SUP-01", "T2.1", "", " ", "x" * 301, "Ref", "Title"])
CELL = weighted((4, PLAUSIBLE_CELL), (2, TEXT), (1, NUMBER), (1, st.one_of(st.dates(), st.datetimes())), (1, DATE),
                (1, st.none()), (1, st.booleans()), (1, LONG_TEXT))


def _edited(content: bytes, edits: list[tuple[int, int, object]]) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Plan"]
    for row, col, value in edits:
        ws.cell(row=row, column=col).value = _cell_value(value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _damaged(content: bytes, data) -> bytes:
    how = data.draw(st.sampled_from(["truncate", "flip", "splice"]))
    at = data.draw(st.integers(0, len(content) - 1))
    if how == "truncate":
        return content[:at]
    if how == "flip":
        spots = data.draw(st.lists(st.integers(0, len(content) - 1), min_size=1, max_size=4))
        damaged = bytearray(content)
        for spot in spots:
            damaged[spot] ^= 0xFF
        return bytes(damaged)
    return content[:at] + data.draw(st.binary(max_size=64)) + content[at + data.draw(st.integers(0, 200)):]


def _upload(plan_workbook: bytes, data):
    kind = data.draw(st.sampled_from(["workbook"] * 4 + ["damaged", "bytes", "anything"]))
    event(f"file: {kind}")
    if kind == "bytes":
        return data.draw(st.binary(max_size=300))
    if kind == "anything":
        return data.draw(SCALAR)
    if kind == "damaged":
        return _damaged(plan_workbook, data)
    rows = 2 + len(KEPT_REFS) + 2
    # Most edits fall on the rows of actions; now and then on the headings or past the last row.
    where = st.tuples(weighted((3, st.integers(2, rows)), (1, st.integers(1, rows + 2))),
                      st.integers(1, len(excel.HEADINGS) + 1), CELL)
    return _edited(plan_workbook, data.draw(st.lists(where, max_size=3)))


def _expected(plan_expected: dict, data):
    """What the confirmed preview posts back (ImportSummary.expected): nothing, the preview's own, or
    anything for the refs."""
    seen = mostly(st.fixed_dictionaries({"version": mostly(st.integers(1, 3), NUMBER),
                                        "update_id": mostly(st.integers(1, 400), NUMBER)}))
    refs = st.dictionaries(st.sampled_from(KEPT_REFS + ("TR-99",)), seen, max_size=2)
    return data.draw(weighted((2, st.none()), (2, st.just(plan_expected)), (1, refs), (1, ANYTHING)))


def _layout(plan_workbook: bytes, data):
    """The officer's column choices (a council's sheet): none (the template's layout), the ones the
    column-choosing step suggests for the file, or what a crafted request sends back (Layout.from_data)."""
    kind = data.draw(st.sampled_from(["none", "none", "none", "suggested", "sent"]))
    event(f"layout: {kind}")
    if kind == "none":
        return lambda: None
    suggested = _suggested(plan_workbook)
    if kind == "suggested":
        return lambda: suggested
    sent = suggested.to_data()
    columns = st.dictionaries(mostly(st.integers(-1, 20).map(str), TEXT), mostly(st.sampled_from(list(excel.FIELDS))),
                              max_size=6)
    raw = data.draw(mostly(st.fixed_dictionaries({
        "sheet": mostly(st.just(sent["sheet"])), "header_row": mostly(st.just(sent["header_row"]), NUMBER),
        "columns": weighted((2, st.just(sent["columns"])), (1, columns), (1, ANYTHING)),
        "words_as_blank": mostly(st.booleans())})))
    return lambda: Layout.from_data(raw)


_SUGGESTED: dict[bytes, Layout] = {}


def _suggested(content: bytes) -> Layout:
    """The layout the column-choosing step suggests for the plan workbook (read once)."""
    if content not in _SUGGESTED:
        _SUGGESTED[content] = inspect_workbook(content).layout()
    return _SUGGESTED[content]


def _check_import_written(s: Session, summary) -> None:
    assert isinstance(summary, excel.ImportSummary)
    for change in summary.rows:
        if change.created or not change.unchanged:
            action = s.get(Action, change.action_id)
            assert action is not None and action.ref == change.ref and 3 <= len(action.title) <= 300


@IMPORT_PROPS
@given(data=st.data())
def test_import_plan(template, plan_workbook, plan_expected, data):
    content = _upload(plan_workbook, data)
    expected, layout = _expected(plan_expected, data), _layout(plan_workbook, data)
    filename = data.draw(mostly(st.sampled_from(["plan.xlsx", "", "Plan (final) v2.xlsx"]), long=True))

    def call(s, who, r):
        summary = excel.import_plan(s, who(r), content, TODAY, filename=filename, expected=expected, layout=layout())
        _check_import_written(s, summary)
        event("import: " + ("wrote" if summary.writes else "no change"))

    # A lead may import only their own subgroups' rows: the workbook's other rows refuse it (once the
    # lead's own rows are applied, which must then be undone).
    event(refuses_or_writes(template, call, data.draw(st.sampled_from(["admin"] * 4 + ["lead", "chair", "viewer"]))))


# --- The same calls with what a person would enter are written (so the properties reach the writes) --


def test_the_plan_workbook_imported_as_it_is_is_written(template, plan_workbook):
    def call(s, who, r):
        summary = excel.import_plan(s, who(r), plan_workbook, TODAY, "plan.xlsx")
        assert (summary.created, summary.changed) == (2, 0)

    assert refuses_or_writes(template, call, "admin") == "written"


# --- Regressions the properties found ----------------------------------------------------------------


def _refused(engine, call, role="admin") -> None:
    assert refuses_or_writes(engine, call, role) == "refused"


def _message(engine, call, role="admin") -> str:
    """The refusal's words (and that nothing was written)."""
    caught: list[ServiceError] = []

    def capture(s, who, r):
        try:
            call(s, who, r)
        except ServiceError as exc:
            caught.append(exc)
            raise

    _refused(engine, capture, role)
    return str(caught[0])


def test_a_damaged_workbook_is_refused_as_not_a_workbook(template, plan_workbook):
    # The sheet's own XML cut short (the zip itself intact): openpyxl fails only as the rows are read.
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plan_workbook)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            target.writestr(item, body[:len(body) // 2] if item.filename.endswith("sheet1.xml") else body)
    message = _message(template, lambda s, who, r: excel.import_plan(s, who(r), buffer.getvalue(), TODAY))
    assert "Nothing was saved" in message


@pytest.mark.parametrize("content", [None, 5, "a text", ["x"]])
def test_an_upload_that_is_not_bytes_is_refused(template, content):
    _refused(template, lambda s, who, r: excel.import_plan(s, who(r), content, TODAY))


@pytest.mark.parametrize("expected", [{"TR-01": {"version": float("inf")}}, {"TR-01": {"update_id": float("-inf")}},
                                      {"TR-01": {"version": "1e400"}}])
def test_an_expected_version_that_is_no_number_is_a_conflict_not_a_500(template, plan_workbook, expected):
    _refused(template, lambda s, who, r: excel.import_plan(s, who(r), plan_workbook, TODAY, expected=expected))


@pytest.mark.parametrize("raw", [{"sheet": "Plan", "header_row": float("inf")},
                                 {"sheet": "Plan", "header_row": 1, "columns": {float("nan"): "title"}}])
def test_a_layout_sent_back_that_is_no_layout_is_refused(template, plan_workbook, raw):
    _refused(template, lambda s, who, r: excel.import_plan(s, who(r), plan_workbook, TODAY, layout=Layout.from_data(raw)))


def test_a_row_refused_by_the_services_leaves_no_other_row_written(template, plan_workbook):
    # Every cell is fine by the reader, but the services refuse the last row's title (over 300
    # characters) only once the rows before it are written: a careless caller's commit keeps nothing.
    content = _edited(plan_workbook, [(2 + len(KEPT_REFS) + 1, excel.HEADINGS.index("Title") + 1, "x" * 301)])
    message = _message(template, lambda s, who, r: excel.import_plan(s, who(r), content, TODAY))
    assert "Nothing was saved" in message


def test_a_lead_refused_another_subgroups_row_keeps_none_of_their_own(template, plan_workbook):
    # The lead's own new row (Treatment and Recovery) is applied before the Supply row refuses them.
    message = _message(template, lambda s, who, r: excel.import_plan(s, who(r), plan_workbook, TODAY), "lead")
    assert "Nothing was saved" in message
