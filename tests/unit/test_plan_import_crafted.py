"""The import page's column-choosing step, posted as a browser would (or as someone crafting requests
would): the check writes nothing for anyone, the Import with a council layout is refused to a viewer and
works for an administrator, and a malformed layout gets a message, not a 500."""

from __future__ import annotations

import base64

import pytest
from dash import ALL
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS
from tests.crafted import call_callback, changed_tables, db_fingerprint, signed_in_client, stringify_id
from tests.unit.test_excel_mapping import council_workbook
from tracker.models import Action
from tracker.services import excel
from tracker.services.excel.mapping import inspect_workbook

XLSX = excel.XLSX_MIME
FIELDS = stringify_id({"type": "map-field", "index": ALL})


def file_store() -> dict:
    return {"contents": f"data:{XLSX};base64,{base64.b64encode(council_workbook()).decode()}",
            "filename": "council.xlsx"}


def check_values() -> dict:
    view = inspect_workbook(council_workbook())
    ids = [{"type": "map-field", "index": i} for i in range(len(view.headings))]
    return {
        ("map-base", "data"): {"sheet": view.sheet, "header_row": view.header_row},
        (FIELDS, "id"): [(i, i) for i in ids],
        (FIELDS, "value"): [(i, view.suggested.get(i["index"], "")) for i in ids],
        ("map-words-blank", "value"): True,
        ("import-file", "data"): file_store(),
    }


def pending(layout: dict | None = None) -> dict:
    view = inspect_workbook(council_workbook())
    data = excel.Layout(view.sheet, view.header_row, view.suggested, True).to_data()
    return {("import-pending", "data"): {**file_store(), "expected": {}, "layout": layout or data}}


def actions(engine: Engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Action)).one()


@pytest.mark.parametrize(("who", "words"), [
    ("viewer", "Only an administrator or a subgroup lead can import the plan."),
    ("admin", "Check the changes before importing council.xlsx"),
])
def test_checking_a_council_layout_writes_nothing_whoever_sends_it(app, db, who, words):
    client = signed_in_client(app, DEMO_EMAILS[who])  # signing in is audited: count from after it
    before = db_fingerprint(db)
    reply = call_callback(client, ("map-check", "n_clicks", 1), check_values())
    assert reply.status == 200 and words.casefold() in reply.strings.casefold(), reply.strings[:800]
    if who == "admin":
        assert "How the values in the file are read" in reply.strings and "Amber/Green" in reply.strings
    after = db_fingerprint(db)
    assert after == before, f"the check changed {changed_tables(before, after)}"


def test_importing_with_a_council_layout_is_refused_to_a_viewer_and_done_for_an_admin(app, db):
    viewer = signed_in_client(app, DEMO_EMAILS["viewer"])
    before = db_fingerprint(db)
    reply = call_callback(viewer, ("import-confirm", "n_clicks", 1), pending())
    assert reply.status == 200 and "Only an administrator or a subgroup lead" in reply.strings
    assert db_fingerprint(db) == before
    count = actions(db)
    reply = call_callback(signed_in_client(app, DEMO_EMAILS["admin"]), ("import-confirm", "n_clicks", 1), pending())
    assert reply.status == 200 and "Imported council.xlsx" in reply.strings, reply.strings[:800]
    assert actions(db) == count + 4


@pytest.mark.parametrize("layout", [{"sheet": "Action plan 2025-26", "header_row": "x"},
                                    {"sheet": "Action plan 2025-26", "header_row": 4, "columns": {"3": "is_admin"}},
                                    {"sheet": "Nowhere", "header_row": 4, "columns": {"3": "title", "2": "subgroup"}}])
def test_a_malformed_layout_is_refused_with_a_message(app, db, layout):
    client = signed_in_client(app, DEMO_EMAILS["admin"])
    before = db_fingerprint(db)
    reply = call_callback(client, ("import-confirm", "n_clicks", 1), pending(layout))
    assert reply.status == 200 and "Nothing was saved" in reply.strings
    assert ("choose the columns" in reply.strings) or ("no sheet called 'Nowhere'" in reply.strings)
    assert db_fingerprint(db) == before
