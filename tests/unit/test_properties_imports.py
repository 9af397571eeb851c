"""Bad input at scale, continued (the property and the strategies are test_properties.py's): the maturity
framework's new version, inviting raters to a round, a risk's contracts and grants, and the officer's
upload of the plan from Excel (any bytes, the plan's own workbook with any cells changed, or a damaged
copy of it). Any text, number, date or id, from any role: a clear refusal that writes nothing, or a
valid write; never another exception, never a partial write."""

from __future__ import annotations

import io
import string
import zipfile
from datetime import date

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlmodel import Session, select

from tests.conftest import TODAY, copy_engine
from tests.unit import test_properties
from tests.unit.test_properties import (
    ANYTHING,
    DATE,
    LONG_TEXT,
    NUMBER,
    PROPS,
    SCALAR,
    TEXT,
    _ids,
    any_id,
    refuses_or_writes,
)
from tracker.models import (
    Action,
    Funding,
    MaturityAssessment,
    MaturityDimension,
    MaturityFramework,
    MaturityRater,
    Person,
    Risk,
    RiskFunding,
    Subgroup,
)
from tracker.services import excel, maturity, risks
from tracker.services.errors import ServiceError
from tracker.services.excel.mapping import Layout, inspect_workbook

template = test_properties.template  # the fixture: both partnerships seeded once per module
# More examples than test_properties' 15: most draws are refused, and the writes must be reached too.
PROPS = settings(PROPS, max_examples=40)
# An import reads and writes a workbook per example: fewer of them (the file stays under a few seconds).
IMPORT_PROPS = settings(PROPS, max_examples=20)


def weighted(*options):
    """One of the (weight, strategy) options, by weight. Not st.one_of: it flattens a strategy that is
    itself a one_of (ANYTHING is of a dozen), which would make "anything" far likelier than meant."""
    choices = [strategy for weight, strategy in options for _ in range(weight)]
    return st.integers(0, len(choices) - 1).flatmap(choices.__getitem__)


def field(good, bad=ANYTHING, long=False):
    """Mostly a plausible value (so the writes are reached), else anything, or very long text."""
    return weighted((3, good), (1, bad), *([(1, LONG_TEXT)] if long else []))


NAME = st.text(alphabet=string.ascii_letters + " -'", min_size=3, max_size=30).filter(str.strip)
WORDS = st.text(alphabet=string.ascii_letters + " ,.", min_size=10, max_size=80).filter(lambda t: len(t.strip()) >= 10)
MOSTLY_ADMIN = st.sampled_from(["admin"] * 5 + ["chair", "lead", "viewer"])
MOSTLY_LEAD = st.sampled_from(["lead", "lead", "admin", "chair", "owner", "viewer"])


# --- The maturity framework --------------------------------------------------------------------------


def _dimension_keys(template) -> list[str]:
    with Session(template) as s:
        return sorted(set(s.exec(select(MaturityDimension.key)).all()))


LEVEL = weighted((3, st.integers(1, 5)), (2, st.integers(1, 5).map(str)), (1, st.sampled_from([0, 6, -1, "x", " 3 ", 2.0, None])))


def _levels(text):
    return field(st.dictionaries(LEVEL, text, max_size=3))


def _framework_changes(template):
    dimension = st.fixed_dictionaries({}, optional={
        "name": field(NAME, long=True), "description": field(WORDS, long=True),
        "descriptors": _levels(field(WORDS, long=True))})
    keys = st.one_of(st.sampled_from(_dimension_keys(template)), TEXT)
    # The page sends the version it opened (1: every seeded framework is at its first) and its name.
    changes = st.fixed_dictionaries({
        "based_on_version": weighted((4, st.just(1)), (1, st.sampled_from(["1", None, 2, 0])), (1, ANYTHING)),
        "name": weighted((3, NAME), (1, st.none()), (1, ANYTHING), (1, LONG_TEXT)),
    }, optional={
        "levels": _levels(field(NAME)),
        "dimensions": field(st.dictionaries(keys, field(dimension), max_size=2)),
    })
    extra = st.dictionaries(st.sampled_from(["id", "version", "zzz"]), ANYTHING, max_size=1)
    return field(st.builds(lambda a, b: {**a, **b}, changes, weighted((3, st.just({})), (1, extra))))


def _check_framework_written(s: Session, actor: Person, written) -> None:
    """A valid write: the new version is the one current version, with every dimension and level."""
    assert isinstance(written, MaturityFramework) and written.is_current
    current = s.exec(select(MaturityFramework).where(MaturityFramework.partnership_id == actor.partnership_id,
                                                     MaturityFramework.is_current)).all()
    assert [f.id for f in current] == [written.id]
    view = maturity.framework_view(s, written.id)
    assert sorted(d.key for d in view.dimensions) == _dimension_keys(s.get_bind())
    assert set(view.levels) == {1, 2, 3, 4, 5}
    for text in [view.name, *view.levels.values(), *(d.name for d in view.dimensions),
                 *(t for d in view.dimensions for t in d.descriptors.values())]:
        assert isinstance(text, str) and text.strip() == text and text


@PROPS
@given(data=st.data())
def test_update_framework(template, data):
    changes = data.draw(_framework_changes(template))

    def call(s, who, r):
        actor = who(r)
        written = maturity.update_framework(s, actor, changes)
        _check_framework_written(s, actor, written)

    event(refuses_or_writes(template, call, data.draw(MOSTLY_ADMIN)))


# --- Inviting raters to an open round ----------------------------------------------------------------


@pytest.fixture(scope="module")
def open_round(template):
    """The two partnerships with a round of Treatment and Recovery open (every seeded round is signed
    off, so none could take a rater), its lead invited."""
    engine = copy_engine(template)
    with Session(engine) as s:
        lead = s.exec(select(Person).where(Person.email == "lead@cdp.example.org")).one()
        tr = s.exec(select(Subgroup).where(Subgroup.code == "TR", Subgroup.partnership_id == lead.partnership_id)).one()
        maturity.open_assessment(s, lead, tr.id, {"title": "Spring round", "rater_ids": [lead.id]}, TODAY)
        s.commit()
    yield engine
    engine.dispose()


def _eligible(engine) -> list[int]:
    with Session(engine) as s:
        tr = s.exec(select(Subgroup).where(Subgroup.code == "TR", Subgroup.partnership_id == 1)).one()
        return [p.id for p in maturity.eligible_raters(s, 1, tr.id)]


def _open_round_id(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(MaturityAssessment.id).where(MaturityAssessment.status == "open")).one()


@PROPS
@given(data=st.data())
def test_invite_raters(open_round, data):
    eligible, everyone = _eligible(open_round), _ids(open_round, Person)
    round_id = _open_round_id(open_round)
    assessment_id = data.draw(field(st.just(round_id), any_id(_ids(open_round, MaturityAssessment))))
    person_ids = data.draw(weighted(
        (4, st.lists(st.sampled_from(eligible), min_size=1, max_size=3)),
        (2, st.lists(any_id(everyone), max_size=3)),
        (1, st.lists(st.sampled_from(eligible), max_size=3).map(tuple)),
        (1, st.sampled_from(eligible).map(lambda i: [float(i)])),
        (2, ANYTHING)))

    def call(s, who, r):
        raters = maturity.invite_raters(s, who(r), assessment_id, person_ids)
        assert raters, "nothing invited, yet not refused"
        for rater in raters:  # a valid write: a whole-number id of someone who may rate, invited once
            assert type(rater.person_id) is int and rater.person_id in eligible
        invited = s.exec(select(MaturityRater.person_id).where(MaturityRater.assessment_id == round_id)).all()
        assert len(invited) == len(set(invited))

    event(refuses_or_writes(open_round, call, data.draw(MOSTLY_LEAD)))


# --- A risk's contracts and grants -------------------------------------------------------------------


@PROPS
@given(data=st.data())
def test_link_funding(template, data):
    risk_id = data.draw(field(st.sampled_from(_ids(template, Risk)), any_id(_ids(template, Risk))))
    funding = _ids(template, Funding)
    funding_ids = data.draw(weighted(
        (4, st.lists(st.sampled_from(funding), max_size=4)),
        (2, st.lists(any_id(funding), max_size=3)),
        (1, ANYTHING)))

    def call(s, who, r):
        risk = risks.link_funding(s, who(r), risk_id, funding_ids)
        linked = s.exec(select(RiskFunding.funding_id).where(RiskFunding.risk_id == risk.id)).all()
        assert sorted(linked) == sorted(set(funding_ids))  # exactly what was asked, each once
        for fid in linked:
            assert s.get(Funding, fid).partnership_id == risk.partnership_id

    event(refuses_or_writes(template, call, data.draw(st.sampled_from(["admin", "admin", "chair", "owner", "lead",
                                                                        "viewer"]))))


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
    seen = field(st.fixed_dictionaries({"version": field(st.integers(1, 3), NUMBER),
                                        "update_id": field(st.integers(1, 400), NUMBER)}))
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
    columns = st.dictionaries(field(st.integers(-1, 20).map(str), TEXT), field(st.sampled_from(list(excel.FIELDS))),
                              max_size=6)
    raw = data.draw(field(st.fixed_dictionaries({
        "sheet": field(st.just(sent["sheet"])), "header_row": field(st.just(sent["header_row"]), NUMBER),
        "columns": weighted((2, st.just(sent["columns"])), (1, columns), (1, ANYTHING)),
        "words_as_blank": field(st.booleans())})))
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
    filename = data.draw(field(st.sampled_from(["plan.xlsx", "", "Plan (final) v2.xlsx"]), long=True))

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


def test_what_a_person_would_enter_is_written(template, open_round):
    keys = _dimension_keys(template)
    assert refuses_or_writes(template, lambda s, who, r: maturity.update_framework(s, who(r), {
        "based_on_version": 1, "name": "Our maturity framework", "levels": {3: "Working well"},
        "dimensions": {keys[0]: {"descriptors": {"2": "Terms of reference are drafted."}}}}), "admin") == "written"
    someone = next(i for i in _eligible(open_round) if i != 3)
    assert refuses_or_writes(open_round, lambda s, who, r: maturity.invite_raters(
        s, who(r), _open_round_id(open_round), [someone]), "lead") == "written"
    assert refuses_or_writes(template, lambda s, who, r: risks.link_funding(s, who(r), 1, [1, 2]), "admin") == "written"


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


@pytest.mark.parametrize("changes", [None, 5, "name", ["name"], {"based_on_version": "x"},
                                     {"based_on_version": float("inf")}, {"based_on_version": [1]},
                                     {"levels": ["Developing"]}, {"levels": "x"}, {"dimensions": ["governance"]},
                                     {"dimensions": {"governance": "Governance"}},
                                     {"dimensions": {"governance": {"descriptors": [1, 2]}}},
                                     {"dimensions": {("x",): {}}}, {"name": ["A", "list"]},
                                     {"levels": {1: {"a": 1}}}])
def test_a_framework_change_that_is_not_one_is_refused_not_a_500(template, changes):
    _refused(template, lambda s, who, r: maturity.update_framework(s, who(r), changes))


@pytest.mark.parametrize("person_ids", [None, 4, "4", [[4]], [{"a": 1}], [4.0], [True], {4: 4}, [2**70]])
def test_raters_that_are_not_a_list_of_ids_are_refused_not_a_500(open_round, person_ids):
    _refused(open_round, lambda s, who, r: maturity.invite_raters(s, who(r), _open_round_id(open_round), person_ids),
             "lead")


@pytest.mark.parametrize("funding_ids", [[2**31], [2**63 - 1], [-(2**63)], [2**70]])
def test_funding_ids_too_big_for_a_key_are_refused_not_a_500(template, funding_ids):
    _refused(template, lambda s, who, r: risks.link_funding(s, who(r), 1, funding_ids))


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
